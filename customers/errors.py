"""The codes of the `customers` app's refusals: stable strings that clients match on.

The customer record: contact details, phone identity and deletion.
"""

from pos_project.errors import ErrorCodes


class ErrorCode(ErrorCodes):
    CUSTOMER_HAS_BALANCE = "customer_has_balance"
    DUPLICATE_PHONE = "duplicate_phone"
    INVALID_INPUT = "invalid_input"
    INVALID_PHONE = "invalid_phone"
    MANAGER_ONLY_FIELD = "manager_only_field"
    MANAGER_REQUIRED = "manager_required"
