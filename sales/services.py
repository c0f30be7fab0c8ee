"""Every change to a sale, from the first line of a DRAFT to its completion or cancellation.

Each function runs in one transaction and locks before it decides, in the order of
docs/locking.md, so two tills, a back-office payment and a cancellation queue up instead of
deadlocking.

Pricing rules kept here:
- a line's unit price is captured when it is added, from the medicine's public price
  (RETAIL) or its wholesale price (WHOLESALE), and never above the public price (`ppv`);
- a line's discount is taken off the whole line and may bring it down to zero, never below;
- the same medicine added twice is merged into its existing line (quantities and discounts
  add up), so a sale has one line per medicine and the receipt reads as the shelf does;
- `subtotal`, `discount_total` and `total_amount` are recomputed from the lines in the
  transaction that changes a line.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Subquery
from django.utils import timezone
from rest_framework import status

from audit.services import audit_record
from customers.models import Customer
from medicine.models import Medicine
from medicine.services import stock_decrement_for_sale, stock_restore_for_sale
from pos_project.actors import Actor
from pos_project.exceptions import Conflict, DomainError, NotFound
from pos_project.models import Business, Storefront
from pos_project.money import ZERO, amount_within_limit, quantize
from receivables.services import (
    customer_record_purchase,
    customer_remove_purchase,
    receivable_charge_sale,
    receivable_reverse_sale,
)
from sales.models import (
    WALK_IN_CUSTOMER,
    Payment,
    PaymentMethod,
    ReceiptSequence,
    Sale,
    SaleItem,
    SaleStatus,
    SaleType,
)

# Large enough for any shelf, small enough that unit price x quantity stays far inside the
# money columns.
MAX_QUANTITY = 100_000


# --- errors -------------------------------------------------------------------------------


def _invalid(field: str, message: str, *, code: str, **details) -> DomainError:
    """A 400 shaped like a validation error, so clients find the culprit under `fields`."""
    return DomainError("Invalid input", message, code=code, fields={field: [message]}, **details)


def _wrong_status(sale: Sale, *, action: str, allowed: str, message: str) -> DomainError:
    # The shape of seed 004's non-DRAFT error, for every transition that is not allowed.
    return DomainError(
        f"Cannot {action} a sale that is not in {allowed} status",
        message,
        code="invalid_sale_status",
        current_status=sale.status,
        allowed_status=allowed,
    )


def _require_draft(sale: Sale, *, action: str) -> None:
    if sale.status != SaleStatus.DRAFT:
        raise _wrong_status(
            sale,
            action=action,
            allowed=SaleStatus.DRAFT,
            message=(
                "Only a DRAFT sale can change. A completed sale is final: cancel it (a "
                "manager, with a reason) and ring it up again."
            ),
        )


def _customer_not_found(customer_id, business: Business) -> NotFound:
    # Seed 004, word for word.
    return NotFound(
        "Customer not found or does not belong to this business",
        "The customer must exist and belong to the same business as the sale",
        code=None,
        customer_id=str(customer_id),
        business_id=str(business.pk),
    )


def _customer_inactive(customer: Customer) -> DomainError:
    return DomainError(
        "Customer is deactivated",
        f"{customer.name} has been deactivated and cannot be assigned to a sale. Reactivate "
        "the customer or choose another one.",
        code="customer_inactive",
        customer_id=str(customer.pk),
    )


# --- checks on plain values ---------------------------------------------------------------


def _check_quantity(quantity: Any) -> int:
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        raise _invalid("quantity", "The quantity must be a whole number.", code="invalid_quantity")
    if quantity <= 0:
        raise _invalid("quantity", "The quantity must be at least 1.", code="invalid_quantity")
    if quantity > MAX_QUANTITY:
        raise _invalid(
            "quantity",
            f"The quantity may not exceed {MAX_QUANTITY}.",
            code="invalid_quantity",
        )
    return quantity


def _check_amount(value: Any, *, field: str, code: str) -> Decimal:
    """A finite Decimal with at most two places; never a float (it cannot hold cents)."""
    if isinstance(value, (bool, float)):
        raise _invalid(field, 'Send the amount as a string such as "12.50".', code=code)
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise _invalid(field, "The amount is not a number.", code=code) from None
    if not amount.is_finite():
        raise _invalid(field, "The amount is not a number.", code=code)
    if amount != amount.quantize(Decimal("0.01")):
        raise _invalid(field, "The amount may have at most two decimal places.", code=code)
    return quantize(amount)


def _check_discount(discount: Any, *, gross: Decimal) -> Decimal:
    discount = _check_amount(discount, field="discount", code="invalid_discount")
    if discount < 0:
        raise _invalid("discount", "The discount may not be negative.", code="invalid_discount")
    if discount > gross:
        raise _invalid(
            "discount",
            f"The discount ({discount}) may not exceed the line's value ({gross}).",
            code="discount_exceeds_line",
            line_value=str(gross),
        )
    return discount


# --- pricing and totals -------------------------------------------------------------------


def unit_price_for(medicine: Medicine, sale_type: str) -> Decimal:
    """What one unit sells for in a sale of `sale_type`: never above the public price."""
    price = medicine.prix_br if sale_type == SaleType.RETAIL else medicine.effective_wholesale_price
    return quantize(min(price, medicine.prix_br))


def _line_value(unit_price: Decimal, quantity: int) -> Decimal:
    """Price x quantity, refused when it would not fit the line's money columns."""
    return amount_within_limit(
        quantize(unit_price * quantity), field="quantity", what="The line's value"
    )


