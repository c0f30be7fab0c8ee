"""Every change to the catalogue and its stock.

Prices and stock are what a sale is priced from and takes from the shelf, so each change
runs in one transaction, locks the rows it decides on, and writes its audit entry in that
same transaction. The sales app calls `stock_decrement_for_sale` and
`stock_restore_for_sale` inside its own transaction; those two do not audit, because the
sale's own entry records them.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Case, F, IntegerField, ProtectedError, Value, When
from django.utils import timezone
from rest_framework import status

from audit.services import audit_record
from medicine.locks import medicine_lock, stock_lock, stocks_lock
from medicine.models import Medicine, Stock
from pos_project.actors import Actor
from pos_project.exceptions import DomainError
from pos_project.models import Business, Storefront
from pos_project.money import format_money

PRICE_FIELDS = ("prix_br", "wholesale_price")
DETAIL_FIELDS = ("name", "generic_name", "form", "strength", "barcode", "is_active")
EDITABLE_FIELDS = DETAIL_FIELDS + PRICE_FIELDS
# The stock column is a 32-bit integer on every database; beyond this the write would fail.
MAX_ON_HAND = 2_147_483_647


def _invalid(field: str, message: str, *, code: str, **details) -> DomainError:
    """A 400 shaped like a validation error, so clients find the culprit under `fields`."""
    return DomainError(
        "Invalid input",
        message,
        code=code,
        fields={field: [message]},
        **details,
    )


def _check_prices(*, prix_br: Decimal, wholesale_price: Decimal | None) -> None:
    # The serializer and the admin form refuse these first; this guards every other caller
    # (commands, the demo, the sales app) with a clear error instead of an IntegrityError.
    if prix_br is None or prix_br <= 0:
        raise _invalid("prix_br", "The price must be greater than zero.", code="invalid_price")
    if wholesale_price is not None and wholesale_price <= 0:
        raise _invalid(
            "wholesale_price",
            "The wholesale price must be greater than zero, or empty to use the public price.",
            code="invalid_price",
        )
    # A line never sells above the public price, so a higher wholesale price could not be
    # charged anyway; refusing it here keeps the two prices coherent.
    if wholesale_price is not None and wholesale_price > prix_br:
        raise _invalid(
            "wholesale_price",
            f"The wholesale price ({wholesale_price}) may not exceed the public price "
            f"({prix_br}). Lower the wholesale price, or leave it empty to use the public price.",
            code="wholesale_above_public_price",
        )


def _barcode_taken(barcode: str | None) -> DomainError:
    return _invalid(
        "barcode",
        f"Another medicine of this business already has the barcode {barcode}.",
        code="barcode_taken",
    )


def _check_barcode_free(*, business: Business, barcode: str | None, exclude_pk=None) -> None:
    if not barcode:
        return
    taken = Medicine.objects.filter(business=business, barcode=barcode)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise _barcode_taken(barcode)


def _save_checked(medicine: Medicine, **save_kwargs) -> None:
    # Two tills saving the same barcode at once both pass the check above; the unique
    # constraint then stops the second, which must still get a 400, not a 500. Prices were
    # checked already, so the barcode is the only constraint left to fail.
    try:
        with transaction.atomic():
            medicine.save(**save_kwargs)
    except IntegrityError as exc:
        raise _barcode_taken(medicine.barcode) from exc


def _normalise_barcode(barcode: str | None) -> str | None:
    # NULL, not "", when absent: the per-business unique constraint ignores NULLs only.
    barcode = (barcode or "").strip()
    return barcode or None


def medicine_create(
    *,
    business: Business,
    actor: Actor,
    name: str,
    prix_br: Decimal,
    generic_name: str = "",
    form: str = "",
    strength: str = "",
    barcode: str | None = None,
    wholesale_price: Decimal | None = None,
    is_active: bool = True,
) -> Medicine:
    """Add a medicine to the business's catalogue, audited as `medicine.created`."""
    barcode = _normalise_barcode(barcode)
    _check_prices(prix_br=prix_br, wholesale_price=wholesale_price)
    with transaction.atomic():
        _check_barcode_free(business=business, barcode=barcode)
        medicine = Medicine(
            business=business,
            name=name,
            generic_name=generic_name,
            form=form,
            strength=strength,
            barcode=barcode,
            prix_br=prix_br,
            wholesale_price=wholesale_price,
            is_active=is_active,
        )
        _save_checked(medicine, force_insert=True)
        audit_record(
            business=business,
            actor=actor,
            event_type="medicine.created",
            description=f"Medicine {medicine} added at {prix_br}",
            event_data={
                "medicine": medicine.pk,
                "name": name,
                "barcode": barcode,
                "prix_br": prix_br,
                "wholesale_price": wholesale_price,
            },
        )
    return medicine


