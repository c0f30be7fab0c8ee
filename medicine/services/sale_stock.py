"""A sale taking its units off the shelf, lot by lot, and a return or a cancellation
putting them back into the lots they came from.

The sales app calls these inside its own transaction; they do not audit, because the sale's
own entry records them. Locks: the stock rows, by primary key, then their lots, by primary
key (docs/locking.md).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Case, F, IntegerField, Value, When
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from medicine.errors import ErrorCode
from medicine.locks import lots_lock, lots_shift, lots_take_fefo, stocks_lock, stocks_take
from medicine.models import Lot, Medicine, SaleItemLot, Stock
from medicine.shelf import fefo_key, lot_sellable
from pos_project.bidi import isolate
from pos_project.errors import Conflict
from pos_project.models import Storefront


@dataclass(frozen=True)
class ShelfLine:
    """A sale line's units of one medicine: what the shelf gives or takes back for it."""

    item: uuid.UUID
    medicine: uuid.UUID
    quantity: int
    restock: bool = True


def _checked(lines: Iterable[ShelfLine], *, distinct: bool = True) -> list[ShelfLine]:
    checked, medicines = [], set()
    for line in lines:
        quantity = line.quantity
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 0:
            raise ValueError(f"quantity for {line.medicine} must be a non-negative int")
        if distinct and line.medicine in medicines:
            raise ValueError(f"medicine {line.medicine} is on two lines of one sale")
        medicines.add(line.medicine)
        if quantity:
            checked.append(line)
    return checked


def _require_transaction(name: str) -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"{name} must run inside the transaction of the sale it serves.")


def stock_shift(storefront: Storefront, changes: Mapping[uuid.UUID, int]) -> None:
    """Move each of the storefront's stock rows of `changes` (medicine id to units; locked
    by the caller) by its own number of units, in one UPDATE."""
    Stock.objects.filter(storefront=storefront, medicine_id__in=changes).update(
        quantity=F("quantity")
        + Case(
            *(
                When(medicine_id=medicine_id, then=Value(units))
                for medicine_id, units in changes.items()
            ),
            output_field=IntegerField(),
        ),
        updated_at=timezone.now(),
    )


def stock_decrement_for_sale(
    *, storefront: Storefront, lines: Iterable[ShelfLine], today: date
) -> None:
    """Take a completed sale's units off the storefront's shelf, lot by lot.

    Each line (one per medicine) takes from the lots sellable on `today`, the storefront's
    local date: not recalled, not past their expiry; the earliest expiry first, the stock
    from before lots last; one line may span lots, and each take is recorded
    (`SaleItemLot`). The usual case is three statements: the stock rows (locked and taken),
    the takes (the lots locked and read), the lots.

    If any line is short, nothing changes and one 409 `Conflict` lists every shortage
    (`shortages`: medicine, name, described, requested, available, and the `lots` that
    hold units it may not sell): `stock_recalled` when a recalled lot holds some of them,
    `stock_expired` when expired lots do, else `insufficient_stock`.
    """
    _require_transaction("stock_decrement_for_sale")
    lines = _checked(lines)
    if not lines:
        return
    wanted = {line.medicine: line.quantity for line in lines}
    moved = stocks_take(storefront=storefront, quantities=wanted)
    if len(moved) == len(wanted):
        takes = lots_take_fefo(
            storefront=storefront,
            lines=[(line.item, line.medicine, line.quantity) for line in lines],
            today=today,
        )
        taken: dict[uuid.UUID, int] = {}
        for item_id, _lot, units in takes:
            taken[item_id] = taken.get(item_id, 0) + units
        if all(taken.get(line.item, 0) == line.quantity for line in lines):
            lots_shift({lot_id: -units for _item, lot_id, units in takes})
            return
        SaleItemLot.objects.filter(item_id__in=[line.item for line in lines]).delete()
    # Nothing changes on a refusal, even for a caller that goes on in its transaction: the
    # rows that moved go back; all of them stay locked, so what is read is exact.
    if moved:
        stock_shift(storefront, {medicine_id: wanted[medicine_id] for medicine_id in moved})
    raise _shortage(storefront, wanted, today)