def _price_line(item: SaleItem) -> None:
    item.line_total = quantize(_line_value(item.unit_price, item.quantity) - item.discount)


def _recompute_totals(sale: Sale, lines: Iterable[SaleItem] | None = None) -> Sale:
    """Totals from the lines, in the caller's transaction, after the lines changed.

    `lines` are the sale's lines as just saved, when the caller holds them all (the sale
    is locked, so nobody else can change them); otherwise they are read back.
    Summed in Python from the Decimals: SQLite keeps decimals as REAL, so its SUM could
    drift by a fraction of a cent.
    """
    if lines is None:
        lines = sale.items.only("unit_price", "quantity", "discount")
    subtotal = discount_total = ZERO
    for line in lines:
        subtotal += line.unit_price * line.quantity
        discount_total += line.discount
    sale.subtotal = amount_within_limit(
        quantize(subtotal), field="quantity", what="The sale's subtotal"
    )
    sale.discount_total = quantize(discount_total)
    sale.total_amount = quantize(sale.subtotal - sale.discount_total)
    sale.save(update_fields=["subtotal", "discount_total", "total_amount", "updated_at"])
    return sale


def _locked_sale(sale: Sale) -> Sale:
    """`sale` again, locked: found by its id within its business.

    A reference made of an id and the caller's business finds nothing for another
    business's sale (`Sale.DoesNotExist`), so callers need no lookup of their own.
    """
    # FOR UPDATE OF the sale alone: over the join it would also lock the business row and
    # queue every till of the shop behind this one sale. The joined rows are what the
    # services and the sale's API answer read, so neither reads them again.
    return (
        Sale.objects.select_for_update(of=("self",), no_key=True)
        .select_related("business", "storefront", "customer", "created_by")
        .get(pk=sale.pk, business_id=sale.business_id)
    )


def _business_customer(*, business: Business, customer_id) -> Customer:
    try:
        customer = Customer.objects.get(pk=customer_id, business=business)
    except (Customer.DoesNotExist, ValueError, TypeError):
        raise _customer_not_found(customer_id, business) from None
    if not customer.is_active:
        raise _customer_inactive(customer)
    return customer


# --- the DRAFT life -----------------------------------------------------------------------


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
    if storefront.business_id != business.pk:
        raise _invalid(
            "storefront",
            "This storefront does not belong to your business.",
            code="unknown_storefront",
        )
    if not storefront.is_active:
        raise _invalid(
            "storefront",
            f"The storefront {storefront.name} is closed; sell from an active storefront.",
            code="storefront_inactive",
        )
    if type not in SaleType.values:
        raise _invalid("type", f"The type must be one of {SaleType.values}.", code="invalid_type")
    if customer is not None:
        customer_id = customer.pk if isinstance(customer, Customer) else customer
        customer = _business_customer(business=business, customer_id=customer_id)
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
        raise _invalid("type", f"The type must be one of {SaleType.values}.", code="invalid_type")
    with transaction.atomic():
        sale = _locked_sale(sale)
        _require_draft(sale, action="change")
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
                _price_line(item)
            SaleItem.objects.bulk_update(items, ["unit_price", "discount", "line_total"])
        sale.save(update_fields=fields)
        if "type" in fields:
            _recompute_totals(sale)
    return sale


