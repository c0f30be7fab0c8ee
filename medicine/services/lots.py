"""Lots: receiving one, adjusting or writing one off, recalling one.

Each change locks the storefront's stock row of the medicine, then the lot
(docs/locking.md), changes both by the same number of units, and is audited in the same
transaction.
"""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F, TextChoices
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.events import AuditEvent, audit_changes
from audit.services import audit_record
from medicine.errors import ErrorCode
from medicine.locks import lot_lock, lot_siblings_lock, stock_lock
from medicine.models import Lot, Medicine, Stock
from medicine.services.stock import MAX_ON_HAND
from medicine.shelf import local_today
from pos_project.actors import Actor
from pos_project.errors import Conflict, invalid_field
from pos_project.languages import in_english
from pos_project.models import Storefront


class LotAdjustReason(TextChoices):
    COUNT_CORRECTION = "COUNT_CORRECTION", gettext_lazy("Count correction")
    DAMAGED = "DAMAGED", gettext_lazy("Damaged")
    EXPIRED_WRITE_OFF = "EXPIRED_WRITE_OFF", gettext_lazy("Expired write-off")


def _day(value: date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def _lock_shelf(medicine: Medicine, storefront: Storefront) -> Stock:
    """The storefront's stock row of `medicine`, made if missing, locked: first of a lot's
    locks."""
    row, _created = Stock.objects.get_or_create(medicine=medicine, storefront=storefront)
    return stock_lock(stock=row)


def _move(row: Stock, lot: Lot, units: int, *, field: str) -> None:
    """Move the locked stock row and lot by `units`; more than a shelf can record is a 400
    on `field`, before anything moved."""
    if row.quantity + units > MAX_ON_HAND:
        raise invalid_field(
            field,
            _("%(count)s on hand: the shelf cannot record %(more)s more.")
            % {"count": row.quantity, "more": units},
            code=ErrorCode.STOCK_TOO_LARGE,
        )
    Stock.objects.filter(pk=row.pk).update(
        quantity=F("quantity") + units, updated_at=timezone.now()
    )
    Lot.objects.filter(pk=lot.pk).update(quantity=F("quantity") + units)
    lot.quantity += units


def _lot_data(lot: Lot) -> dict:
    return {
        "lot": lot.pk,
        "lot_number": lot.lot_number,
        "expiry_date": lot.expiry_date.isoformat() if lot.expiry_date else None,
        "medicine": lot.medicine_id,
        "name": lot.medicine.name,
        "storefront": lot.storefront_id,
        "storefront_name": lot.storefront.name,
    }


def _check_units(quantity, field: str = "quantity") -> int:
    if type(quantity) is not int or quantity <= 0:
        raise invalid_field(
            field, _("The quantity must be a whole number above zero."), code=ErrorCode.INVALID_LOT
        )
    return quantity


def lot_receive(
    *,
    medicine: Medicine,
    storefront: Storefront,
    lot_number: str,
    expiry_date: date,
    quantity: int,
    actor: Actor,
) -> Lot:
    """Put `quantity` boxes of lot `lot_number` on the storefront's shelf (a manager).

    An expiry before the business's local today is a 400 `expiry_in_past`. More of a lot
    already there adds to it: with the same expiry, or a 409 `lot_expiry_mismatch` naming
    both dates; a recalled lot takes no more (409 `lot_recalled`). Audited as
    `stock.lot_received`.
    """
    if storefront.business_id != medicine.business_id:
        raise invalid_field(
            "storefront",
            _("This storefront does not belong to the medicine's business."),
            code=ErrorCode.UNKNOWN_STOREFRONT,
        )
    lot_number = (lot_number or "").strip()
    if not lot_number or len(lot_number) > 64:
        raise invalid_field(
            "lot_number",
            _("Give the lot number printed on the box (at most 64 characters)."),
            code=ErrorCode.INVALID_LOT,
        )
    if not isinstance(expiry_date, date):
        raise invalid_field(
            "expiry_date", _("Give the expiry date printed on the box."), code=ErrorCode.INVALID_LOT
        )
    quantity = _check_units(quantity)
    today = local_today(medicine.business)
    if expiry_date < today:
        raise invalid_field(
            "expiry_date",
            _("Lot %(number)s expired on %(date)s: an expired lot cannot be received.")
            % {"number": lot_number, "date": _day(expiry_date)},
            code=ErrorCode.EXPIRY_IN_PAST,
        )
    with transaction.atomic():
        row = _lock_shelf(medicine, storefront)
        lot = Lot.objects.filter(
            medicine=medicine, storefront=storefront, lot_number=lot_number
        ).first()
        if lot is None:
            try:
                with transaction.atomic():
                    lot = Lot.objects.create(
                        medicine=medicine,
                        storefront=storefront,
                        lot_number=lot_number,
                        expiry_date=expiry_date,
                        received_by=actor.user,
                    )
            except IntegrityError:  # pragma: no cover - the stock row's lock serialises it
                lot = Lot.objects.get(
                    medicine=medicine, storefront=storefront, lot_number=lot_number
                )
        lot = lot_lock(lot=lot)
        if lot.expiry_date != expiry_date:
            raise Conflict(
                "Lot expiry differs",
                _(
                    "Lot %(number)s of %(medicine)s at %(storefront)s expires on %(kept)s, not "
                    "%(sent)s. Check the box: a lot has one expiry date."
                )
                % {
                    "number": lot_number,
                    "medicine": medicine,
                    "storefront": storefront.name,
                    "kept": _day(lot.expiry_date),
                    "sent": _day(expiry_date),
                },
                code=ErrorCode.LOT_EXPIRY_MISMATCH,
                lot=str(lot.pk),
                expiry_date=lot.expiry_date.isoformat(),
                sent_expiry_date=expiry_date.isoformat(),
            )
        if lot.is_recalled:
            raise _recalled(lot)
        before = lot.quantity
        _move(row, lot, quantity, field="quantity")
        lot.storefront = storefront
        audit_record(
            business=medicine.business,
            actor=actor,
            event_type=AuditEvent.STOCK_LOT_RECEIVED,
            # Stored in English (it is hashed into the trail); shown in the reader's language.
            description=(
                f"Received {quantity} of {medicine}, lot {lot_number} expiring "
                f"{expiry_date.isoformat()}, at {storefront.name}"
            ),
            event_data={
                **_lot_data(lot),
                "quantity": quantity,
                "changes": audit_changes({"quantity": before}, {"quantity": lot.quantity}),
            },
        )
    return lot


def _recalled(lot: Lot) -> Conflict:
    return Conflict(
        "Lot recalled",
        _("Lot %(number)s of %(medicine)s was recalled (%(reference)s).")
        % {"number": lot.lot_number, "medicine": lot.medicine, "reference": lot.recall_reference},
        code=ErrorCode.LOT_RECALLED,
        lot=str(lot.pk),
    )


def lot_adjust(*, lot: Lot, quantity_delta: int, reason: str, note: str = "", actor: Actor) -> Lot:
    """Add units to or take units from one lot (a manager), with a reason: a count
    correction, damaged boxes, or an expired write-off. Never below zero (400
    `insufficient_stock`). Audited as `stock.lot_adjusted`, or `stock.lot_written_off` for
    an expired write-off."""
    if reason not in LotAdjustReason.values:
        raise invalid_field(
            "reason",
            _("The reason must be one of %(reasons)s.")
            % {"reasons": ", ".join(LotAdjustReason.values)},
            code=ErrorCode.REASON_REQUIRED,
        )
    if type(quantity_delta) is not int or quantity_delta == 0:
        raise invalid_field(
            "quantity_delta",
            _("The change must be a non-zero whole number."),
            code=ErrorCode.INVALID_DELTA,
        )
    note = (note or "").strip()
    with transaction.atomic():
        row = _lock_shelf(lot.medicine, lot.storefront)
        lot = lot_lock(lot=lot)
        if reason == LotAdjustReason.EXPIRED_WRITE_OFF and quantity_delta > 0:
            raise invalid_field(
                "quantity_delta",
                _("A write-off takes units out: send a negative change."),
                code=ErrorCode.INVALID_DELTA,
            )
        if lot.quantity + quantity_delta < 0:
            raise invalid_field(
                "quantity_delta",
                _("Only %(count)s in lot %(number)s: cannot remove %(units)s.")
                % {
                    "count": lot.quantity,
                    "number": lot.lot_number or "-",
                    "units": -quantity_delta,
                },
                code=ErrorCode.INSUFFICIENT_STOCK,
                on_hand=lot.quantity,
            )
        before = lot.quantity
        _move(row, lot, quantity_delta, field="quantity_delta")
        written_off = reason == LotAdjustReason.EXPIRED_WRITE_OFF
        audit_record(
            business=lot.medicine.business,
            actor=actor,
            event_type=(
                AuditEvent.STOCK_LOT_WRITTEN_OFF if written_off else AuditEvent.STOCK_LOT_ADJUSTED
            ),
            description=(
                f"{lot.medicine}, lot {lot.lot_number or '-'} at {lot.storefront.name}: "
                f"{before} -> {lot.quantity} "
                f"({in_english(LotAdjustReason(reason).label)}{f': {note}' if note else ''})"
            ),
            event_data={
                **_lot_data(lot),
                "quantity_delta": quantity_delta,
                "reason": reason,
                "note": note,
                "changes": audit_changes({"quantity": before}, {"quantity": lot.quantity}),
            },
        )
    return lot


def lot_write_off(*, lot: Lot, note: str = "", actor: Actor) -> Lot:
    """Take every unit of an expired (or recalled) lot off the shelf: `lot_adjust` with the
    reason expired write-off. A lot still sellable is refused (409 `lot_not_expired`)."""
    today = local_today(lot.medicine.business)
    if not (lot.is_expired(today) or lot.is_recalled):
        raise Conflict(
            "Lot not expired",
            _("Lot %(number)s expires on %(date)s: only expired or recalled lots are written off.")
            % {
                "number": lot.lot_number or "-",
                "date": _day(lot.expiry_date) if lot.expiry_date else "-",
            },
            code=ErrorCode.LOT_NOT_EXPIRED,
        )
    if lot.quantity == 0:
        return lot
    return lot_adjust(
        lot=lot,
        quantity_delta=-lot.quantity,
        reason=LotAdjustReason.EXPIRED_WRITE_OFF,
        note=note,
        actor=actor,
    )


def lot_recall(*, lot: Lot, reference: str, recall_date: date, actor: Actor) -> list[Lot]:
    """Mark a lot recalled (a manager), with the recall's reference and date, at every
    storefront holding that lot number of the medicine: from then on none of it is sold. A
    lot already recalled is a 409 `lot_recalled`; stock without lot number cannot be
    recalled (400). Audited as `stock.lot_recalled`, once, naming what each storefront
    holds. Answers the lots recalled."""
    reference = (reference or "").strip()
    if not reference or len(reference) > 120:
        raise invalid_field(
            "reference",
            _("Give the recall's reference (at most 120 characters)."),
            code=ErrorCode.REASON_REQUIRED,
        )
    if not isinstance(recall_date, date):
        raise invalid_field("date", _("Give the date of the recall."), code=ErrorCode.INVALID_LOT)
    if lot.lot_number is None:
        raise invalid_field(
            "lot",
            _("Stock without a lot number cannot be recalled: receive it as a lot first."),
            code=ErrorCode.INVALID_LOT,
        )
    with transaction.atomic():
        lots = lot_siblings_lock(lot=lot)
        if any(sibling.is_recalled for sibling in lots):
            raise _recalled(next(sibling for sibling in lots if sibling.is_recalled))
        now = timezone.now()
        Lot.objects.filter(pk__in=[sibling.pk for sibling in lots]).update(
            recalled_at=now,
            recall_reference=reference,
            recall_date=recall_date,
            recalled_by=actor.user,
        )
        for sibling in lots:
            sibling.recalled_at, sibling.recall_reference = now, reference
            sibling.recall_date, sibling.recalled_by = recall_date, actor.user
        on_shelf = sum(sibling.quantity for sibling in lots)
        audit_record(
            business=lot.medicine.business,
            actor=actor,
            event_type=AuditEvent.STOCK_LOT_RECALLED,
            description=(
                f"{lot.medicine}, lot {lot.lot_number} recalled ({reference}, "
                f"{recall_date.isoformat()}); {on_shelf} on the shelves"
            ),
            event_data={
                **_lot_data(lot),
                "reference": reference,
                "recall_date": recall_date.isoformat(),
                "on_shelf": {str(sibling.storefront_id): sibling.quantity for sibling in lots},
            },
        )
    return lots
