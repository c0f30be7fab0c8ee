"""Completing a sale: the tenders, the customer's credit, the stock, the receipt number and
the charge on the customer's account, in one transaction and in the lock order of
docs/locking.md."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.events import AuditEvent, audit_changes
from audit.services import audit_record
from customers.models import Customer
from medicine.services import ShelfLine, stock_decrement_for_sale
from medicine.shelf import local_today
from pos_project.actors import Actor
from pos_project.bidi import isolate
from pos_project.errors import Invalid, invalid_field
from pos_project.money import ZERO, amount_within_limit, quantize
from receivables.ledger import customer_record_purchase, receivable_charge_sale
from sales.errors import ErrorCode
from sales.locks import sequence_take
from sales.models import (
    WALK_IN_CUSTOMER,
    Payment,
    PaymentMethod,
    ReceiptSequence,
    Sale,
    SaleStatus,
)
from sales.services.checks import (
    customer_inactive_refusal,
    wrong_status,
)
from sales.services.customer_then_sale import customer_then_sale_retried, lock_customer_then_sale
from sales.services.held import held_rows
from sales.services.tenders import Tender, checkout_tenders
from sales.till_sessions import till_session_for_money


def _paid_with(sale: Sale, tenders: list[Tender]) -> bool:
    """Whether `tenders` are exactly the payments `sale` was completed with."""

    def key(method, amount, reference):
        return (method, quantize(amount), reference[:100])

    sent = sorted(key(t.method, t.amount, t.reference) for t in tenders)
    kept = sorted(key(*row) for row in sale.payments.values_list("method", "amount", "reference"))
    return sent == kept


def shelf_lines(items: Iterable[tuple[uuid.UUID, uuid.UUID, int]]) -> list[ShelfLine]:
    """What the shelf gives for each `(item id, medicine id, quantity)` line of a sale (one
    line per medicine: adding a medicine again adds to its line)."""
    return [
        ShelfLine(item=item_id, medicine=medicine_id, quantity=quantity)
        for item_id, medicine_id, quantity in items
    ]


def sale_shelf_lines(sale: Sale) -> list[ShelfLine]:
    return shelf_lines(sale.items.values_list("id", "medicine_id", "quantity"))


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
    return sale_complete_at(
        sale=sale,
        payments=payments,
        override_credit_limit=override_credit_limit,
        actor=actor,
        completed_at=None,
    )


def sale_complete_at(
    *,
    sale: Sale,
    payments: Iterable[Mapping[str, Any] | Tender],
    override_credit_limit: bool,
    actor: Actor,
    completed_at: datetime | None,
) -> Sale:
    """`sale_complete`, with the completion time given: only the demo history backdates."""
    tenders = checkout_tenders(payments, override_credit_limit=override_credit_limit, actor=actor)
    return customer_then_sale_retried(
        lambda: _complete(
            sale=sale,
            tenders=tenders,
            override_credit_limit=override_credit_limit,
            actor=actor,
            completed_at=completed_at,
        )
    )


def _complete(
    *,
    sale: Sale,
    tenders: list[Tender],
    override_credit_limit: bool,
    actor: Actor,
    completed_at: datetime | None,
) -> Sale:
    with transaction.atomic():
        customer, sale = lock_customer_then_sale(sale)
        if sale.status == SaleStatus.COMPLETED and _paid_with(sale, tenders):
            # The same checkout again (a till's retry without an Idempotency-Key): the sale
            # as it was completed, and nothing moves twice.
            return sale
        if sale.status != SaleStatus.DRAFT:
            raise wrong_status(
                sale,
                action="complete",
                allowed=SaleStatus.DRAFT,
                message=_("This sale is already completed or cancelled; it cannot be paid again."),
            )
        return settle_draft(
            sale=sale,
            customer=customer,
            lines=sale_shelf_lines(sale),
            tenders=tenders,
            override_credit_limit=override_credit_limit,
            actor=actor,
            completed_at=completed_at,
        )


def settle_draft(
    *,
    sale: Sale,
    customer: Customer | None,
    lines: list[ShelfLine],
    tenders: list[Tender],
    override_credit_limit: bool,
    actor: Actor,
    completed_at: datetime | None,
) -> Sale:
    """Complete a DRAFT with `tenders`: the rules and the writes of every checkout.

    The draft flow's `complete` and the one-request checkout both end here, inside their
    transaction, with the sale and its customer (None for a walk-in) locked in the order of
    docs/locking.md (or the sale new, not yet written: it is then inserted complete) and
    `lines` what the shelf gives for each of the sale's lines. A refusal is raised before this
    function writes anything (a stock refusal puts back what it took); the caller's
    transaction rolls back whatever the caller wrote itself.
    """
    if not lines:
        raise Invalid(
            "Sale is empty",
            _("Add at least one item before completing the sale."),
            code=ErrorCode.EMPTY_SALE,
        )
    total = sale.total_amount
    if not tenders and total > 0:
        raise invalid_field(
            "payments", _("Send at least one payment."), code=ErrorCode.PAYMENT_REQUIRED
        )
    paid = amount_within_limit(
        quantize(sum((t.amount for t in tenders), ZERO)),
        field="payments",
        what=_("The payments"),
    )
    non_cash = quantize(sum((t.amount for t in tenders if t.method != PaymentMethod.CASH), ZERO))
    on_account = quantize(
        sum((t.amount for t in tenders if t.method == PaymentMethod.ON_ACCOUNT), ZERO)
    )
    if non_cash > total:
        raise Invalid(
            "Non-cash payments exceed the total",
            _(
                "Card, mobile money and on-account payments add up to %(non_cash)s, more than "
                "the total of %(total)s. Only cash can be given back as change."
            )
            % {"non_cash": non_cash, "total": total},
            code=ErrorCode.NON_CASH_OVERPAYMENT,
            total_amount=str(total),
            non_cash_amount=str(non_cash),
        )
    if paid < total:
        raise Invalid(
            "Payments do not cover the total",
            _("The payments add up to %(paid)s but the total is %(total)s; %(missing)s is missing.")
            % {"paid": paid, "total": total, "missing": quantize(total - paid)},
            code=ErrorCode.INSUFFICIENT_PAYMENT,
            total_amount=str(total),
            amount_paid=str(paid),
            remaining=str(quantize(total - paid)),
        )
    override_used = False
    if on_account > 0:
        if customer is None:
            raise Invalid(
                "Customer required for on-account payment",
                _(
                    "Assign a customer to the sale (update_customer) before charging it to an "
                    "account."
                ),
                code=ErrorCode.ON_ACCOUNT_REQUIRES_CUSTOMER,
            )
        if not customer.is_active:
            raise customer_inactive_refusal(customer)
        if not customer.can_make_purchase(on_account):
            if not override_credit_limit:
                available = quantize(customer.available_credit)
                raise Invalid(
                    "Credit limit exceeded",
                    _(
                        "%(customer)s can take %(available)s more on account (limit %(limit)s, "
                        "owing %(owing)s); this sale asks for %(asked)s. Take the rest in "
                        "another method, or ask a manager to override the limit."
                    )
                    % {
                        "customer": isolate(customer.name),
                        "available": max(available, ZERO),
                        "limit": customer.credit_limit,
                        "owing": customer.outstanding_balance,
                        "asked": on_account,
                    },
                    code=ErrorCode.CREDIT_LIMIT_EXCEEDED,
                    available_credit=str(available),
                    credit_limit=str(customer.credit_limit),
                    outstanding_balance=str(customer.outstanding_balance),
                    requested=str(on_account),
                )
            override_used = True

    # The caller's open session at this storefront takes the money; with cash control on,
    # cash without one is refused here, before anything has changed.
    sale.till_session = till_session_for_money(
        actor=actor,
        business=sale.business,
        storefront=sale.storefront,
        moves_cash=any(t.method == PaymentMethod.CASH for t in tenders),
    )
    stock_decrement_for_sale(
        storefront=sale.storefront,
        lines=lines,
        # Expiries count at the business's local date of the sale.
        today=local_today(sale.business, completed_at),
    )
    # From the receipt number to the commit, every other checkout of the business waits on
    # this one (the receipt sequence, then the receivables summary and the audit chain
    # head), so what does not need the number is written before it is taken. The tenders
    # point at the sale by its key, which a new sale already has; PostgreSQL and SQLite
    # check a foreign key at commit.
    held_rows(
        sale,
        payments=Payment.objects.bulk_create(
            Payment(sale=sale, method=t.method, amount=t.amount, reference=t.reference[:100])
            for t in tenders
        ),
    )
    # Taken in the completing transaction: a completion that fails gives its number back.
    sale.receipt_sequence = sequence_take(ReceiptSequence, business=sale.business)
    sale.receipt_number = ReceiptSequence.label(sale.receipt_sequence)
    sale.status = SaleStatus.COMPLETED
    sale.completed_at = completed_at or timezone.now()
    sale.amount_paid = paid
    sale.change_due = quantize(paid - total)
    sale.on_account_amount = sale.amount_due = on_account
    if sale._state.adding:
        # Rung up and paid in one request: the sale is written once, complete.
        sale.save(force_insert=True)
    else:
        sale.save(
            update_fields=[
                "receipt_sequence",
                "receipt_number",
                "status",
                "completed_at",
                "amount_paid",
                "change_due",
                "on_account_amount",
                "amount_due",
                "till_session",
                "updated_at",
            ]
        )
    balance_before = customer.outstanding_balance if customer else None
    if on_account > 0:
        # Also counts the sale in the customer's statistics, in the balance's UPDATE.
        receivable_charge_sale(customer=customer, sale=sale, amount=on_account, actor=actor)
    elif customer is not None:
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
        "till_session": sale.till_session_id,
    }
    if on_account > 0:
        event_data["changes"] = audit_changes(
            {"outstanding_balance": balance_before},
            {"outstanding_balance": customer.outstanding_balance},
        )
        event_data["credit_limit"] = customer.credit_limit
    if override_used:
        event_data["credit_limit_overridden"] = True
        event_data["over_limit_by"] = quantize(customer.outstanding_balance - customer.credit_limit)
    audit_record(
        business=sale.business,
        actor=actor,
        event_type=AuditEvent.SALE_COMPLETED,
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