def _sale_medicine(sale: Sale, medicine_id) -> Medicine:
    try:
        medicine = Medicine.objects.get(pk=medicine_id, business_id=sale.business_id)
    except (Medicine.DoesNotExist, ValueError, TypeError):
        raise NotFound(
            "Medicine not found",
            "The medicine does not exist in your catalogue. Pick it from the medicine list.",
            code="unknown_medicine",
            medicine_id=str(medicine_id),
        ) from None
    if not medicine.is_active:
        raise _invalid(
            "medicine",
            f"{medicine} is no longer sold (deactivated in the catalogue).",
            code="medicine_inactive",
        )
    return medicine


def sale_item_add(
    *, sale: Sale, medicine: Medicine | uuid.UUID | str, quantity: int, discount: Any = ZERO
) -> SaleItem:
    """Put a medicine on a DRAFT; the same medicine again adds to its existing line."""
    quantity = _check_quantity(quantity)
    medicine_id = medicine.pk if isinstance(medicine, Medicine) else medicine
    with transaction.atomic():
        sale = _locked_sale(sale)
        _require_draft(sale, action="change")
        medicine = _sale_medicine(sale, medicine_id)
        lines = list(sale.items.all())
        item = next((line for line in lines if line.medicine_id == medicine.pk), None)
        if item is None:
            item = SaleItem(
                sale=sale,
                medicine=medicine,
                medicine_name=str(medicine),
                unit_price=unit_price_for(medicine, sale.type),
                quantity=0,
                discount=ZERO,
            )
        new_quantity = _check_quantity(item.quantity + quantity)
        gross = _line_value(item.unit_price, new_quantity)
        added = _check_discount(discount, gross=gross)
        item.quantity = new_quantity
        item.discount = _check_discount(item.discount + added, gross=gross)
        _price_line(item)
        item.save()
        if item not in lines:
            lines.append(item)
        _recompute_totals(sale, lines)
    return item


def _locked_item(item: SaleItem) -> tuple[Sale, SaleItem]:
    sale = _locked_sale(item.sale)
    _require_draft(sale, action="change")
    try:
        locked = sale.items.get(pk=item.pk)
    except SaleItem.DoesNotExist:
        raise NotFound(
            "Sale item not found",
            "This line is no longer on the sale. Reload the sale.",
            code="unknown_sale_item",
        ) from None
    return sale, locked


def sale_item_update(
    *, item: SaleItem, quantity: int | None = None, discount: Any | None = None
) -> SaleItem:
    """Change a DRAFT line's quantity or discount (the discount replaces the old one)."""
    if quantity is not None:
        quantity = _check_quantity(quantity)
    with transaction.atomic():
        sale, item = _locked_item(item)
        if quantity is not None:
            item.quantity = quantity
        gross = _line_value(item.unit_price, item.quantity)
        if discount is not None:
            item.discount = _check_discount(discount, gross=gross)
        elif item.discount > gross:
            # Fewer units: the old discount must still fit the smaller line.
            raise _invalid(
                "discount",
                f"The line's discount ({item.discount}) would exceed its new value ({gross}). "
                "Send a smaller discount with the new quantity.",
                code="discount_exceeds_line",
                line_value=str(gross),
            )
        _price_line(item)
        item.save(update_fields=["quantity", "discount", "line_total", "updated_at"])
        _recompute_totals(sale)
    return item


def sale_item_remove(*, item: SaleItem) -> Sale:
    """Take a line off a DRAFT."""
    with transaction.atomic():
        sale, item = _locked_item(item)
        item.delete()
        _recompute_totals(sale)
    return sale


# --- update_customer (seed 004) -----------------------------------------------------------


