"""A manager's adjustment of a storefront's stock, for clients that know no lots: units
added go into the lot without number, units removed come out as a sale would take them.
Per-lot changes are in `medicine.services.lots`; a sale's in `medicine.services.sale_stock`.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from audit.events import AuditEvent, audit_changes
from audit.services import audit_record
from medicine.errors import ErrorCode
from medicine.locks import lots_lock, lots_shift, stock_lock
from medicine.models import Lot, Medicine, Stock
from medicine.shelf import fefo_takes, local_today, lot_sellable
from pos_project.actors import Actor
from pos_project.bidi import isolate
from pos_project.errors import invalid_field
from pos_project.models import Storefront

# The stock column is a 32-bit integer on every database; beyond this the write would fail.
MAX_ON_HAND = 2_147_483_647


def stock_adjust(
    *,
    medicine: Medicine,
    storefront: Storefront,
    quantity_delta: int,
    reason: str,
    actor: Actor,
) -> Stock:
    """Add units to (delivery) or take units from (breakage, count) a storefront's stock.

    Refuses, with a 400 that says how many are on hand, a change that would leave fewer
    than zero. Audited as `medicine.stock_adjusted`.
    """
    if storefront.business_id != medicine.business_id:
        raise invalid_field(
            "storefront",
            gettext("This storefront does not belong to the medicine's business."),
            code=ErrorCode.UNKNOWN_STOREFRONT,
        )
    if type(quantity_delta) is not int or quantity_delta == 0:
        raise invalid_field(
            "quantity_delta",
            gettext("The change must be a non-zero whole number."),
            code=ErrorCode.INVALID_DELTA,
        )
    reason = (reason or "").strip()
    if not reason:
        raise invalid_field(
            "reason", gettext("Say why the stock changes."), code=ErrorCode.REASON_REQUIRED
        )
    with transaction.atomic():
        row, _created = Stock.objects.get_or_create(medicine=medicine, storefront=storefront)
        # Locked before reading the quantity, so that two adjustments (or a sale) at once
        # are applied one after the other: none is lost and none takes the shelf below zero.
        row = stock_lock(stock=row)
        old_quantity = row.quantity
        new_quantity = old_quantity + quantity_delta
        if new_quantity < 0:
            raise invalid_field(
                "quantity_delta",
                gettext("Only %(on_hand)s on hand at %(storefront)s: cannot remove %(count)s.")
                % {
                    "on_hand": old_quantity,
                    "storefront": isolate(storefront.name),
                    "count": -quantity_delta,
                },
                code=ErrorCode.INSUFFICIENT_STOCK,
                on_hand=old_quantity,
            )
        if new_quantity > MAX_ON_HAND:
            raise invalid_field(
                "quantity_delta",
                gettext(
                    "%(on_hand)s on hand at %(storefront)s: adding %(count)s would exceed the "
                    "most a shelf can record (%(most)s)."
                )
                % {
                    "on_hand": old_quantity,
                    "storefront": isolate(storefront.name),
                    "count": quantity_delta,
                    "most": MAX_ON_HAND,
                },
                code=ErrorCode.STOCK_TOO_LARGE,
                on_hand=old_quantity,
            )
        lots = lots_lock(storefront=storefront, medicine_ids=[medicine.pk])
        today = local_today(medicine.business)
        sellable = sum(lot.quantity for lot in lots if lot_sellable(lot, today))
        if sellable + quantity_delta < 0:
            # Expired and recalled units leave by their lot's own adjustment or write-off.
            raise invalid_field(
                "quantity_delta",
                gettext(
                    "Only %(sellable)s sellable at %(storefront)s: cannot remove %(units)s. "
                    "Adjust expired or recalled lots one by one."
                )
                % {
                    "sellable": sellable,
                    "storefront": isolate(storefront.name),
                    "units": -quantity_delta,
                },
                code=ErrorCode.INSUFFICIENT_STOCK,
                on_hand=old_quantity,
                sellable=sellable,
            )
        if quantity_delta > 0:
            unnumbered = next((lot for lot in lots if lot.lot_number is None), None)
            if unnumbered is None:
                unnumbered = Lot.objects.create(medicine=medicine, storefront=storefront)
            moves = {unnumbered.pk: quantity_delta}
            lot_moves = [{"lot": unnumbered.pk, "lot_number": None, "delta": quantity_delta}]
        else:
            takes = fefo_takes(lots, -quantity_delta, today)
            moves = {lot.pk: -units for lot, units in takes}
            lot_moves = [
                {"lot": lot.pk, "lot_number": lot.lot_number, "delta": -units}
                for lot, units in takes
            ]
        Stock.objects.filter(pk=row.pk).update(
            quantity=F("quantity") + quantity_delta, updated_at=timezone.now()
        )
        lots_shift(moves)
        row.refresh_from_db()
        audit_record(
            business=medicine.business,
            actor=actor,
            event_type=AuditEvent.MEDICINE_STOCK_ADJUSTED,
            description=(
                f"Stock of {medicine} at {storefront.name}: {old_quantity} -> {row.quantity} "
                f"({quantity_delta:+d}, {reason})"
            ),
            event_data={
                "medicine": medicine.pk,
                "name": medicine.name,
                "storefront": storefront.pk,
                "storefront_name": storefront.name,
                "changes": audit_changes({"quantity": old_quantity}, {"quantity": row.quantity}),
                "quantity_delta": quantity_delta,
                "reason": reason,
                "lots": lot_moves,
            },
        )
    return row
