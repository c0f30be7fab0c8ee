"""Every change to a customer's record: create, update, (de)activate, delete.

Each function is one transaction that writes its audit entry alongside the change. The
statistics on the row (`outstanding_balance`, `total_purchases`, `sales_count`,
`last_purchase_date`) are not editable here: only the sales and receivables services move
them, in the transaction of the sale or payment behind the change.
"""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.events import AuditEvent, audit_changes
from audit.services import audit_record
from customers.counts import customer_counts_move, customer_counts_of, customer_counts_switch
from customers.errors import ErrorCode
from customers.locks import customer_lock
from customers.models import Customer, CustomerType
from customers.phones import InvalidPhoneNumber, normalise_phone
from customers.search import search_name_for
from pos_project.actors import Actor
from pos_project.bidi import isolate
from pos_project.errors import Conflict, DomainError, Forbidden, Invalid
from pos_project.models import Business
from pos_project.money import ZERO, amount_within_limit, format_money, quantize

# What `customer_update` may change. Contact details are every staff member's to edit;
# the credit limit and whether the customer is active belong to managers and owners.
CONTACT_FIELDS = ("name", "phone", "email", "address", "notes", "customer_type")
MANAGER_FIELDS = ("credit_limit", "is_active")
EDITABLE_FIELDS = CONTACT_FIELDS + MANAGER_FIELDS


class DeleteOutcome(models.TextChoices):
    # No sale, no ledger line: the row is gone.
    DELETED = "deleted", gettext_lazy("Deleted")
    # Has history that must stay readable: kept, hidden from the POS search.
    DEACTIVATED = "deactivated", gettext_lazy("Deactivated")


def _invalid_fields(fields: dict[str, list[str]]) -> DomainError:
    summary = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in fields.items())
    return Invalid("Invalid input", summary, code=ErrorCode.INVALID_INPUT, fields=fields)


def _require_manager(actor: Actor, fields: list[str]) -> None:
    if fields and not actor.is_manager:
        names = ", ".join(fields)
        raise Forbidden(
            "Permission denied",
            _("Only a manager or the owner may set %(fields)s. Leave it out, or ask a manager.")
            % {"fields": names},
            code=ErrorCode.MANAGER_ONLY_FIELD,
            fields={
                field: [_("Only a manager or the owner may set this field.")] for field in fields
            },
        )


def _clean_value(field: str, value: Any, *, business: Business) -> Any:
    """`value` as stored: names trimmed, phones in E.164, empty text as ""."""
    if field == "phone":
        try:
            return normalise_phone(value, region=business.default_region)
        except InvalidPhoneNumber as exc:
            raise Invalid(
                "Invalid phone number",
                str(exc),
                code=ErrorCode.INVALID_PHONE,
                fields={"phone": [str(exc)]},
            ) from exc
    if field in ("name", "email", "address"):
        return (value or "").strip()
    if field == "notes":
        return value or ""
    if field == "credit_limit" and value is not None:
        value = Decimal(value)
        if not value.is_finite():
            raise _invalid_fields({"credit_limit": [_("Must be a number.")]})
        # Before rounding: a limit such as 1e30 has more digits than a quantize can hold.
        amount_within_limit(value, field="credit_limit", what=_("The credit limit"))
        if value < ZERO:
            raise _invalid_fields(
                {"credit_limit": [_("Must be 0 (no credit) or more, or empty (no limit).")]}
            )
        if value != quantize(value):
            raise _invalid_fields({"credit_limit": [_("Use at most 2 decimal places.")]})
        # "1500" and "1500.00" are one limit: stored, compared and audited as the latter.
        return quantize(value)
    return value