def parse_customer_id(data: Any) -> uuid.UUID:
    """The `customer` of an update_customer body, refused with seed 004's exact bodies."""
    value = data.get("customer") if isinstance(data, Mapping) else None
    if value is None or value == "":
        raise DomainError(
            "customer field is required",
            "Please provide a customer UUID in the request body",
            code=None,
            example={"customer": "uuid-of-customer"},
        )
    try:
        if not isinstance(value, str):
            raise ValueError(value)
        return uuid.UUID(value)
    except ValueError:
        raise DomainError(
            "Invalid customer ID format",
            "Customer ID must be a valid UUID",
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
        new_customer = (
            Customer.objects.select_for_update(no_key=True)
            .filter(pk=customer_id, business_id=sale.business_id)
            .first()
        )
        sale = _locked_sale(sale)
        if sale.status != SaleStatus.DRAFT:
            # Seed 004, word for word.
            raise DomainError(
                "Cannot update customer on a sale that is not in DRAFT status",
                "Customer can only be changed before the sale is completed. To change customer "
                "on a completed sale, you must cancel and recreate it.",
                code=None,
                current_status=sale.status,
                allowed_status=SaleStatus.DRAFT,
            )
        if new_customer is None:
            raise _customer_not_found(customer_id, sale.business)
        if not new_customer.is_active:
            raise _customer_inactive(new_customer)
        customer = new_customer
        old_customer = sale.customer
        old_name = old_customer.name if old_customer else WALK_IN_CUSTOMER
        sale.customer = customer
        if old_customer is None or old_customer.pk != customer.pk:
            sale.save(update_fields=["customer", "updated_at"])
            audit_record(
                business=sale.business,
                actor=actor,
                event_type="sale.customer_updated",
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


# --- completion ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Tender:
    method: str
    amount: Decimal
    reference: str = ""


def _tenders(payments: Iterable[Mapping[str, Any] | Tender]) -> list[Tender]:
    tenders = []
    for index, payment in enumerate(payments):
        if isinstance(payment, Tender):
            payment = {
                "method": payment.method,
                "amount": payment.amount,
                "reference": payment.reference,
            }
        method = payment.get("method")
        if method not in PaymentMethod.values:
            raise _invalid(
                "payments",
                f"Payment {index + 1}: the method must be one of {PaymentMethod.values}.",
                code="invalid_payment_method",
            )
        amount = _check_amount(payment.get("amount"), field="payments", code="invalid_payment")
        if amount <= 0:
            raise _invalid(
                "payments",
                f"Payment {index + 1}: the amount must be greater than zero.",
                code="invalid_payment",
            )
        tenders.append(
            Tender(method=method, amount=amount, reference=str(payment.get("reference") or ""))
        )
    return tenders


def _lock_customer_then_sale(sale: Sale) -> tuple[Customer | None, Sale]:
    """Lock the sale's customer, then the sale, in that order (the order of every path).

    The customer is read before the sale is locked, so a concurrent update_customer can
    change it in between; then the locks are released (savepoint rollback releases row
    locks on PostgreSQL) and taken again for the new customer, once.
    """
    for _attempt in range(2):
        savepoint = transaction.savepoint()
        # The customer as the sale names it now, locked in the same statement.
        named = Sale.objects.filter(pk=sale.pk, business_id=sale.business_id)
        customer = (
            Customer.objects.select_for_update(no_key=True)
            .filter(pk=Subquery(named.values("customer_id")))
            .first()
        )
        customer_id = customer.pk if customer else None
        locked = _locked_sale(sale)
        if locked.customer_id == customer_id:
            transaction.savepoint_commit(savepoint)
            return customer, locked
        transaction.savepoint_rollback(savepoint)
    raise Conflict(
        "Sale is changing",
        "The sale's customer changed while it was being completed. Reload the sale and try again.",
        code="sale_changed",
    )


def _paid_with(sale: Sale, tenders: list[Tender]) -> bool:
    """Whether `tenders` are exactly the payments `sale` was completed with."""

    def key(method, amount, reference):
        return (method, quantize(amount), reference[:100])

    sent = sorted(key(t.method, t.amount, t.reference) for t in tenders)
    kept = sorted(key(*row) for row in sale.payments.values_list("method", "amount", "reference"))
    return sent == kept


def _next_receipt_number(business: Business) -> tuple[int, str]:
    # Locked, and incremented in the completing transaction: a completion that fails rolls
    # its number back, and two tills never get the same one, so numbers are gap-free.
    try:
        sequence = ReceiptSequence.objects.select_for_update(no_key=True).get(business=business)
    except ReceiptSequence.DoesNotExist:
        # The business's first sale: created once, then locked like any other time.
        ReceiptSequence.objects.get_or_create(business=business)
        sequence = ReceiptSequence.objects.select_for_update(no_key=True).get(business=business)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return sequence.last_number, f"S-{sequence.last_number:06d}"


def _quantities(sale: Sale) -> dict[uuid.UUID, int]:
    quantities: dict[uuid.UUID, int] = {}
    for medicine_id, quantity in sale.items.values_list("medicine_id", "quantity"):
        quantities[medicine_id] = quantities.get(medicine_id, 0) + quantity
    return quantities


def sale_complete(
    *,
    sale: Sale,
    payments: Iterable[Mapping[str, Any] | Tender],
    override_credit_limit: bool = False,
    actor: Actor,
) -> Sale:
    """Take payment for a DRAFT: stock, receipt number, ledger, statistics, audit, at once.

    - Cash may exceed the total (the difference is `change_due`); card, mobile money and
      on account together may not.
    - The ON_ACCOUNT part needs an active customer on the sale and must fit their credit
      limit, counting what they already owe; a manager may override the limit, audited.
    - Insufficient stock is a 409 naming every short medicine; nothing changes.
    """
    return _sale_complete(
        sale=sale,
        payments=payments,
        override_credit_limit=override_credit_limit,
        actor=actor,
        completed_at=None,
    )


def _sale_complete(
    *,
    sale: Sale,
    payments: Iterable[Mapping[str, Any] | Tender],
    override_credit_limit: bool,
    actor: Actor,
    completed_at: datetime | None,
) -> Sale:
    """`sale_complete`, with the completion time given: only the demo history backdates."""
    tenders = _tenders(payments)
    if override_credit_limit and not actor.is_manager:
        raise DomainError(
            "Permission denied",
            "Only a manager or the owner may override a customer's credit limit.",
            code="override_not_allowed",
            status_code=status.HTTP_403_FORBIDDEN,
        )
    with transaction.atomic():
        customer, sale = _lock_customer_then_sale(sale)
        if sale.status == SaleStatus.COMPLETED and _paid_with(sale, tenders):
            # The same checkout again (a till's retry without an Idempotency-Key): the sale
            # as it was completed, and nothing moves twice.
            return sale
        if sale.status != SaleStatus.DRAFT:
            raise _wrong_status(
                sale,
                action="complete",
                allowed=SaleStatus.DRAFT,
                message="This sale is already completed or cancelled; it cannot be paid again.",
            )
        quantities = _quantities(sale)
        if not quantities:
            raise DomainError(
                "Sale is empty",
                "Add at least one item before completing the sale.",
                code="empty_sale",
            )
        total = sale.total_amount
        if not tenders and total > 0:
            raise _invalid("payments", "Send at least one payment.", code="payment_required")
        paid = amount_within_limit(
            quantize(sum((t.amount for t in tenders), ZERO)),
            field="payments",
            what="The payments",
        )
        non_cash = quantize(
            sum((t.amount for t in tenders if t.method != PaymentMethod.CASH), ZERO)
        )
        on_account = quantize(
            sum((t.amount for t in tenders if t.method == PaymentMethod.ON_ACCOUNT), ZERO)
        )
        if non_cash > total:
            raise DomainError(
                "Non-cash payments exceed the total",
                f"Card, mobile money and on-account payments add up to {non_cash}, more than "
                f"the total of {total}. Only cash can be given back as change.",
                code="non_cash_overpayment",
                total_amount=str(total),
                non_cash_amount=str(non_cash),
            )
        if paid < total:
            raise DomainError(
                "Payments do not cover the total",
                f"The payments add up to {paid} but the total is {total}; "
                f"{quantize(total - paid)} is missing.",
                code="insufficient_payment",
                total_amount=str(total),
                amount_paid=str(paid),
                remaining=str(quantize(total - paid)),
            )
        override_used = False
        if on_account > 0:
            if customer is None:
                raise DomainError(
                    "Customer required for on-account payment",
                    "Assign a customer to the sale (update_customer) before charging it to "
                    "an account.",
                    code="on_account_requires_customer",
                )
            if not customer.is_active:
                raise _customer_inactive(customer)
            if not customer.can_make_purchase(on_account):
                if not override_credit_limit:
                    available = quantize(customer.available_credit)
                    raise DomainError(
                        "Credit limit exceeded",
                        f"{customer.name} can take {max(available, ZERO)} more on account "
                        f"(limit {customer.credit_limit}, owing {customer.outstanding_balance}); "
                        f"this sale asks for {on_account}. Take the rest in another method, or "
                        "ask a manager to override the limit.",
                        code="credit_limit_exceeded",
                        available_credit=str(available),
                        credit_limit=str(customer.credit_limit),
                        outstanding_balance=str(customer.outstanding_balance),
                        requested=str(on_account),
                    )
                override_used = True

        stock_decrement_for_sale(storefront=sale.storefront, quantities=quantities)
        sale.receipt_sequence, sale.receipt_number = _next_receipt_number(sale.business)
        sale.status = SaleStatus.COMPLETED
        sale.completed_at = completed_at or timezone.now()
        sale.amount_paid = paid
        sale.change_due = quantize(paid - total)
        sale.save(
            update_fields=[
                "receipt_sequence",
                "receipt_number",
                "status",
                "completed_at",
                "amount_paid",
                "change_due",
                "updated_at",
            ]
        )
        Payment.objects.bulk_create(
            Payment(sale=sale, method=t.method, amount=t.amount, reference=t.reference[:100])
            for t in tenders
        )
        balance_before = customer.outstanding_balance if customer else None
        if on_account > 0:
            receivable_charge_sale(customer=customer, sale=sale, amount=on_account, actor=actor)
        if customer is not None:
            customer_record_purchase(customer=customer, sale=sale)
        event_data = {
            "receipt_number": sale.receipt_number,
            "total_amount": total,
            "amount_paid": paid,
            "change_due": sale.change_due,
            "on_account_amount": on_account,
            "payments": [{"method": t.method, "amount": t.amount} for t in tenders],
            "customer_id": customer.pk if customer else None,
            "customer_name": customer.name if customer else WALK_IN_CUSTOMER,
        }
        if on_account > 0:
            event_data["balance_before"] = balance_before
            event_data["balance_after"] = customer.outstanding_balance
            event_data["credit_limit"] = customer.credit_limit
        if override_used:
            event_data["credit_limit_overridden"] = True
            event_data["over_limit_by"] = quantize(
                customer.outstanding_balance - customer.credit_limit
            )
        audit_record(
            business=sale.business,
            actor=actor,
            event_type="sale.completed",
            sale=sale,
            customer=customer,
            description=(
                f"Sale {sale.receipt_number} completed: {total} to {event_data['customer_name']}"
                + (f", {on_account} on account" if on_account > 0 else "")
                + (" (credit limit overridden)" if override_used else "")
            ),
            event_data=event_data,
        )
    return sale


# --- cancellation -------------------------------------------------------------------------


def sale_cancel(*, sale: Sale, reason: str = "", actor: Actor) -> Sale:
    """Cancel a DRAFT (anyone), or reverse a COMPLETED sale (a manager, with a reason).

    Reversing returns the stock, reverses the on-account charge on the ledger (payments
    already made against it become credit or settle other debts) and takes the sale out of
    the customer's statistics. The receipt number stays with the cancelled sale, so the
    sequence keeps no gaps. A CANCELLED sale never changes again.
    """
    reason = (reason or "").strip()
    with transaction.atomic():
        customer, sale = _lock_customer_then_sale(sale)
        was = sale.status
        if was == SaleStatus.CANCELLED:
            raise _wrong_status(
                sale,
                action="cancel",
                allowed=f"{SaleStatus.DRAFT} or {SaleStatus.COMPLETED}",
                message="This sale is already cancelled; a cancelled sale never changes again.",
            )
        if was == SaleStatus.COMPLETED:
            if not actor.is_manager:
                raise DomainError(
                    "Permission denied",
                    "Only a manager or the owner may cancel a completed sale.",
                    code="manager_required",
                    status_code=status.HTTP_403_FORBIDDEN,
                )
            if not reason:
                raise _invalid(
                    "reason",
                    "Say why the completed sale is cancelled; the reason goes on the audit trail.",
                    code="reason_required",
                )
        reversed_on_account = ZERO
        if was == SaleStatus.COMPLETED:
            stock_restore_for_sale(storefront=sale.storefront, quantities=_quantities(sale))
            if customer is not None:
                if sale.on_account_amount > 0:
                    reversed_on_account = sale.on_account_amount
                    receivable_reverse_sale(customer=customer, sale=sale, actor=actor)
                customer_remove_purchase(customer=customer, sale=sale)
        sale.status = SaleStatus.CANCELLED
        sale.cancelled_at = timezone.now()
        sale.cancel_reason = reason
        sale.save(update_fields=["status", "cancelled_at", "cancel_reason", "updated_at"])
        label = sale.receipt_number or f"draft {str(sale.pk)[:8]}"
        audit_record(
            business=sale.business,
            actor=actor,
            event_type="sale.cancelled",
            sale=sale,
            customer=customer,
            description=f"Sale {label} cancelled (was {was})" + (f": {reason}" if reason else ""),
            event_data={
                "previous_status": was,
                "reason": reason,
                "receipt_number": sale.receipt_number,
                "total_amount": sale.total_amount,
                "on_account_reversed": reversed_on_account,
                "stock_restored": was == SaleStatus.COMPLETED,
                "balance_after": customer.outstanding_balance if customer else None,
            },
        )
    return sale
