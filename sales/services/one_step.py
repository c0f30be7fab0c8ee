"""The one-request checkout: a whole cart rung up and paid in one transaction.

A till that holds the whole cart (a scanner run, a retry after a lost connection, a front
end that builds the cart locally) sends it at once instead of opening a DRAFT and adding its
lines one request at a time. The sale goes through the same code as the draft flow: the
opening checks of `sale_create`, the pricing and line merging of `sale_item_add`, and the
completion of `sale_complete` (`settle_draft`). Any refusal rolls the whole transaction
back: no sale, no line, no stock movement is left behind.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from customers.locks import customer_lock_in_business
from customers.models import Customer
from pos_project.actors import Actor
from pos_project.idempotency import whole_work_atomic
from pos_project.models import Business, Storefront
from pos_project.money import ZERO
from sales.models import Sale, SaleItem, SaleType
from sales.services.checkout import settle_draft, shelf_lines
from sales.services.checks import check_quantity, customer_inactive_refusal, customer_not_found
from sales.services.drafting import add_to_line, check_opening, new_line, sale_medicines
from sales.services.held import held_rows
from sales.services.pricing import set_totals
from sales.services.tenders import Tender, checkout_tenders


@dataclass(frozen=True)
class CartLine:
    """One line of the cart as the till sends it; the same medicine may come more than once."""

    medicine: uuid.UUID | str
    quantity: int
    discount: Decimal = ZERO


def _locked_customer(*, business: Business, customer_id) -> Customer:
    """The business's active customer `customer_id`, locked first, as every checkout locks
    its customer before its sale (docs/locking.md)."""
    customer = customer_lock_in_business(business_id=business.pk, customer_id=customer_id)
    if customer is None:
        raise customer_not_found(customer_id, business)
    if not customer.is_active:
        raise customer_inactive_refusal(customer)
    customer.business = business
    return customer


def _priced_lines(sale: Sale, cart: Sequence[CartLine]) -> list[SaleItem]:
    """The cart's lines priced for the sale, one per medicine, in the order first sent."""
    medicines = sale_medicines(
        business_id=sale.business_id, medicine_ids=[line.medicine for line in cart]
    )
    lines: dict[uuid.UUID, SaleItem] = {}
    for line in cart:
        medicine = medicines[uuid.UUID(str(line.medicine))]
        item = lines.get(medicine.pk) or new_line(sale, medicine)
        lines[medicine.pk] = add_to_line(item, quantity=line.quantity, discount=line.discount)
    return list(lines.values())


def sale_checkout(
    *,
    business: Business,
    storefront: Storefront,
    lines: Iterable[CartLine],
    payments: Iterable[Mapping[str, Any] | Tender],
    type: str = SaleType.RETAIL,
    customer: uuid.UUID | str | None = None,
    notes: str = "",
    override_credit_limit: bool = False,
    actor: Actor,
) -> Sale:
    """Ring up and complete a sale of `lines` in one transaction; answers the completed sale
    holding its lines and payments (`held_rows`), so that showing it reads nothing again.

    The rules are the draft flow's, from the same functions: a `sale_create` refusal
    (storefront, type, customer), an `sale_item_add` one (medicine, quantity, discount,
    the line priced never above `ppv`) or a `sale_complete` one (payments, credit limit,
    stock) is the same error here, and leaves nothing behind.
    """
    cart = list(lines)
    for line in cart:
        check_quantity(line.quantity)
    check_opening(business=business, storefront=storefront, type=type)
    tenders = checkout_tenders(payments, override_credit_limit=override_credit_limit, actor=actor)
    # Inside an Idempotency-Key's transaction, no savepoint: the view lets a refusal go up,
    # which rolls back the key's whole work.
    with whole_work_atomic():
        locked_customer = (
            _locked_customer(business=business, customer_id=customer)
            if customer is not None
            else None
        )
        sale = Sale(
            business=business,
            storefront=storefront,
            customer=locked_customer,
            type=type,
            notes=notes or "",
            created_by=actor.user,
        )
        items = _priced_lines(sale, cart)
        set_totals(sale, items)
        # The lines go in before settling takes the receipt number, after which every
        # other checkout of the business waits on this one (`settle_draft`).
        held_rows(sale, items=SaleItem.objects.bulk_create(items))
        # A new row nobody else can see needs no lock: settling inserts it, complete.
        settle_draft(
            sale=sale,
            customer=locked_customer,
            lines=shelf_lines((item.pk, item.medicine_id, item.quantity) for item in items),
            tenders=tenders,
            override_credit_limit=override_credit_limit,
            actor=actor,
            completed_at=None,
        )
    return sale