def _lots_words(lots: list[Lot]) -> str:
    return ", ".join(
        _("lot %(number)s recalled") % {"number": lot.lot_number}
        if lot.is_recalled
        else _("lot %(number)s expired %(date)s")
        % {"number": lot.lot_number, "date": date_format(lot.expiry_date, "SHORT_DATE_FORMAT")}
        for lot in lots
    )


def _shortage(storefront: Storefront, wanted: Mapping[uuid.UUID, int], today: date) -> Conflict:
    lots_of: dict[uuid.UUID, list[Lot]] = {}
    for lot in Lot.objects.filter(
        storefront=storefront, medicine_id__in=wanted, quantity__gt=0
    ).order_by("expiry_date", "pk"):
        lots_of.setdefault(lot.medicine_id, []).append(lot)
    short = {}
    for medicine_id, requested in wanted.items():
        lots = lots_of.get(medicine_id, [])
        available = sum(lot.quantity for lot in lots if lot_sellable(lot, today))
        if available < requested:
            blocked = [lot for lot in lots if not lot_sellable(lot, today)]
            short[medicine_id] = (requested, available, blocked)
    medicines = (
        Medicine.objects.filter(business_id=storefront.business_id)
        .only("name", "strength", "form")
        .in_bulk(list(short))
    )
    described = {pk: medicine.described for pk, medicine in medicines.items()}
    shortages = [
        {
            "medicine": str(medicine_id),
            "name": medicines[medicine_id].name if medicine_id in medicines else "",
            "described": described.get(medicine_id, str(medicine_id)),
            "requested": requested,
            "available": available,
            "lots": [
                {
                    "id": str(lot.pk),
                    "lot_number": lot.lot_number,
                    "expiry_date": lot.expiry_date.isoformat() if lot.expiry_date else None,
                    "quantity": lot.quantity,
                    "recalled": lot.is_recalled,
                }
                for lot in blocked
            ],
        }
        for medicine_id, (requested, available, blocked) in sorted(
            short.items(), key=lambda item: (described.get(item[0], ""), str(item[0]))
        )
    ]
    blocked_lots = [lot for _r, _a, blocked in short.values() for lot in blocked]
    # Two packs may share a name (Amoxil 1 g and 500 mg): each is named with its strength
    # and form, and its id, so the till can find the line.
    listed = "; ".join(
        _("%(medicine)s (id %(id)s: requested %(requested)s, available %(available)s)")
        % {
            "medicine": item["described"],
            "id": item["medicine"],
            "requested": item["requested"],
            "available": item["available"],
        }
        + (
            " " + _("[%(lots)s]") % {"lots": _lots_words(short[uuid.UUID(item["medicine"])][2])}
            if item["lots"]
            else ""
        )
        for item in shortages
    )
    if any(lot.is_recalled for lot in blocked_lots):
        error, code = "Stock recalled", ErrorCode.STOCK_RECALLED
        message = _(
            "Units left at %(storefront)s may not be sold: %(listed)s. A recalled lot is never "
            "sold; take it off the shelf, lower the quantities or restock."
        )
    elif blocked_lots:
        error, code = "Stock expired", ErrorCode.STOCK_EXPIRED
        message = _(
            "Only expired units are left at %(storefront)s: %(listed)s. Write the expired "
            "lots off, lower the quantities or restock."
        )
    else:
        error, code = "Insufficient stock", ErrorCode.INSUFFICIENT_STOCK
        message = _(
            "Not enough stock at %(storefront)s: %(listed)s. Lower the quantities or restock, "
            "then try again."
        )
    return Conflict(
        error,
        message % {"storefront": isolate(storefront.name), "listed": listed},
        code=code,
        shortages=shortages,
    )


def _restock_order(take: SaleItemLot) -> tuple:
    # Returns are matched to the lots the line took last first: the reverse of FEFO
    # (sorted in reverse), ties between lots of one expiry included, so the lot a return
    # records, and its slip prints, never depends on the order rows come back in.
    return fefo_key(take.lot)


