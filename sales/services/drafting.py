"""The DRAFT life of a sale: creating it, its lines, its sale type and note, and moving it to
another customer (`update_customer`).

The same medicine added twice is merged into its existing line (quantities and discounts
add up), so a sale has one line per medicine and the receipt reads as the shelf does.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from audit.events import AuditEvent
from audit.services import audit_record
from customers.locks import customer_lock_in_business
from customers.models import Customer
from medicine.models import Medicine
from pos_project.actors import Actor
from pos_project.bidi import isolate
from pos_project.errors import Invalid, NotFound, invalid_field
from pos_project.models import Business, Storefront
from pos_project.money import ZERO, quantize
from sales.errors import ErrorCode
from sales.locks import sale_lock
from sales.models import (
    WALK_IN_CUSTOMER,
    Sale,
    SaleItem,
    SaleStatus,
    SaleType,
)
from sales.services.checks import (
    business_customer,
    check_discount,
    check_quantity,
    customer_inactive_refusal,
    customer_not_found,
    require_draft,
)
from sales.services.held import held_rows
from sales.services.pricing import line_value, price_line, recompute_totals, unit_price_for

# --- the DRAFT life -----------------------------------------------------------------------


def check_opening(*, business: Business, storefront: Storefront, type: str) -> None:
    """Where and how a sale may be rung up: an active storefront of the business, a known
    sale type."""
    if storefront.business_id != business.pk:
        raise invalid_field(
            "storefront",
            _("This storefront does not belong to your business."),
            code=ErrorCode.UNKNOWN_STOREFRONT,
        )
    if not storefront.is_active:
        raise invalid_field(
            "storefront",
            _("The storefront %(storefront)s is closed; sell from an active storefront.")
            % {"storefront": isolate(storefront.name)},
            code=ErrorCode.STOREFRONT_INACTIVE,
        )
    if type not in SaleType.values:
        raise invalid_field(
            "type",
            _("The type must be one of %(types)s.") % {"types": ", ".join(SaleType.values)},
            code=ErrorCode.INVALID_TYPE,
        )


def sale_create(
    *,
    business: Business,
    storefront: Storefront,
    type: str = SaleType.RETAIL,
    customer: Customer | uuid.UUID | str | None = None,
    notes: str = "",
    actor: Actor,
) -> Sale:
    """Open a DRAFT sale at one of the business's storefronts, for a customer or walk-in.

    `customer` is a Customer or its id; either way it must be an active customer of the
    business (seed 004's 404 otherwise, as for update_customer).
    """
    check_opening(business=business, storefront=storefront, type=type)
    if customer is not None:
        customer_id = customer.pk if isinstance(customer, Customer) else customer
        customer = business_customer(business=business, customer_id=customer_id)
    with transaction.atomic():
        return Sale.objects.create(
            business=business,
            storefront=storefront,
            customer=customer,
            type=type,
            notes=notes or "",
            created_by=actor.user,
        )


def sale_update(
    *,
    sale: Sale,
    type: str | None = None,
    notes: str | None = None,
) -> Sale:
    """Change a DRAFT's notes or type; a new type re-prices every line from the catalogue.

    Discounts are kept, but clamped to the new line value so that no line goes below zero.
    """
    if type is not None and type not in SaleType.values:
        raise invalid_field(
            "type",
            _("The type must be one of %(types)s.") % {"types": ", ".join(SaleType.values)},
            code=ErrorCode.INVALID_TYPE,
        )
    with transaction.atomic():
        sale = sale_lock(sale)
        require_draft(sale, action="change")
        fields = ["updated_at"]
        if notes is not None and notes != sale.notes:
            sale.notes = notes
            fields.append("notes")
        if type is not None and type != sale.type:
            sale.type = type
            fields.append("type")
            items = list(sale.items.select_related("medicine"))
            for item in items:
                item.unit_price = unit_price_for(item.medicine, type)
                item.discount = min(item.discount, quantize(item.unit_price * item.quantity))
                price_line(item)
            SaleItem.objects.bulk_update(items, ["unit_price", "discount", "line_total"])
        sale.save(update_fields=fields)
        if "type" in fields:
            recompute_totals(sale)
    return sale


def _unknown_medicine(medicine_id) -> NotFound:
    return NotFound(
        "Medicine not found",
        _("The medicine does not exist in your catalogue. Pick it from the medicine list."),
        code=ErrorCode.UNKNOWN_MEDICINE,
        medicine_id=str(medicine_id),
    )


def sale_medicines(*, business_id, medicine_ids: Iterable[Any]) -> dict[uuid.UUID, Medicine]:
    """The business's medicines `medicine_ids`, read in one query, each one on sale.

    The first id (in the order given) that is not in the catalogue is a 404, the first
    deactivated medicine a 400.
    """
    wanted: list[uuid.UUID] = []
    for medicine_id in medicine_ids:
        try:
            wanted.append(uuid.UUID(str(medicine_id)))
        except ValueError:
            raise _unknown_medicine(medicine_id) from None
    found = {
        medicine.pk: medicine
        for medicine in Medicine.objects.filter(pk__in=set(wanted), business_id=business_id)
    }
    for medicine_id in wanted:
        medicine = found.get(medicine_id)
        if medicine is None:
            raise _unknown_medicine(medicine_id)
        if not medicine.is_active:
            raise invalid_field(
                "medicine",
                _("%(medicine)s is no longer sold (deactivated in the catalogue).")
                % {"medicine": isolate(medicine)},
                code=ErrorCode.MEDICINE_INACTIVE,
            )
    return found


def _sale_medicine(sale: Sale, medicine_id) -> Medicine:
    (medicine,) = sale_medicines(business_id=sale.business_id, medicine_ids=[medicine_id]).values()
    return medicine


def new_line(sale: Sale, medicine: Medicine) -> SaleItem:
    """An empty line for `medicine`, priced for the sale's type."""
    return SaleItem(
        sale=sale,
        medicine=medicine,
        medicine_name=str(medicine),
        unit_price=unit_price_for(medicine, sale.type),
        quantity=0,
        discount=ZERO,
    )


def add_to_line(item: SaleItem, *, quantity: int, discount: Any) -> SaleItem:
    """`quantity` more units and `discount` more off on `item`: the same medicine added again
    adds to its line."""
    new_quantity = check_quantity(item.quantity + quantity)
    gross = line_value(item.unit_price, new_quantity)
    added = check_discount(discount, gross=gross)
    item.quantity = new_quantity
    item.discount = check_discount(item.discount + added, gross=gross)
    price_line(item)
    return item


def sale_item_add(
    *, sale: Sale, medicine: Medicine | uuid.UUID | str, quantity: int, discount: Any = ZERO
) -> SaleItem:
    """Put a medicine on a DRAFT; the same medicine again adds to its existing line."""
    quantity = check_quantity(quantity)
    medicine_id = medicine.pk if isinstance(medicine, Medicine) else medicine
    with transaction.atomic():
        sale = sale_lock(sale)
        require_draft(sale, action="change")
        medicine = _sale_medicine(sale, medicine_id)
        lines = list(sale.items.all())
        item = next((line for line in lines if line.medicine_id == medicine.pk), None)
        if item is None:
            item = new_line(sale, medicine)
        add_to_line(item, quantity=quantity, discount=discount)
        item.save()
        if item not in lines:
            lines.append(item)
        recompute_totals(sale, lines)
        # The answer shows every line: these are all of them, in their order.
        held_rows(sale, items=lines)
    return item


def _locked_item(item: SaleItem) -> tuple[Sale, SaleItem]:
    sale = sale_lock(item.sale)
    require_draft(sale, action="change")
    try:
        locked = sale.items.get(pk=item.pk)
    except SaleItem.DoesNotExist:
        raise NotFound(
            "Sale item not found",
            _("This line is no longer on the sale. Reload the sale."),
            code=ErrorCode.UNKNOWN_SALE_ITEM,
        ) from None
    return sale, locked


def sale_item_update(
    *, item: SaleItem, quantity: int | None = None, discount: Any | None = None
) -> SaleItem:
    """Change a DRAFT line's quantity or discount (the discount replaces the old one)."""
    if quantity is not None:
        quantity = check_quantity(quantity)
    with transaction.atomic():
        sale, item = _locked_item(item)
        if quantity is not None:
            item.quantity = quantity
        gross = line_value(item.unit_price, item.quantity)
        if discount is not None:
            item.discount = check_discount(discount, gross=gross)
        elif item.discount > gross:
            # Fewer units: the old discount must still fit the smaller line.
            raise invalid_field(
                "discount",
                _(
                    "The line's discount (%(discount)s) would exceed its new value (%(value)s). "
                    "Send a smaller discount with the new quantity."
                )
                % {"discount": item.discount, "value": gross},
                code=ErrorCode.DISCOUNT_EXCEEDS_LINE,
                line_value=str(gross),
            )
        price_line(item)
        item.save(update_fields=["quantity", "discount", "line_total", "updated_at"])
        recompute_totals(sale)
    return item


def sale_item_remove(*, item: SaleItem) -> Sale:
    """Take a line off a DRAFT."""
    with transaction.atomic():
        sale, item = _locked_item(item)
        item.delete()
        recompute_totals(sale)
    return sale


# --- update_customer (seed 004) -----------------------------------------------------------


def parse_customer_id(data: Any) -> uuid.UUID:
    """The `customer` of an update_customer body, refused with seed 004's exact bodies."""
    value = data.get("customer") if isinstance(data, Mapping) else None
    if value is None or value == "":
        raise Invalid(
            "customer field is required",
            _("Please provide a customer UUID in the request body"),
            code=None,
            example={"customer": "uuid-of-customer"},
        )
    try:
        if not isinstance(value, str):
            raise ValueError(value)
        return uuid.UUID(value)
    except ValueError:
        raise Invalid(
            "Invalid customer ID format",
            _("Customer ID must be a valid UUID"),
            code=None,
        ) from None


@dataclass(frozen=True)
class CustomerChange:
    sale: Sale
    previous_customer: str
    new_customer: str


def sale_update_customer(*, sale: Sale, customer_id: uuid.UUID, actor: Actor) -> CustomerChange:
    """Assign a customer of the sale's business to a DRAFT (seed 004), audited.

    The new customer is locked before the sale, in the order of every path (docs/locking.md):
    a payment or completion holding that customer queues this change behind it, instead of
    the foreign-key check on the customer, deferred to the commit, waiting on it after the
    audit chain's head is taken. A concurrent change of customer or completion of the sale
    waits on the sale and then sees this one's result.
    """
    with transaction.atomic():
        new_customer = customer_lock_in_business(
            business_id=sale.business_id, customer_id=customer_id
        )
        sale = sale_lock(sale)
        if sale.status != SaleStatus.DRAFT:
            # Seed 004, word for word.
            raise Invalid(
                "Cannot update customer on a sale that is not in DRAFT status",
                _(
                    "Customer can only be changed before the sale is completed. To change "
                    "customer on a completed sale, you must cancel and recreate it."
                ),
                code=None,
                current_status=sale.status,
                allowed_status=SaleStatus.DRAFT,
            )
        if new_customer is None:
            raise customer_not_found(customer_id, sale.business)
        if not new_customer.is_active:
            raise customer_inactive_refusal(new_customer)
        customer = new_customer
        old_customer = sale.customer
        old_name = old_customer.name if old_customer else WALK_IN_CUSTOMER
        sale.customer = customer
        if old_customer is None or old_customer.pk != customer.pk:
            sale.save(update_fields=["customer", "updated_at"])
            audit_record(
                business=sale.business,
                actor=actor,
                event_type=AuditEvent.SALE_CUSTOMER_UPDATED,
                sale=sale,
                customer=customer,
                description=(
                    f'Customer updated from "{old_name}" to "{customer.name}" on sale '
                    f"{str(sale.pk)[:8]}"
                ),
                event_data={
                    "old_customer_id": old_customer.pk if old_customer else None,
                    "old_customer_name": old_name,
                    "new_customer_id": customer.pk,
                    "new_customer_name": customer.name,
                    "sale_status": sale.status,
                },
            )
    return CustomerChange(sale=sale, previous_customer=old_name, new_customer=customer.name)
