"""Changes to stock: a manager's adjustment, and a sale taking from or giving back to the
shelf.

The sales app calls `stock_decrement_for_sale` and `stock_restore_for_sale` inside its own
transaction; those two do not audit, because the sale's own entry records them.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Case, F, IntegerField, Value, When
from django.utils import timezone
from django.utils.translation import gettext

from audit.events import AuditEvent, audit_changes
from audit.services import audit_record
from medicine.errors import ErrorCode
from medicine.locks import stock_lock, stocks_lock, stocks_take
from medicine.models import Medicine, Stock
from pos_project.actors import Actor
from pos_project.bidi import isolate
from pos_project.errors import Conflict, invalid_field
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
        row, _ = Stock.objects.get_or_create(medicine=medicine, storefront=storefront)
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
        Stock.objects.filter(pk=row.pk).update(
            quantity=F("quantity") + quantity_delta, updated_at=timezone.now()
        )
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
            },
        )
    return row


def _normalise_quantities(quantities: Mapping[Any, int]) -> dict[uuid.UUID, int]:
    normalised: dict[uuid.UUID, int] = {}
    for medicine_id, quantity in quantities.items():
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 0:
            raise ValueError(f"quantity for {medicine_id} must be a non-negative int")
        key = medicine_id if isinstance(medicine_id, uuid.UUID) else uuid.UUID(str(medicine_id))
        normalised[key] = normalised.get(key, 0) + quantity
    return {key: quantity for key, quantity in normalised.items() if quantity}


def _require_transaction(name: str) -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"{name} must run inside the transaction of the sale it serves.")


def _shift_stock(storefront: Storefront, changes: Mapping[uuid.UUID, int]) -> None:
    """Move each of the storefront's rows of `changes` (locked by the caller) by its own
    number of units, in one UPDATE."""
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


def stock_decrement_for_sale(*, storefront: Storefront, quantities: Mapping[Any, int]) -> None:
    """Take a completed sale's units off the storefront's shelf.

    `quantities` maps medicine id to units, already summed over the sale's lines. Must run
    inside the sale's transaction; it does not audit (the sale's entry does).

    If any medicine is short, nothing changes and one `DomainError` is raised, status 409
    (the sale is valid; the shelf changed under it), code `insufficient_stock`, whose body
    lists every shortage:
    `{"error": "Insufficient stock", "code": "insufficient_stock",
      "shortages": [{"medicine": id, "name": ..., "described": ..., "requested": n,
                     "available": m}, ...],
      "message": "Not enough stock at Main: Amoxil 1 g, capsule (id ...: requested 3,
                  available 1); ..."}`
    """
    _require_transaction("stock_decrement_for_sale")
    wanted = _normalise_quantities(quantities)
    if not wanted:
        return
    # The usual case, every row holding enough, is this one statement; a shortage is read
    # only when it happens.
    moved = stocks_take(storefront=storefront, quantities=wanted)
    if len(moved) < len(wanted):
        # The rows that moved go back (nothing changes on a refusal, even for a caller that
        # goes on in its transaction); all of them stay locked, so what is read is exact.
        if moved:
            _shift_stock(storefront, {medicine_id: wanted[medicine_id] for medicine_id in moved})
        on_hand = dict(
            Stock.objects.filter(storefront=storefront, medicine_id__in=wanted).values_list(
                "medicine_id", "quantity"
            )
        )
        short = {
            medicine_id: (requested, on_hand.get(medicine_id, 0))
            for medicine_id, requested in wanted.items()
            if medicine_id not in moved
        }
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
            }
            for medicine_id, (requested, available) in sorted(
                short.items(), key=lambda item: (described.get(item[0], ""), str(item[0]))
            )
        ]
        # Two packs may share a name (Amoxil 1 g and 500 mg): each is named with its
        # strength and form, and its id, so the till can find the line.
        listed = "; ".join(
            gettext("%(medicine)s (id %(id)s: requested %(requested)s, available %(available)s)")
            % {
                "medicine": item["described"],
                "id": item["medicine"],
                "requested": item["requested"],
                "available": item["available"],
            }
            for item in shortages
        )
        raise Conflict(
            "Insufficient stock",
            gettext(
                "Not enough stock at %(storefront)s: %(lines)s. Lower the quantities or "
                "restock, then try again."
            )
            % {"storefront": isolate(storefront.name), "lines": listed},
            code=ErrorCode.INSUFFICIENT_STOCK,
            shortages=shortages,
        )


def stock_restore_for_sale(*, storefront: Storefront, quantities: Mapping[Any, int]) -> None:
    """Put a cancelled sale's units back on the storefront's shelf.

    The counterpart of `stock_decrement_for_sale`, with the same arguments and lock order.
    Must run inside the sale's transaction; it does not audit.
    """
    _require_transaction("stock_restore_for_sale")
    wanted = _normalise_quantities(quantities)
    if not wanted:
        return
    missing = set(wanted) - set(
        Stock.objects.filter(storefront=storefront, medicine_id__in=wanted).values_list(
            "medicine_id", flat=True
        )
    )
    for medicine_id in sorted(missing, key=str):
        # A row deleted or never created since the sale: recreate it at zero first.
        Stock.objects.get_or_create(medicine_id=medicine_id, storefront=storefront)
    stocks_lock(storefront=storefront, medicine_ids=wanted)
    _shift_stock(storefront, wanted)
