"""Accounts receivable: the customer's ledger, what settles which sale, and purchase statistics.

Every function here changes money a customer owes, so each one expects the customer row
to be locked by its caller (`customers.locks.customer_lock`) inside the caller's
transaction: two tills and a back-office payment for one customer then queue up instead of
interleaving, in the lock order of docs/locking.md. The summary (what the unfiltered
Debtors report reads) is moved once per operation, after every sale it settles is locked
and saved, and before the caller's audit entry.

Rules kept here:
- the balance always equals the sum of the customer's ledger entries, and each entry's
  `balance_after` is the running sum in `sequence` order;
- credits (payments, credit given) settle the oldest unpaid on-account sales first, and
  whatever is left over is held for the next on-account sale;
- cancelling a completed on-account sale reverses its whole on-account charge; payments
  already allocated to it are released and settle the next oldest unpaid sales, or are
  held as credit (a negative balance) when nothing else is owed;
- a return first lowers what is still due on its own sale: its SALE_RETURN credit is
  allocated to that sale, so a sale's amount due stays its on-account amount less its
  allocations. A refund on account is the rest of that credit, held for the customer (it
  settles their other unpaid sales first, like any credit).

Recording a payment and adjusting credit, which call these, are in `receivables.services`.
"""

from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction
from django.db.models import Max, Sum
from django.utils.translation import gettext as _

from customers.models import Customer
from pos_project.actors import Actor
from pos_project.money import ZERO, amount_within_limit, quantize
from receivables.descriptions import (
    ledger_record,
    sale_charge_details,
    sale_return_details,
    sale_reversal_details,
)
from receivables.models import (
    CustomerLedgerEntry,
    CustomerPayment,
    LedgerEntryType,
    ReceivableAllocation,
)
from receivables.summary import receivables_purchases_move, receivables_summary_move
from sales.locks import unpaid_sales_lock
from sales.models import SaleStatus

# Entry types whose negative amounts are credits that can settle sales.
CREDIT_TYPES = (
    LedgerEntryType.PAYMENT,
    LedgerEntryType.CREDIT_ADJUSTMENT,
    LedgerEntryType.SALE_RETURN,
)
# Entry types that charge a sale to the account or take that charge back whole.
SALE_CHARGE_TYPES = (LedgerEntryType.SALE_CHARGE, LedgerEntryType.SALE_REVERSAL)


def _require_transaction() -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(
            "Receivables change only inside the transaction that locked the customer."
        )


def ledger_post(
    *,
    customer: Customer,
    entry_type: str,
    amount: Decimal,
    description: str,
    actor: Actor,
    details: dict | None = None,
    sale=None,
    payment: CustomerPayment | None = None,
    also_saving: Sequence[str] = (),
) -> CustomerLedgerEntry:
    """Append one entry to a locked customer's statement and move their balance with it.

    `description` is the English record; `details` what it names, from which it is read in
    the reader's language (receivables.descriptions). `also_saving`: other fields of the
    customer the caller has changed, written in the same UPDATE as the balance.
    """
    _require_transaction()
    amount_within_limit(
        customer.outstanding_balance + amount, field="amount", what=_("The customer's balance")
    )
    # The customer row is locked and saved below anyway: its kept last sequence spares
    # reading the largest one in the ledger.
    customer.ledger_sequence += 1
    customer.outstanding_balance += amount
    entry = CustomerLedgerEntry.objects.create(
        business_id=customer.business_id,
        customer=customer,
        sequence=customer.ledger_sequence,
        entry_type=entry_type,
        amount=amount,
        balance_after=customer.outstanding_balance,
        sale=sale,
        payment=payment,
        description=description[:255],
        details=details,
        created_by=actor.user,
        created_by_name=actor.name,
    )
    customer.save(
        update_fields=["outstanding_balance", "ledger_sequence", *also_saving, "updated_at"]
    )
    return entry


def _unallocated_credits(customer: Customer) -> list[tuple[CustomerLedgerEntry, Decimal]]:
    """Credits still free to settle sales, oldest first, with what is left of each.

    Credit taken back by "deduct" adjustments is no longer free: it is taken from the
    oldest unallocated credits. That portion stays put as allocations are made (they only
    consume what lies after it), so the result is the same however often it is computed.
    """
    credits = (
        CustomerLedgerEntry.objects.filter(
            customer=customer, entry_type__in=CREDIT_TYPES, amount__lt=0
        )
        .annotate(allocated=Sum("allocations__amount"))
        .order_by("sequence")
    )
    taken_back = quantize(
        customer.ledger_entries.filter(
            entry_type=LedgerEntryType.CREDIT_ADJUSTMENT, amount__gt=0
        ).aggregate(total=Sum("amount"))["total"]
        or ZERO
    )
    # Sums are quantized: SQLite adds decimals as floats ("6.60000000000001").
    remaining = []
    for entry in credits:
        left = -entry.amount - quantize(entry.allocated or ZERO)
        if left > 0 and taken_back > 0:
            skipped = min(left, taken_back)
            left -= skipped
            taken_back -= skipped
        if left > 0:
            remaining.append((entry, left))
    return remaining


