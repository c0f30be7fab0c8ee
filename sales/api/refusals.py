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