def _price_change_words(medicine: Medicine, old: Mapping, new: Mapping) -> str:
    """ "Price of Doliprane 1000 changed from 12.00 DH to 14.00 DH": only the prices that
    changed, with the currency; a wholesale price that is not set reads "not set"."""
    symbol = medicine.business.currency_symbol

    def price(value) -> str:
        return "not set" if value is None else format_money(value, symbol)

    said = []
    if old["prix_br"] != new["prix_br"]:
        said.append(f"price from {price(old['prix_br'])} to {price(new['prix_br'])}")
    if old["wholesale_price"] != new["wholesale_price"]:
        said.append(
            f"wholesale price from {price(old['wholesale_price'])} to "
            f"{price(new['wholesale_price'])}"
        )
    return f"{medicine.name}: {' and '.join(said)}"


def medicine_update(*, medicine: Medicine, actor: Actor, data: Mapping[str, Any]) -> Medicine:
    """Change a medicine's details or prices.

    `data` holds only the fields to change (any of `EDITABLE_FIELDS`). A price change is
    audited as `medicine.price_changed` with the old and new `prix_br` and
    `wholesale_price`; other changes as `medicine.updated`. Nothing is written, and nothing
    audited, when no value actually changes.
    """
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"medicine_update cannot change {sorted(unknown)}")
    changes = dict(data)
    if "barcode" in changes:
        changes["barcode"] = _normalise_barcode(changes["barcode"])
    with transaction.atomic():
        # Locked so that two managers editing prices at once are applied one after the
        # other and each audit entry's "old" value is the price that was really replaced.
        locked = medicine_lock(medicine=medicine)
        old = {field: getattr(locked, field) for field in EDITABLE_FIELDS}
        new = {**old, **changes}
        changed = [field for field in EDITABLE_FIELDS if new[field] != old[field]]
        if not changed:
            return locked
        _check_prices(prix_br=new["prix_br"], wholesale_price=new["wholesale_price"])
        if "barcode" in changed:
            _check_barcode_free(
                business=locked.business, barcode=new["barcode"], exclude_pk=locked.pk
            )
        for field in changed:
            setattr(locked, field, new[field])
        _save_checked(locked, update_fields=[*changed, "updated_at"])

        if any(field in PRICE_FIELDS for field in changed):
            audit_record(
                business=locked.business,
                actor=actor,
                event_type="medicine.price_changed",
                description=_price_change_words(locked, old, new),
                event_data={
                    "medicine": locked.pk,
                    "name": locked.name,
                    "old": {field: old[field] for field in PRICE_FIELDS},
                    "new": {field: new[field] for field in PRICE_FIELDS},
                },
            )
        details = [field for field in changed if field in DETAIL_FIELDS]
        if details:
            audit_record(
                business=locked.business,
                actor=actor,
                event_type="medicine.updated",
                description=f"Medicine {locked} updated: {', '.join(details)}",
                event_data={
                    "medicine": locked.pk,
                    "name": locked.name,
                    "old": {field: old[field] for field in details},
                    "new": {field: new[field] for field in details},
                },
            )
    medicine.refresh_from_db()
    return medicine


