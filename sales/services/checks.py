"""The checks every change to a sale runs first: plain values, the DRAFT status, the
customer; and the locked sale and the business's customer they run on. Each refusal is a
DomainError the API answers with its status."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from customers.models import Customer
from pos_project.bidi import isolate
from pos_project.errors import DomainError, Invalid, NotFound, invalid_field
from pos_project.models import Business
from pos_project.money import amount_within_limit, quantize
from sales.errors import ErrorCode
from sales.models import (
    Sale,
    SaleStatus,
)

# Large enough for any shelf, small enough that unit price x quantity stays far inside the
# money columns.
MAX_QUANTITY = 100_000


# --- errors -------------------------------------------------------------------------------


def wrong_status(sale: Sale, *, action: str, allowed: str, message: str) -> DomainError:
    # The shape of seed 004's non-DRAFT error, for every transition that is not allowed.
    return Invalid(
        f"Cannot {action} a sale that is not in {allowed} status",
        message,
        code=ErrorCode.INVALID_SALE_STATUS,
        current_status=sale.status,
        allowed_status=allowed,
    )


def require_draft(sale: Sale, *, action: str) -> None:
    if sale.status != SaleStatus.DRAFT:
        raise wrong_status(
            sale,
            action=action,
            allowed=SaleStatus.DRAFT,
            message=_(
                "Only a DRAFT sale can change. A completed sale is final: cancel it (a "
                "manager, with a reason) and ring it up again."
            ),
        )


def customer_not_found(customer_id, business: Business) -> NotFound:
    # Seed 004, word for word.
    return NotFound(
        "Customer not found or does not belong to this business",
        _("The customer must exist and belong to the same business as the sale"),
        code=None,
        customer_id=str(customer_id),
        business_id=str(business.pk),
    )


def customer_inactive_refusal(customer: Customer) -> DomainError:
    return Invalid(
        "Customer is deactivated",
        _(
            "%(customer)s has been deactivated and cannot be assigned to a sale. Reactivate "
            "the customer or choose another one."
        )
        % {"customer": isolate(customer.name)},
        code=ErrorCode.CUSTOMER_INACTIVE,
        customer_id=str(customer.pk),
    )


# --- checks on plain values ---------------------------------------------------------------


def check_quantity(quantity: Any) -> int:
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        raise invalid_field(
            "quantity", _("The quantity must be a whole number."), code=ErrorCode.INVALID_QUANTITY
        )
    if quantity <= 0:
        raise invalid_field(
            "quantity", _("The quantity must be at least 1."), code=ErrorCode.INVALID_QUANTITY
        )
    if quantity > MAX_QUANTITY:
        raise invalid_field(
            "quantity",
            _("The quantity may not exceed %(most)s.") % {"most": MAX_QUANTITY},
            code=ErrorCode.INVALID_QUANTITY,
        )
    return quantity


def check_amount(value: Any, *, field: str, code: ErrorCode) -> Decimal:
    """A finite Decimal with at most two places; never a float (it cannot hold cents)."""
    if isinstance(value, (bool, float)):
        raise invalid_field(field, _('Send the amount as a string such as "12.50".'), code=code)
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise invalid_field(field, _("The amount is not a number."), code=code) from None
    if not amount.is_finite():
        raise invalid_field(field, _("The amount is not a number."), code=code)
    # Before rounding: an amount such as 1e30 has more digits than a quantize can hold.
    amount_within_limit(amount, field=field, what=_("The amount"))
    if amount != amount.quantize(Decimal("0.01")):
        raise invalid_field(field, _("The amount may have at most two decimal places."), code=code)
    return quantize(amount)


def check_discount(discount: Any, *, gross: Decimal) -> Decimal:
    discount = check_amount(discount, field="discount", code=ErrorCode.INVALID_DISCOUNT)
    if discount < 0:
        raise invalid_field(
            "discount", _("The discount may not be negative."), code=ErrorCode.INVALID_DISCOUNT
        )
    if discount > gross:
        raise invalid_field(
            "discount",
            _("The discount (%(discount)s) may not exceed the line's value (%(value)s).")
            % {"discount": discount, "value": gross},
            code=ErrorCode.DISCOUNT_EXCEEDS_LINE,
            line_value=str(gross),
        )
    return discount


def business_customer(*, business: Business, customer_id) -> Customer:
    try:
        customer = Customer.objects.get(pk=customer_id, business=business)
    except (Customer.DoesNotExist, ValueError, TypeError):
        raise customer_not_found(customer_id, business) from None
    if not customer.is_active:
        raise customer_inactive_refusal(customer)
    return customer