def credit_held(*, customer: Customer) -> Decimal:
    """Credit held for the customer: what is free to settle their next on-account sales."""
    return quantize(sum((left for _entry, left in _unallocated_credits(customer)), ZERO))


def allocations_settle(*, customer: Customer) -> list[ReceivableAllocation]:
    """Match unallocated credits to unpaid on-account sales, both oldest first."""
    _require_transaction()
    credits = _unallocated_credits(customer)
    if not credits:
        return []
    unpaid = unpaid_sales_lock(customer=customer)
    made = []
    credit_index = 0
    for sale in unpaid:
        while sale.amount_due > 0 and credit_index < len(credits):
            entry, left = credits[credit_index]
            amount = min(left, sale.amount_due)
            made.append(
                ReceivableAllocation(
                    business_id=customer.business_id,
                    customer=customer,
                    credit_entry=entry,
                    sale=sale,
                    amount=amount,
                )
            )
            sale.amount_due -= amount
            left -= amount
            if left > 0:
                credits[credit_index] = (entry, left)
            else:
                credit_index += 1
        sale.save(update_fields=["amount_due", "updated_at"])
        if credit_index >= len(credits):
            break
    ReceivableAllocation.objects.bulk_create(made)
    return made


def allocations_settled_amounts(made: list[ReceivableAllocation]) -> list[tuple]:
    """What `allocations_settle` took off each sale's amount due, for the summary."""
    return [(allocation.sale.completed_at, -allocation.amount) for allocation in made]


def receivable_charge_sale(
    *, customer: Customer, sale, amount: Decimal, actor: Actor
) -> CustomerLedgerEntry:
    """Charge the on-account part of a sale being completed to the locked customer.

    The caller has saved the sale with `amount` as its `on_account_amount` and `amount_due`,
    in the same UPDATE that completes it. The sale is counted in the customer's purchase
    statistics (`customer_record_purchase`), written with the new balance in one UPDATE.
    Credit already held for the customer settles it at once.
    """
    balance_before = customer.outstanding_balance
    last_before = customer.last_purchase_date
    _count_purchase(customer, sale)
    details = sale_charge_details(receipt_number=sale.receipt_number)
    entry = ledger_post(
        customer=customer,
        entry_type=LedgerEntryType.SALE_CHARGE,
        amount=amount,
        description=ledger_record(LedgerEntryType.SALE_CHARGE, details),
        details=details,
        actor=actor,
        sale=sale,
        also_saving=PURCHASE_FIELDS,
    )
    made = []
    # Free credit exists only while the balance is below zero: any credit held alongside a
    # debt would already have settled it (check_ledgers proves it). Otherwise there is
    # nothing to settle, and the till is spared the credit and allocation queries.
    if balance_before < 0:
        made = allocations_settle(customer=customer)
        # Settling saved its own copy of the sale; the caller's copy must not write the old
        # amount due back if it saves the sale again.
        sale.refresh_from_db(fields=["amount_due"])
    receivables_summary_move(
        business_id=customer.business_id,
        balance_before=balance_before,
        balance_after=customer.outstanding_balance,
        due=[(sale.completed_at, amount), *allocations_settled_amounts(made)],
        purchases=sale.total_amount,
        sales=1,
        buyer_moved=(last_before, customer.last_purchase_date),
    )
    return entry


def receivable_reverse_sale(
    *, customer: Customer, sale, actor: Actor
) -> CustomerLedgerEntry | None:
    """Reverse the on-account charge of a completed sale being cancelled.

    Payments allocated to the sale are released and settle the customer's other unpaid
    sales, oldest first, or stay as credit held for them.
    """
    if sale.on_account_amount <= 0:
        return None
    balance_before = customer.outstanding_balance
    due_before = sale.amount_due
    released = sale.allocations.all()
    # Quantized: SQLite sums decimals as floats, without their scale.
    released_total = quantize(released.aggregate(total=Sum("amount"))["total"] or ZERO)
    # Allocation rows are bookkeeping of which credit settles which debt, not money: the
    # released payment keeps its ledger entry and settles the next debt instead.
    released.delete()
    sale.amount_due = ZERO
    sale.save(update_fields=["amount_due", "updated_at"])
    details = sale_reversal_details(receipt_number=sale.receipt_number, released=released_total)
    entry = ledger_post(
        customer=customer,
        entry_type=LedgerEntryType.SALE_REVERSAL,
        amount=-sale.on_account_amount,
        description=ledger_record(
            LedgerEntryType.SALE_REVERSAL, details, symbol=sale.business.currency_symbol
        ),
        details=details,
        actor=actor,
        sale=sale,
    )
    made = allocations_settle(customer=customer)
    receivables_summary_move(
        business_id=customer.business_id,
        balance_before=balance_before,
        balance_after=customer.outstanding_balance,
        due=[(sale.completed_at, -due_before), *allocations_settled_amounts(made)],
    )
    return entry


