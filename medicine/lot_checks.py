"""Proves every storefront's stock against its lots: the kept figure is their sum.

`check_ledgers` runs this. A lot below zero cannot be written (the database's
`lot_not_negative` constraint, like `stock_not_negative` for the stock rows), so the sums
are the only thing left to prove.
"""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from medicine.models import Lot, Stock
from pos_project.models import Business


@dataclass
class LotCheck:
    """What the check found: how many stock rows it checked, and every difference."""

    checked: int = 0
    differences: list[str] = field(default_factory=list)


def stock_lots_check(*, businesses: QuerySet[Business] | None = None) -> LotCheck:
    """Each stock row of `businesses` (default: all) against the sum of its lots, and every
    lot whose storefront has no stock row, in two grouped queries."""
    stocks = Stock.objects.all()
    lots = Lot.objects.all()
    if businesses is not None:
        stocks = stocks.filter(storefront__business__in=businesses)
        lots = lots.filter(storefront__business__in=businesses)
    held = (
        Lot.objects.filter(
            medicine_id=OuterRef("medicine_id"), storefront_id=OuterRef("storefront_id")
        )
        .values("medicine_id")
        .annotate(total=Sum("quantity"))
        .values("total")
    )
    rows = stocks.annotate(in_lots=Coalesce(Subquery(held), Value(0))).values_list(
        "medicine_id", "medicine__name", "storefront__name", "quantity", "in_lots"
    )
    result = LotCheck()
    for medicine_id, name, storefront, quantity, in_lots in rows:
        result.checked += 1
        if quantity != in_lots:
            result.differences.append(
                _(
                    "Stock of %(medicine)s (%(id)s) at %(storefront)s is %(kept)s but its lots "
                    "hold %(lots)s."
                )
                % {
                    "medicine": name,
                    "id": medicine_id,
                    "storefront": storefront,
                    "kept": quantity,
                    "lots": in_lots,
                }
            )
    has_row = Stock.objects.filter(
        medicine_id=OuterRef("medicine_id"), storefront_id=OuterRef("storefront_id")
    )
    orphans = (
        lots.filter(quantity__gt=0)
        .exclude(Exists(has_row))
        .values_list("medicine_id", "medicine__name", "storefront__name")
        .distinct()
    )
    for medicine_id, name, storefront in orphans:
        result.differences.append(
            _("Lots of %(medicine)s (%(id)s) at %(storefront)s have no stock row.")
            % {"medicine": name, "id": medicine_id, "storefront": storefront}
        )
    return result
