"""Changes to the catalogue: a medicine added, edited (details and prices) or removed.

Prices are what a sale is priced from, so each change runs in one transaction, locks the
medicine, and writes its audit entry in that same transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from audit.events import AuditEvent, audit_changes
from audit.services import audit_record
from medicine.errors import ErrorCode
from medicine.locks import medicine_lock
from medicine.models import Medicine
from pos_project.actors import Actor
from pos_project.errors import DomainError, invalid_field
from pos_project.languages import written_in_english
from pos_project.models import Business
from pos_project.money import format_money

PRICE_FIELDS = ("prix_br", "wholesale_price")
DETAIL_FIELDS = ("name", "generic_name", "form", "strength", "barcode", "is_active")
EDITABLE_FIELDS = DETAIL_FIELDS + PRICE_FIELDS


_PRICE_WORDS = {"prix_br": "price", "wholesale_price": "wholesale price"}


def _price_change_words(medicine: Medicine, price_changes: dict) -> str:
    """ "Doliprane 1000: price from 12.00 DH to 14.00 DH": only the prices that changed, with
    the currency; a wholesale price that is not set reads "not set"."""
    symbol = medicine.business.currency_symbol

    def price(value) -> str:
        return "not set" if value is None else format_money(value, symbol)

    with written_in_english():
        said = [
            f"{_PRICE_WORDS[field]} from {price(change['old'])} to {price(change['new'])}"
            for field, change in price_changes.items()
        ]
    return f"{medicine.name}: {' and '.join(said)}"


def _check_prices(*, prix_br: Decimal, wholesale_price: Decimal | None) -> None:
    # The serializer and the admin form refuse these first; this guards every other caller
    # (commands, the demo, the sales app) with a clear error instead of an IntegrityError.
    if prix_br is None or prix_br <= 0:
        raise invalid_field(
            "prix_br", _("The price must be greater than zero."), code=ErrorCode.INVALID_PRICE
        )
    if wholesale_price is not None and wholesale_price <= 0:
        raise invalid_field(
            "wholesale_price",
            _("The wholesale price must be greater than zero, or empty to use the public price."),
            code=ErrorCode.INVALID_PRICE,
        )
    # A line never sells above the public price, so a higher wholesale price could not be
    # charged anyway; refusing it here keeps the two prices coherent.
    if wholesale_price is not None and wholesale_price > prix_br:
        raise invalid_field(
            "wholesale_price",
            _(
                "The wholesale price (%(wholesale)s) may not exceed the public price "
                "(%(public)s). Lower the wholesale price, or leave it empty to use the public "
                "price."
            )
            % {"wholesale": wholesale_price, "public": prix_br},
            code=ErrorCode.WHOLESALE_ABOVE_PUBLIC_PRICE,
        )


def _barcode_taken(barcode: str | None) -> DomainError:
    return invalid_field(
        "barcode",
        _("Another medicine of this business already has the barcode %(barcode)s.")
        % {"barcode": barcode},
        code=ErrorCode.BARCODE_TAKEN,
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
            event_type=AuditEvent.MEDICINE_CREATED,
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

        price_changes = audit_changes(
            {field: old[field] for field in PRICE_FIELDS},
            {field: new[field] for field in PRICE_FIELDS},
        )
        if price_changes:
            audit_record(
                business=locked.business,
                actor=actor,
                event_type=AuditEvent.MEDICINE_PRICE_CHANGED,
                description=_price_change_words(locked, price_changes),
                event_data={"medicine": locked.pk, "name": locked.name, "changes": price_changes},
            )
        details = [field for field in changed if field in DETAIL_FIELDS]
        if details:
            audit_record(
                business=locked.business,
                actor=actor,
                event_type=AuditEvent.MEDICINE_UPDATED,
                description=f"Medicine {locked} updated: {', '.join(details)}",
                event_data={
                    "medicine": locked.pk,
                    "name": locked.name,
                    "changes": audit_changes(
                        {field: old[field] for field in details},
                        {field: new[field] for field in details},
                    ),
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
                event_type=AuditEvent.MEDICINE_DEACTIVATED,
                description=f"Medicine {locked} deactivated instead of deleted: it has sales",
                event_data=snapshot,
            )
            medicine.refresh_from_db()
            return False
        audit_record(
            business=medicine.business,
            actor=actor,
            event_type=AuditEvent.MEDICINE_DELETED,
            description=f"Medicine {snapshot['name']} deleted",
            event_data=snapshot,
        )
    return True