def receivable_return_sale(
    *, customer: Customer, sale, sale_return, due_reduced: Decimal, credit: Decimal, actor: Actor
) -> CustomerLedgerEntry | None:
    """Credit the locked customer for goods of a completed sale they brought back.

    One SALE_RETURN entry of `due_reduced + credit`: `due_reduced` (at most the sale's
    amount due) is allocated to the sale itself, so its amount due falls by it; `credit` is
    a refund on account, held for the customer, which first settles their other unpaid
    sales, oldest first. The caller has locked the sale.
    """
    amount = quantize(due_reduced + credit)
    if amount <= 0:
        return None
    if due_reduced > sale.amount_due:
        raise ValueError(f"{due_reduced} is more than the {sale.amount_due} due on the sale.")
    balance_before = customer.outstanding_balance
    details = sale_return_details(
        return_number=sale_return.number, receipt_number=sale.receipt_number
    )
    entry = ledger_post(
        customer=customer,
        entry_type=LedgerEntryType.SALE_RETURN,
        amount=-amount,
        description=ledger_record(LedgerEntryType.SALE_RETURN, details),
        details=details,
        actor=actor,
        sale=sale,
    )
    due = []
    if due_reduced > 0:
        ReceivableAllocation.objects.create(
            business_id=customer.business_id,
            customer=customer,
            credit_entry=entry,
            sale=sale,
            amount=due_reduced,
        )
        sale.amount_due -= due_reduced
        sale.save(update_fields=["amount_due", "updated_at"])
        due.append((sale.completed_at, -due_reduced))
    made = []
    if credit > 0:
        # Only sales other than this one can still be due: a credit is left only once the
        # whole of this sale's amount due was taken off.
        made = allocations_settle(customer=customer)
    receivables_summary_move(
        business_id=customer.business_id,
        balance_before=balance_before,
        balance_after=customer.outstanding_balance,
        due=[*due, *allocations_settled_amounts(made)],
    )
    return entry


PURCHASE_FIELDS = ("total_purchases", "sales_count", "last_purchase_date")


def _count_purchase(customer: Customer, sale) -> None:
    customer.total_purchases = amount_within_limit(
        customer.total_purchases + sale.total_amount,
        field="payments",
        what=_("The customer's total purchases"),
    )
    customer.sales_count += 1
    if customer.last_purchase_date is None or sale.completed_at > customer.last_purchase_date:
        customer.last_purchase_date = sale.completed_at


def customer_record_purchase(*, customer: Customer, sale) -> None:
    """Add a completed sale paid without credit to the locked customer's purchase statistics
    (an on-account sale is counted by `receivable_charge_sale`)."""
    _require_transaction()
    last_before = customer.last_purchase_date
    _count_purchase(customer, sale)
    customer.save(update_fields=[*PURCHASE_FIELDS, "updated_at"])
    receivables_purchases_move(
        customer,
        purchases=sale.total_amount,
        sales=1,
        buyer_moved=(last_before, customer.last_purchase_date),
    )


def customer_remove_purchase(*, customer: Customer, sale) -> None:
    """Take a cancelled sale back out of the locked customer's purchase statistics."""
    _require_transaction()
    last_before = customer.last_purchase_date
    customer.total_purchases -= sale.total_amount
    customer.sales_count -= 1
    customer.last_purchase_date = (
        customer.sales.filter(status=SaleStatus.COMPLETED)
        .exclude(pk=sale.pk)
        .aggregate(last=Max("completed_at"))["last"]
    )
    customer.save(
        update_fields=["total_purchases", "sales_count", "last_purchase_date", "updated_at"]
    )
    receivables_purchases_move(
        customer,
        purchases=-sale.total_amount,
        sales=-1,
        buyer_moved=(last_before, customer.last_purchase_date),
    )


def customer_record_return(*, customer: Customer, amount: Decimal) -> None:
    """Take goods brought back out of the locked customer's total purchases.

    The sale still counts as a purchase (it stays completed), so the count and the last
    purchase date do not change.
    """
    _require_transaction()
    customer.total_purchases -= amount
    customer.save(update_fields=["total_purchases", "updated_at"])
    receivables_purchases_move(customer, purchases=-amount)