# Per sale line, the lot each of its returned units went back into (or, kept off the shelf,
# was sold from) and how many: lot id to units.
RestoredLots = dict[uuid.UUID, dict[uuid.UUID, int]]


def _add(units_of: dict, key, units: int) -> None:
    units_of[key] = units_of.get(key, 0) + units


def stock_restore_for_sale(*, storefront: Storefront, lines: Iterable[ShelfLine]) -> RestoredLots:
    """Put a return's or a cancellation's units back into the lots the lines took them
    from, and count them as come back on each take (a recall's "recovered").

    A line's units are matched to its takes in the reverse of the order it took them; units
    sold before lots were tracked go into the lot without number. A line sent with
    `restock` false counts as come back but stays off the shelf. Must run inside the
    sale's transaction, with the sale locked; it does not audit.

    Answers, per sale line (`ShelfLine.item`), the lots its units went into and how many:
    for a line kept off the shelf, the takes they counted against (its units sold before
    lots were tracked went into no lot, so they are not in it).
    """
    _require_transaction("stock_restore_for_sale")
    lines = _checked(lines, distinct=False)
    split: RestoredLots = {}
    if not lines:
        return split
    takes_of: dict[uuid.UUID, list[SaleItemLot]] = {}
    for take in SaleItemLot.objects.filter(
        item_id__in=[line.item for line in lines], returned_quantity__lt=F("quantity")
    ).select_related("lot"):
        takes_of.setdefault(take.item_id, []).append(take)
    come_back: dict[uuid.UUID, int] = {}
    into_lots: dict[uuid.UUID, int] = {}
    unnumbered: dict[uuid.UUID, int] = {}
    unnumbered_of_line: list[tuple[ShelfLine, int]] = []
    for line in lines:
        left = line.quantity
        lots_of_line = split.setdefault(line.item, {})
        for take in sorted(takes_of.get(line.item, []), key=_restock_order, reverse=True):
            count = min(left, take.quantity - take.returned_quantity)
            if count <= 0:
                continue
            _add(come_back, take.pk, count)
            take.returned_quantity += count
            _add(lots_of_line, take.lot_id, count)
            if line.restock:
                _add(into_lots, take.lot_id, count)
            left -= count
        if left and line.restock:
            _add(unnumbered, line.medicine, left)
            unnumbered_of_line.append((line, left))
    restocked: dict[uuid.UUID, int] = {}
    for line in lines:
        if line.restock:
            _add(restocked, line.medicine, line.quantity)
    if restocked:
        missing = set(restocked) - set(
            Stock.objects.filter(storefront=storefront, medicine_id__in=restocked).values_list(
                "medicine_id", flat=True
            )
        )
        for medicine_id in sorted(missing, key=str):
            # A row deleted or never created since the sale: recreate it at zero first.
            Stock.objects.get_or_create(medicine_id=medicine_id, storefront=storefront)
        stocks_lock(storefront=storefront, medicine_ids=restocked)
        held = lots_lock(storefront=storefront, medicine_ids=restocked)
        if unnumbered:
            existing = {lot.medicine_id: lot for lot in held if lot.lot_number is None}
            for medicine_id, units in unnumbered.items():
                lot = existing.get(medicine_id) or Lot.objects.create(
                    medicine_id=medicine_id, storefront=storefront
                )
                existing[medicine_id] = lot
                _add(into_lots, lot.pk, units)
            for line, units in unnumbered_of_line:
                _add(split[line.item], existing[line.medicine].pk, units)
        stock_shift(storefront, restocked)
        lots_shift(into_lots)
    if come_back:
        SaleItemLot.objects.filter(pk__in=come_back).update(
            returned_quantity=F("returned_quantity")
            + Case(
                *(When(pk=pk, then=Value(units)) for pk, units in come_back.items()),
                output_field=IntegerField(),
            )
        )
    return {item: lots for item, lots in split.items() if lots}
