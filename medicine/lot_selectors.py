"""Reads of lots: the catalogue's sellable quantity and nearest expiry, what expires soon,
and every sale that took from a lot (a recall)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import QuerySet, Sum

from medicine.models import Lot, SaleItemLot
from medicine.shelf import lot_sellable
from pos_project.models import Business


@dataclass(frozen=True)
class ShelfLevel:
    """One storefront's shelf of a medicine today: units it may sell, and the nearest expiry
    among them (None when only stock without lot is left)."""

    sellable: int
    nearest_expiry: date | None


def shelf_levels(lots, today: date) -> dict[uuid.UUID, ShelfLevel]:
    """By storefront id, over one medicine's `lots` (already read)."""
    sellable: dict[uuid.UUID, int] = {}
    nearest: dict[uuid.UUID, date | None] = {}
    for lot in lots:
        if lot.quantity <= 0 or not lot_sellable(lot, today):
            continue
        sellable[lot.storefront_id] = sellable.get(lot.storefront_id, 0) + lot.quantity
        if lot.expiry_date is not None:
            known = nearest.get(lot.storefront_id)
            nearest[lot.storefront_id] = min(known, lot.expiry_date) if known else lot.expiry_date
    return {
        storefront: ShelfLevel(units, nearest.get(storefront))
        for storefront, units in sellable.items()
    }


def lots_of_business(business: Business) -> QuerySet[Lot]:
    return Lot.objects.filter(medicine__business=business).select_related("medicine", "storefront")


# The windows of "Expiring soon": days ahead of the business's local today.
EXPIRY_WINDOWS = (30, 60, 90)


def in_expiry_window(lots: QuerySet[Lot], *, today: date, within: int | None) -> QuerySet[Lot]:
    """The dated `lots` still holding units that expire within `within` days of `today`
    (None: already expired): "Expiring soon" and the home page's counts."""
    held = lots.filter(quantity__gt=0, expiry_date__isnull=False)
    if within is None:
        return held.filter(expiry_date__lt=today)
    return held.filter(expiry_date__gte=today, expiry_date__lte=today + timedelta(days=within))


@dataclass(frozen=True)
class ExpiryCounts:
    """The home page's watch: lots expiring within 30 days, expired units still in stock."""

    expiring_lots: int
    expired_units: int


def expiry_counts(business: Business, *, today: date) -> ExpiryCounts:
    lots = lots_of_business(business)
    soon = in_expiry_window(lots, today=today, within=EXPIRY_WINDOWS[0]).count()
    expired = in_expiry_window(lots, today=today, within=None).aggregate(units=Sum("quantity"))[
        "units"
    ]
    return ExpiryCounts(expiring_lots=soon, expired_units=expired or 0)


def lot_family(lot: Lot) -> QuerySet[Lot]:
    """Every storefront's lot of `lot`'s medicine and number (the stock without lot number
    is a family of one)."""
    if lot.lot_number is None:
        return Lot.objects.filter(pk=lot.pk).select_related("storefront")
    return (
        Lot.objects.filter(medicine_id=lot.medicine_id, lot_number=lot.lot_number)
        .select_related("storefront")
        .order_by("storefront__name", "pk")
    )


def lot_sale_takes(lot: Lot) -> QuerySet[SaleItemLot]:
    """Every sale line that took units of `lot`'s family, newest sale first, with its sale,
    storefront and customer."""
    return (
        SaleItemLot.objects.filter(lot__in=lot_family(lot))
        .select_related("item__sale__customer", "item__sale__storefront", "lot")
        .order_by("-item__sale__completed_at", "pk")
    )


@dataclass(frozen=True)
class RecallFigures:
    """A lot's account across storefronts: on the shelves, sold, and come back from
    customers (returned or cancelled)."""

    on_shelf: int
    sold: int
    recovered: int

    @property
    def outstanding(self) -> int:
        return self.sold - self.recovered


def recall_figures(lot: Lot) -> RecallFigures:
    takes = SaleItemLot.objects.filter(lot__in=lot_family(lot)).aggregate(
        sold=Sum("quantity"), recovered=Sum("returned_quantity")
    )
    on_shelf = lot_family(lot).aggregate(units=Sum("quantity"))["units"]
    return RecallFigures(
        on_shelf=on_shelf or 0, sold=takes["sold"] or 0, recovered=takes["recovered"] or 0
    )
