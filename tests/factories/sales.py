"""Factories for the sales app, and `complete_sale`, which rings a sale up for real.

`SaleFactory` and `SaleItemFactory` write rows straight to the tables (a DRAFT by default):
good for lists, filters and permissions. Anything that needs a COMPLETED sale with its
stock, ledger, statistics and audit consistent must use `complete_sale`, which goes
through the services exactly as the till does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

import factory

from pos_project.actors import Actor
from pos_project.money import ZERO, quantize
from sales.models import Sale, SaleItem, SaleStatus, SaleType
from tests.factories.kernel import BusinessFactory, StaffMemberFactory, StorefrontFactory


class SaleFactory(factory.django.DjangoModelFactory):
    """A DRAFT sale with no lines, at a storefront of its business, opened by its staff."""

    class Meta:
        model = Sale

    business = factory.SubFactory(BusinessFactory)
    storefront = factory.SubFactory(StorefrontFactory, business=factory.SelfAttribute("..business"))
    customer = None
    type = SaleType.RETAIL
    status = SaleStatus.DRAFT
    created_by = factory.LazyAttribute(lambda sale: StaffMemberFactory(business=sale.business).user)


class SaleItemFactory(factory.django.DjangoModelFactory):
    """A line priced as the services price it. Call `recompute(sale)` after adding lines."""

    class Meta:
        model = SaleItem

    sale = factory.SubFactory(SaleFactory)
    medicine = factory.SubFactory(
        "tests.factories.medicine.MedicineFactory",
        business=factory.SelfAttribute("..sale.business"),
    )
    medicine_name = factory.LazyAttribute(lambda item: str(item.medicine))
    unit_price = factory.LazyAttribute(lambda item: item.medicine.prix_br)
    quantity = 1
    discount = ZERO
    line_total = factory.LazyAttribute(
        lambda item: quantize(item.unit_price * item.quantity - item.discount)
    )


def recompute(sale: Sale) -> Sale:
    """Bring a factory-built sale's totals in line with its lines, as the services do."""
    from django.db import transaction

    from sales.services.pricing import recompute_totals

    with transaction.atomic():
        return recompute_totals(sale)


def complete_sale(
    *,
    storefront,
    actor_user,
    lines: Sequence[tuple[object, int]] | None = None,
    customer=None,
    sale_type: str = SaleType.RETAIL,
    payments: Iterable[dict] | None = None,
    on_account: bool = False,
    stock: int | None = 100,
) -> Sale:
    """A COMPLETED sale, built through the services (sale_create, items, sale_complete).

    `lines` are (medicine, quantity) pairs; by default one new medicine at 25.40. Stock is
    topped up to `stock` units per medicine first (None leaves the shelf as it is).
    Payments default to the whole total in cash, or on account when `on_account` is set
    (the customer's limit must allow it, or `actor_user` must be a manager and the limit is
    then overridden).
    """
    from django.db.models import F

    from medicine.models import Lot, Stock
    from sales.services import sale_complete, sale_create, sale_item_add
    from tests.factories.medicine import MedicineFactory

    business = storefront.business
    actor = Actor.for_user(actor_user)
    if lines is None:
        lines = [(MedicineFactory(business=business), 1)]
    if stock is not None:
        for medicine, quantity in lines:
            row, _ = Stock.objects.get_or_create(medicine=medicine, storefront=storefront)
            if row.quantity < max(stock, quantity):
                # Topped up as stock without lot, so the shelf stays the sum of its lots.
                more = max(stock, quantity) - row.quantity
                Stock.objects.filter(pk=row.pk).update(quantity=F("quantity") + more)
                lot, _ = Lot.objects.get_or_create(
                    medicine=medicine, storefront=storefront, lot_number=None
                )
                Lot.objects.filter(pk=lot.pk).update(quantity=F("quantity") + more)
    sale = sale_create(
        business=business, storefront=storefront, type=sale_type, customer=customer, actor=actor
    )
    for medicine, quantity in lines:
        sale_item_add(sale=sale, medicine=medicine, quantity=quantity)
    sale.refresh_from_db()
    override = False
    if payments is None:
        method = "ON_ACCOUNT" if on_account else "CASH"
        payments = [{"method": method, "amount": sale.total_amount}]
        if on_account and customer is not None and customer.credit_limit is not None:
            customer.refresh_from_db()
            override = not customer.can_make_purchase(sale.total_amount)
    return sale_complete(
        sale=sale, payments=list(payments), override_credit_limit=override, actor=actor
    )


def money(value: str | int) -> Decimal:
    return quantize(Decimal(str(value)))