def _validate(customer: Customer) -> None:
    """The model's own field rules (required name, lengths, email, choices, two decimals)."""
    try:
        customer.full_clean(
            exclude=["business", "search_name"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        raise _invalid_fields(exc.message_dict) from exc


def _duplicate_phone(existing: Customer) -> DomainError:
    return Invalid(
        "Duplicate phone number",
        _(
            "%(phone)s already belongs to %(name)s. Select that customer instead, "
            "or enter another number."
        )
        % {"phone": isolate(existing.phone), "name": isolate(existing.name)},
        code=ErrorCode.DUPLICATE_PHONE,
        existing_customer={
            "id": str(existing.pk),
            "name": existing.name,
            "is_active": existing.is_active,
        },
        fields={"phone": [_("Already used by %(name)s.") % {"name": isolate(existing.name)}]},
    )


def _phone_owner(customer: Customer) -> Customer | None:
    if not customer.phone:
        return None
    return (
        Customer.objects.filter(business_id=customer.business_id, phone=customer.phone)
        .exclude(pk=customer.pk)
        .only("id", "name", "phone", "is_active")
        .first()
    )


def _save_checking_phone(customer: Customer, *, phone_changed: bool = True, **save_kwargs) -> None:
    """Save, turning a phone already in use into the 400 that names its owner.

    The lookup gives the friendly answer; the unique constraint is what holds when two
    tills create the same number at once, and its error is answered the same way.
    """
    existing = _phone_owner(customer) if phone_changed else None
    if existing is not None:
        raise _duplicate_phone(existing)
    try:
        with transaction.atomic():
            customer.save(**save_kwargs)
    except IntegrityError:
        existing = _phone_owner(customer)
        if existing is None:
            raise
        raise _duplicate_phone(existing) from None


def _snapshot(customer: Customer) -> dict[str, Any]:
    return {field: getattr(customer, field) for field in EDITABLE_FIELDS}


def customer_create(
    *,
    business: Business,
    actor: Actor,
    name: str,
    phone: str | None = None,
    email: str = "",
    address: str = "",
    notes: str = "",
    customer_type: str = CustomerType.RETAIL,
    credit_limit: Decimal | None = None,
    is_active: bool = True,
) -> Customer:
    """A new customer of `business`; `phone` may be typed in any format of its region."""
    _require_manager(
        actor,
        [
            field
            for field, is_set in (
                ("credit_limit", credit_limit is not None),
                ("is_active", not is_active),
            )
            if is_set
        ],
    )
    values = {
        "name": name,
        "phone": phone,
        "email": email,
        "address": address,
        "notes": notes,
        "customer_type": customer_type,
        "credit_limit": credit_limit,
    }
    customer = Customer(
        business=business,
        is_active=is_active,
        **{field: _clean_value(field, value, business=business) for field, value in values.items()},
    )
    customer.search_name = search_name_for(customer.name)
    _validate(customer)
    with transaction.atomic():
        _save_checking_phone(customer, force_insert=True)
        customer_counts_move(business_id=business.pk, **customer_counts_of(customer))
        audit_record(
            business=business,
            actor=actor,
            event_type=AuditEvent.CUSTOMER_CREATED,
            description=f"Customer {customer.name} created",
            event_data={"customer": _snapshot(customer)},
            customer=customer,
        )
    return customer


def _set_active(customer: Customer, *, actor: Actor, is_active: bool) -> None:
    """Flip `is_active` on a locked row and record it; nothing happens if it is already so."""
    if customer.is_active == is_active:
        return
    customer.is_active = is_active
    customer.save(update_fields=["is_active", "updated_at"])
    customer_counts_switch(business_id=customer.business_id, is_active=is_active)
    verb = "reactivated" if is_active else "deactivated"
    audit_record(
        business=customer.business,
        actor=actor,
        event_type=(
            AuditEvent.CUSTOMER_REACTIVATED if is_active else AuditEvent.CUSTOMER_DEACTIVATED
        ),
        description=f"Customer {customer.name} {verb}",
        event_data={
            "changes": audit_changes({"is_active": not is_active}, {"is_active": is_active})
        },
        customer=customer,
    )


def customer_update(*, customer: Customer, actor: Actor, data: Mapping[str, Any]) -> Customer:
    """Apply `data` (any of `EDITABLE_FIELDS`) and return the customer as saved.

    Only fields whose value really changes count: sending a field unchanged is not an
    edit, so it needs no rights and writes nothing. `customer.updated` records the old and
    new value of each changed field; a change of `is_active` is recorded as
    `customer.deactivated` or `customer.reactivated`.
    """
    unknown = sorted(set(data) - set(EDITABLE_FIELDS))
    if unknown:
        raise _invalid_fields({field: [_("This field cannot be changed.")] for field in unknown})
    business = customer.business
    with transaction.atomic():
        customer = customer_lock(customer=customer)
        changes: dict[str, dict[str, Any]] = {}
        for field, value in data.items():
            if field == "is_active":
                continue
            old = getattr(customer, field)
            # A stored number that is sent back as it is needs no fresh validation.
            new = (
                value
                if field == "phone" and value == old
                else _clean_value(field, value, business=business)
            )
            if new != old:
                changes[field] = {"old": old, "new": new}
        activation = "is_active" in data and data["is_active"] != customer.is_active
        _require_manager(
            actor,
            [
                field
                for field in MANAGER_FIELDS
                if field in changes or (field == "is_active" and activation)
            ],
        )
        if changes:
            for field, change in changes.items():
                setattr(customer, field, change["new"])
            customer.search_name = search_name_for(customer.name)
            _validate(customer)
            _save_checking_phone(
                customer,
                phone_changed="phone" in changes,
                update_fields=[*changes, "search_name", "updated_at"],
            )
            audit_record(
                business=business,
                actor=actor,
                event_type=AuditEvent.CUSTOMER_UPDATED,
                description=f"Customer {customer.name} updated: {', '.join(changes)}",
                event_data={"changes": changes},
                customer=customer,
            )
        if activation:
            _set_active(customer, actor=actor, is_active=data["is_active"])
    return customer


def customer_set_active(*, customer: Customer, actor: Actor, is_active: bool) -> Customer:
    """Hide a customer from the POS search (and from new sales), or bring them back.

    Allowed with a balance: deactivating someone who owes money is how a manager stops
    further credit while the debt is collected, and the debt stays on the debtors report.
    """
    _require_manager(actor, ["is_active"])
    with transaction.atomic():
        customer = customer_lock(customer=customer)
        _set_active(customer, actor=actor, is_active=is_active)
    return customer


def _has_history(customer: Customer) -> bool:
    return customer.sales.exists() or customer.ledger_entries.exists()


def customer_delete(*, customer: Customer, actor: Actor) -> DeleteOutcome:
    """Remove a customer as DESIGN section 4 says.

    - owes money: refused (409, with `outstanding_balance`), nothing changes;
    - has sales or ledger entries: deactivated, so the history stays whole;
    - otherwise: deleted.
    """
    if not actor.is_manager:
        raise Forbidden(
            "Permission denied",
            _("Only a manager or the owner may delete or deactivate a customer."),
            code=ErrorCode.MANAGER_REQUIRED,
        )
    with transaction.atomic():
        customer = customer_lock(customer=customer)
        if customer.outstanding_balance > ZERO:
            raise Conflict(
                "Customer owes money",
                _(
                    "%(name)s still owes %(amount)s. Record the payment (or a credit "
                    "adjustment) first; a customer with a debt cannot be removed."
                )
                % {
                    "name": isolate(customer.name),
                    "amount": format_money(
                        customer.outstanding_balance, customer.business.currency_symbol
                    ),
                },
                code=ErrorCode.CUSTOMER_HAS_BALANCE,
                outstanding_balance=str(customer.outstanding_balance),
                customer={"id": str(customer.pk), "name": customer.name},
            )
        if not _has_history(customer):
            try:
                with transaction.atomic():
                    customer_counts_move(
                        business_id=customer.business_id, **customer_counts_of(customer, -1)
                    )
                    # Recorded first, while the entry can still name the row it describes.
                    audit_record(
                        business=customer.business,
                        actor=actor,
                        event_type=AuditEvent.CUSTOMER_DELETED,
                        description=f"Customer {customer.name} deleted",
                        event_data={"customer": _snapshot(customer)},
                        customer=customer,
                    )
                    customer.delete()
            except ProtectedError:
                # Some other record still points at the customer: keep the row after all.
                pass
            else:
                return DeleteOutcome.DELETED
        _set_active(customer, actor=actor, is_active=False)
    return DeleteOutcome.DEACTIVATED
