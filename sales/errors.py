"""The codes of the `sales` app's refusals: stable strings that clients match on.

A sale: drafting, checkout, cancellation, returns and receipts.
"""

from pos_project.errors import ErrorCodes


class ErrorCode(ErrorCodes):
    ACCOUNT_REFUND_REQUIRES_CUSTOMER = "account_refund_requires_customer"
    CREDIT_LIMIT_EXCEEDED = "credit_limit_exceeded"
    CUSTOMER_INACTIVE = "customer_inactive"
    DISCOUNT_EXCEEDS_LINE = "discount_exceeds_line"
    EMPTY_RETURN = "empty_return"
    EMPTY_SALE = "empty_sale"
    INSUFFICIENT_PAYMENT = "insufficient_payment"
    INVALID_DISCOUNT = "invalid_discount"
    INVALID_PAYMENT = "invalid_payment"
    INVALID_PAYMENT_METHOD = "invalid_payment_method"
    INVALID_QUANTITY = "invalid_quantity"
    INVALID_REFUND_METHOD = "invalid_refund_method"
    INVALID_RETURN_LINE = "invalid_return_line"
    INVALID_SALE_STATUS = "invalid_sale_status"
    INVALID_TYPE = "invalid_type"
    MANAGER_REQUIRED = "manager_required"
    MEDICINE_INACTIVE = "medicine_inactive"
    NON_CASH_OVERPAYMENT = "non_cash_overpayment"
    ON_ACCOUNT_REQUIRES_CUSTOMER = "on_account_requires_customer"
    OVERRIDE_NOT_ALLOWED = "override_not_allowed"
    PAYMENT_REQUIRED = "payment_required"
    REASON_REQUIRED = "reason_required"
    RETURN_EXCEEDS_SOLD = "return_exceeds_sold"
    SALE_CHANGED = "sale_changed"
    SALE_HAS_RETURNS = "sale_has_returns"
    STOREFRONT_INACTIVE = "storefront_inactive"
    UNKNOWN_MEDICINE = "unknown_medicine"
    UNKNOWN_SALE_ITEM = "unknown_sale_item"
    UNKNOWN_STOREFRONT = "unknown_storefront"
