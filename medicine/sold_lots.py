"""The lots a sale line took, as its receipt, its answers and its back-office page show them,
and the lots a returned line went back into, as its return slip shows them: a recall reaches a
box only through the lot number and expiry printed on the paper that came with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch
from django.utils.html import format_html_join
from django.utils.translation import gettext as _

from medicine.models import ReturnItemLot, SaleItemLot
from pos_project.bidi import isolate
from pos_project.formats import month_year


@dataclass(frozen=True)
class SoldLot:
    lot_number: str
    expiry_date: date
    quantity: int


def _lots_prefetch(lookup: str, model) -> Prefetch:
    return Prefetch(
        lookup,
        queryset=model.objects.select_related("lot").order_by(
            "lot__expiry_date", "lot__lot_number", "pk"
        ),
    )


def sold_lots_prefetch(lookup: str) -> Prefetch:
    """Every line's takes and their lots in one statement, however many lines: `lookup` is
    the path to a line's takes ("items__lots" from sales, "lots" from lines)."""
    return _lots_prefetch(lookup, SaleItemLot)


def returned_lots_prefetch(lookup: str) -> Prefetch:
    """Every returned line's lots in one statement, however many lines: `lookup` is the
    path to a returned line's lots ("items__lots" from returns, "lots" from their lines)."""
    return _lots_prefetch(lookup, ReturnItemLot)


def sold_lots(item) -> list[SoldLot]:
    """The numbered lots sale line `item` took, or returned line `item` went back into (read
    through `sold_lots_prefetch` or `returned_lots_prefetch`), earliest expiry first, with the
    units of the line in each. Units from stock without a lot number have no number or
    expiry to show, so they are left out."""
    return [
        SoldLot(take.lot.lot_number, take.lot.expiry_date, take.quantity)
        for take in item.lots.all()
        if take.lot.lot_number is not None
    ]


def sold_lot_words(lots: list[SoldLot], line_quantity: int) -> list[str]:
    """Each lot as printed under its line of `line_quantity` units, "Lot A123 · exp.
    03/2027"; each with its units first, "2 x Lot A123 · exp. 03/2027", unless one lot holds
    all of the line's units (a line may span lots, or stock without a lot number). The
    number and the date are isolated, so they read left to right inside Arabic."""
    words = [
        _("Lot %(number)s · exp. %(expiry)s")
        % {"number": isolate(lot.lot_number), "expiry": isolate(month_year(lot.expiry_date))}
        for lot in lots
    ]
    if len(lots) == 1 and lots[0].quantity == line_quantity:
        return words
    return [
        _("%(quantity)s x %(lot)s") % {"quantity": isolate(lot.quantity), "lot": lot_text}
        for lot, lot_text in zip(lots, words, strict=True)
    ]


def sold_lots_html(line) -> str:
    """The back office's lines under a sale line or a returned line: its lots (read through
    `sold_lots_prefetch` or `returned_lots_prefetch`) in the printed words, one a line."""
    return format_html_join(
        "",
        '<div class="sold-lot"><bdi>{}</bdi></div>',
        ((text,) for text in sold_lot_words(sold_lots(line), line.quantity)),
    )
