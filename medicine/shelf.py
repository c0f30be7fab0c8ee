"""What may leave the shelf today: the rules every sale, adjustment and page share.

A lot sells while it is neither recalled nor past its expiry day at the business's local
date; among the sellable lots of a medicine the earliest expiry goes first (FEFO) and the
stock from before lots (no expiry) last. `medicine.locks.lots_take_fefo` applies the same
order inside the database for a sale.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from medicine.models import Lot
from pos_project.models import Business


def local_today(business: Business, moment=None) -> date:
    """The business's local date at `moment` (now by default): the day whose expiries count."""
    return timezone.localdate(moment or timezone.now(), business.zone)


def lot_sellable(lot: Lot, today: date) -> bool:
    return not lot.is_recalled and not lot.is_expired(today)


def fefo_key(lot: Lot) -> tuple:
    """Sorts lots in the order a sale takes them: earliest expiry first, undated last."""
    return (lot.expiry_date is None, lot.expiry_date or date.max, lot.received_at, str(lot.pk))


def fefo_takes(lots: list[Lot], units: int, today: date) -> list[tuple[Lot, int]]:
    """How `units` come out of `lots` (one medicine's) as a sale would take them: the
    sellable ones, FEFO. Takes what there is; the caller checks it is enough."""
    takes = []
    for lot in sorted((lot for lot in lots if lot_sellable(lot, today)), key=fefo_key):
        if units <= 0:
            break
        count = min(lot.quantity, units)
        if count > 0:
            takes.append((lot, count))
            units -= count
    return takes
