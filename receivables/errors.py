"""The codes of the `receivables` app's refusals: stable strings that clients match on.

The customer's account: payments, credit adjustments and statements.
"""

from pos_project.errors import ErrorCodes


class ErrorCode(ErrorCodes):
    ADJUSTMENT_TYPE_INVALID = "adjustment_type_invalid"
    AMOUNT_INVALID = "amount_invalid"
    AMOUNT_NOT_POSITIVE = "amount_not_positive"
    AMOUNT_TOO_PRECISE = "amount_too_precise"
    DEDUCTION_EXCEEDS_CREDIT = "deduction_exceeds_credit"
    DEPOSIT_NOT_ALLOWED = "deposit_not_allowed"
    INVALID_PAYMENT_METHOD = "invalid_payment_method"
    MANAGER_REQUIRED = "manager_required"
    OVERPAYMENT_NOT_ALLOWED = "overpayment_not_allowed"
