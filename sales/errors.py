"""The codes of the `sales` app's refusals: stable strings that clients match on.

A sale: drafting, checkout, cancellation and receipts; tills and their sessions.
"""

from pos_project.errors import ErrorCodes


class ErrorCode(ErrorCodes):
    CREDIT_LIMIT_EXCEEDED = "credit_limit_exceeded"
    CUSTOMER_INACTIVE = "customer_inactive"
    DISCOUNT_EXCEEDS_LINE = "discount_exceeds_line"
    EMPTY_SALE = "empty_sale"
    INSUFFICIENT_PAYMENT = "insufficient_payment"
    INVALID_AMOUNT = "invalid_amount"
    INVALID_DISCOUNT = "invalid_discount"
    INVALID_PAYMENT = "invalid_payment"
    INVALID_PAYMENT_METHOD = "invalid_payment_method"
    INVALID_QUANTITY = "invalid_quantity"
    INVALID_SALE_STATUS = "invalid_sale_status"
    INVALID_TYPE = "invalid_type"
    MANAGER_REQUIRED = "manager_required"
    MEDICINE_INACTIVE = "medicine_inactive"
    NON_CASH_OVERPAYMENT = "non_cash_overpayment"
    ON_ACCOUNT_REQUIRES_CUSTOMER = "on_account_requires_customer"
    OVERRIDE_NOT_ALLOWED = "override_not_allowed"
    PAYMENT_REQUIRED = "payment_required"
    REASON_REQUIRED = "reason_required"
    SALE_CHANGED = "sale_changed"
    SESSION_NOT_YOURS = "session_not_yours"
    STOREFRONT_INACTIVE = "storefront_inactive"
    TILL_ALREADY_OPEN = "till_already_open"
    TILL_HAS_OPEN_SESSION = "till_has_open_session"
    TILL_INACTIVE = "till_inactive"
    TILL_NAME_REQUIRED = "till_name_required"
    TILL_NAME_TAKEN = "till_name_taken"
    TILL_SESSION_CLOSED = "till_session_closed"
    TILL_SESSION_REQUIRED = "till_session_required"
    UNKNOWN_MEDICINE = "unknown_medicine"
    UNKNOWN_SALE_ITEM = "unknown_sale_item"
    UNKNOWN_STOREFRONT = "unknown_storefront"
    USER_HAS_OPEN_SESSION = "user_has_open_session"