def medicine_delete(*, medicine: Medicine, actor: Actor) -> bool:
    """Remove a medicine that was never sold; deactivate one that was.

    Sale lines keep a reference to their medicine (receipts and reports read it), so a
    medicine that was ever sold cannot disappear. Deactivating hides it from the till while
    keeping its history. Returns True when the row was deleted, False when deactivated.
    """
    with transaction.atomic():
        locked = medicine_lock(medicine=medicine)
        snapshot = {
            "medicine": locked.pk,
            "name": locked.name,
            "barcode": locked.barcode,
            "prix_br": locked.prix_br,
            "stock": {
                str(storefront): quantity
                for storefront, quantity in locked.stocks.values_list("storefront", "quantity")
            },
        }
        try:
            # The collector checks the PROTECT references before deleting anything, so a
            # refusal leaves the transaction usable for the deactivation below.
            locked.delete()
        except ProtectedError:
            if locked.is_active:
                locked.is_active = False
                locked.save(update_fields=["is_active", "updated_at"])
            audit_record(
                business=locked.business,
                actor=actor,
                event_type="medicine.deactivated",
                description=f"Medicine {locked} deactivated instead of deleted: it has sales",
                event_data=snapshot,
            )
            medicine.refresh_from_db()
            return False
        audit_record(
            business=medicine.business,
            actor=actor,
            event_type="medicine.deleted",
            description=f"Medicine {snapshot['name']} deleted",
            event_data=snapshot,
        )
    return True


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
        raise _invalid(
            "storefront",
            "This storefront does not belong to the medicine's business.",
            code="unknown_storefront",
        )
    if type(quantity_delta) is not int or quantity_delta == 0:
        raise _invalid(
            "quantity_delta", "The change must be a non-zero whole number.", code="invalid_delta"
        )
    reason = (reason or "").strip()
    if not reason:
        raise _invalid("reason", "Say why the stock changes.", code="reason_required")
    with transaction.atomic():
        row, _ = Stock.objects.get_or_create(medicine=medicine, storefront=storefront)
        # Locked before reading the quantity, so that two adjustments (or a sale) at once
        # are applied one after the other: none is lost and none takes the shelf below zero.
        row = stock_lock(stock=row)
        old_quantity = row.quantity
        new_quantity = old_quantity + quantity_delta
        if new_quantity < 0:
            raise _invalid(
                "quantity_delta",
                f"Only {old_quantity} on hand at {storefront.name}: cannot remove "
                f"{-quantity_delta}.",
                code="insufficient_stock",
                on_hand=old_quantity,
            )
        if new_quantity > MAX_ON_HAND:
            raise _invalid(
                "quantity_delta",
                f"{old_quantity} on hand at {storefront.name}: adding {quantity_delta} would "
                f"exceed the most a shelf can record ({MAX_ON_HAND}).",
                code="stock_too_large",
                on_hand=old_quantity,
            )
        Stock.objects.filter(pk=row.pk).update(
            quantity=F("quantity") + quantity_delta, updated_at=timezone.now()
        )
        row.refresh_from_db()
        audit_record(
            business=medicine.business,
            actor=actor,
            event_type="medicine.stock_adjusted",
            description=(
                f"Stock of {medicine} at {storefront.name}: {old_quantity} -> {row.quantity} "
                f"({quantity_delta:+d}, {reason})"
            ),
            event_data={
                "medicine": medicine.pk,
                "name": medicine.name,
                "storefront": storefront.pk,
                "storefront_name": storefront.name,
                "old_quantity": old_quantity,
                "new_quantity": row.quantity,
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


def _shift_stock(rows: Mapping[Any, Stock], changes: Mapping[Any, int]) -> None:
    """Move each locked row by its own number of units, in one UPDATE for the whole sale."""
    pks = {medicine_id: rows[medicine_id].pk for medicine_id in changes}
    Stock.objects.filter(pk__in=pks.values()).update(
        quantity=F("quantity")
        + Case(
            *(
                When(pk=pks[medicine_id], then=Value(units))
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
      "shortages": [{"medicine": id, "name": ..., "requested": n, "available": m}, ...],
      "message": "Not enough stock at Main: Doliprane 1g (requested 3, available 1); ..."}`
    """
    _require_transaction("stock_decrement_for_sale")
    wanted = _normalise_quantities(quantities)
    if not wanted:
        return
    rows = stocks_lock(storefront=storefront, medicine_ids=wanted)
    short = {
        medicine_id: (requested, rows[medicine_id].quantity if medicine_id in rows else 0)
        for medicine_id, requested in wanted.items()
        if medicine_id not in rows or rows[medicine_id].quantity < requested
    }
    if short:
        names = dict(
            Medicine.objects.filter(pk__in=short, business_id=storefront.business_id)
            .order_by("name", "pk")
            .values_list("pk", "name")
        )
        shortages = [
            {
                "medicine": str(medicine_id),
                "name": names.get(medicine_id, str(medicine_id)),
                "requested": requested,
                "available": available,
            }
            for medicine_id, (requested, available) in sorted(
                short.items(), key=lambda item: (names.get(item[0], ""), str(item[0]))
            )
        ]
        listed = "; ".join(
            f"{item['name']} (requested {item['requested']}, available {item['available']})"
            for item in shortages
        )
        raise DomainError(
            "Insufficient stock",
            f"Not enough stock at {storefront.name}: {listed}. Lower the quantities or "
            "restock, then try again.",
            code="insufficient_stock",
            status_code=status.HTTP_409_CONFLICT,
            shortages=shortages,
        )
    _shift_stock(rows, {medicine_id: -requested for medicine_id, requested in wanted.items()})


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
    rows = stocks_lock(storefront=storefront, medicine_ids=wanted)
    _shift_stock(rows, wanted)
