"""The business refusals sales operations document: each status with the `code`s a rule may
answer there (the services raise them; `pos_project.exceptions` gives the status)."""

from pos_project.schema import refusals

# Taking payment for a draft, 400s.
_PAYMENT_INVALID = (
    "invalid_sale_status",
    "empty_sale",
    "payment_required",
    "invalid_payment",
    "invalid_payment_method",
    "non_cash_overpayment",
    "insufficient_payment",
    "on_account_requires_customer",
    "customer_inactive",
    "credit_limit_exceeded",
    "idempotency_key_invalid",
)

_PAYMENT_OTHERS = {
    **refusals(403, "override_not_allowed"),
    **refusals(
        409,
        "insufficient_stock",
        "stock_expired",
        "stock_recalled",
        "till_session_required",
        "sale_changed",
        "idempotency_request_in_progress",
    ),
    **refusals(422, "idempotency_key_mismatch"),
}

COMPLETE_REFUSALS = {**refusals(400, *_PAYMENT_INVALID), **_PAYMENT_OTHERS}

# The one-request checkout: the same, and its lines' own.
CHECKOUT_REFUSALS = {
    **refusals(
        400, *_PAYMENT_INVALID, "invalid_quantity", "invalid_discount", "discount_exceeds_line"
    ),
    **_PAYMENT_OTHERS,
}

# Opening a draft, and changing its lines.
DRAFT_REFUSALS = {**refusals(400, "invalid_type", "unknown_storefront", "storefront_inactive")}
LINE_REFUSALS = {
    **refusals(
        400,
        "invalid_sale_status",
        "invalid_quantity",
        "invalid_discount",
        "discount_exceeds_line",
        "medicine_inactive",
    ),
    **refusals(404, "unknown_medicine", "unknown_sale_item"),
}

# Cancelling a draft, or reversing a completed sale.
CANCEL_REFUSALS = {
    **refusals(400, "invalid_sale_status", "reason_required", "idempotency_key_invalid"),
    **refusals(403, "manager_required"),
    **refusals(
        409,
        "sale_has_returns",
        "not_enough_cash",
        "till_session_required",
        "idempotency_request_in_progress",
    ),
    **refusals(422, "idempotency_key_mismatch"),
}

# Taking a return.
RETURN_REFUSALS = {
    **refusals(
        400,
        "empty_return",
        "invalid_return_line",
        "unknown_sale_item",
        "invalid_refund_method",
        "reason_required",
        "account_refund_requires_customer",
        "idempotency_key_invalid",
    ),
    **refusals(403, "manager_required"),
    **refusals(
        409,
        "invalid_sale_status",
        "return_exceeds_sold",
        "till_session_required",
        "idempotency_request_in_progress",
    ),
    **refusals(422, "idempotency_key_mismatch"),
}

# A till session: opening one, moving cash, closing it.
_SESSION_KEYS = {**refusals(422, "idempotency_key_mismatch")}
TILL_OPEN_REFUSALS = {
    **refusals(400, "invalid_amount", "idempotency_key_invalid"),
    **refusals(403, "person_required"),
    **refusals(
        409,
        "till_already_open",
        "user_has_open_session",
        "till_inactive",
        "idempotency_request_in_progress",
    ),
    **_SESSION_KEYS,
}
CASH_MOVEMENT_REFUSALS = {
    **refusals(
        400,
        "invalid_type",
        "invalid_amount",
        "amount_too_large",
        "reason_required",
        "reason_too_long",
        "idempotency_key_invalid",
    ),
    **refusals(403, "session_not_yours"),
    **refusals(409, "till_session_closed", "idempotency_request_in_progress"),
    **_SESSION_KEYS,
}
TILL_CLOSE_REFUSALS = {
    **refusals(400, "invalid_amount", "amount_too_large", "idempotency_key_invalid"),
    **refusals(403, "session_not_yours"),
    **refusals(409, "till_session_closed", "idempotency_request_in_progress"),
    **_SESSION_KEYS,
}
