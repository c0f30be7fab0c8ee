"""Proves every customer's balance, statement, allocations and statistics against their sources.

`check_ledgers` runs this. Each check is one grouped query over all the customers checked,
whatever their number, and each difference found is a sentence naming the customer (or
sale) and both figures, so an administrator can see what to repair.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Max, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy

from customers.counts import CountFigures, customer_counts_from_sources, customer_counts_kept
from customers.models import Customer
from pos_project.models import Business
from pos_project.money import ZERO, quantize
from receivables.ledger import CREDIT_TYPES, SALE_CHARGE_TYPES
from receivables.models import (
    CustomerLedgerEntry,
    CustomerPayment,
    LedgerEntryType,
    ReceivableAllocation,
)
from receivables.summary import (
    NOTHING,
    receivables_summary_from_sources,
    receivables_summary_kept,
)
from sales.models import Sale, SaleStatus


@dataclass
class LedgerCheck:
    """What `check_ledgers` found: how many customers it checked, and every difference."""

    checked: int = 0
    differences: list[str] = field(default_factory=list)


def _by_customer(queryset, **aggregates) -> dict:
    return {row.pop("customer_id"): row for row in queryset.annotate(**aggregates)}


def _money(value) -> Decimal:
    # Sums are quantized: SQLite adds decimals as floats ("6.60000000000001").
    return quantize(value) if value is not None else ZERO


def ledger_check(*, customers: QuerySet[Customer] | None = None) -> LedgerCheck:
    """Check `customers` (default: every customer of every business)."""
    if customers is None:
        customers = Customer.objects.all()
    rows = {
        row["id"]: row
        for row in customers.values(
            "id",
            "name",
            "outstanding_balance",
            "total_purchases",
            "sales_count",
            "last_purchase_date",
            "ledger_sequence",
        )
    }
    result = LedgerCheck(checked=len(rows))
    ids = customers.values("id")
    out = result.differences

    def who(customer_id) -> str:
        row = rows.get(customer_id)
        return f"Customer {row['name']!r} ({customer_id})" if row else f"Customer {customer_id}"

    # Balance = sum of the ledger; each balance_after is the running sum; no gaps.
    ledger_totals = _by_customer(
        CustomerLedgerEntry.objects.filter(customer__in=ids).values("customer_id"),
        total=Sum("amount"),
        last=Max("sequence"),
    )
    for customer_id, row in rows.items():
        totals = ledger_totals.get(customer_id, {})
        total = _money(totals.get("total"))
        if row["outstanding_balance"] != total:
            out.append(
                f"{who(customer_id)}: outstanding_balance {row['outstanding_balance']} but the "
                f"ledger sums to {total}."
            )
        # The next entry is numbered from it: behind the ledger, it would collide.
        last = totals.get("last") or 0
        if row["ledger_sequence"] != last:
            out.append(
                f"{who(customer_id)}: ledger_sequence {row['ledger_sequence']} but the last "
                f"ledger entry is {last}."
            )
    entries = (
        CustomerLedgerEntry.objects.filter(customer__in=ids)
        .order_by("customer_id", "sequence")
        .values_list("customer_id", "sequence", "amount", "balance_after")
    )
    current, running, expected_sequence = None, ZERO, 1
    for customer_id, sequence, amount, balance_after in entries.iterator(chunk_size=5000):
        if customer_id != current:
            current, running, expected_sequence = customer_id, ZERO, 1
        if sequence != expected_sequence:
            out.append(
                f"{who(customer_id)}: ledger entry {sequence} found where {expected_sequence} "
                "was expected (sequences must run 1, 2, 3... without gaps)."
            )
            expected_sequence = sequence
        running += amount
        if balance_after != running:
            out.append(
                f"{who(customer_id)}: ledger entry {sequence} has balance_after "
                f"{balance_after} but the running sum is {running}."
            )
        expected_sequence += 1

    # Each payment is on the ledger once, for its amount.
    for payment_id, customer_id, amount, entry_amount in (
        CustomerPayment.objects.filter(customer__in=ids)
        .values_list("id", "customer_id", "amount", "ledger_entry__amount")
        .iterator(chunk_size=5000)
    ):
        if entry_amount != -amount:
            out.append(
                f"{who(customer_id)}: payment {payment_id} of {amount} has ledger amount "
                f"{entry_amount} (expected {-amount})."
            )

    # Allocations never exceed the credit they come from, and belong to its customer.
    for row in (
        ReceivableAllocation.objects.filter(customer__in=ids)
        .values(
            "credit_entry_id",
            "customer_id",
            "credit_entry__customer_id",
            "credit_entry__entry_type",
            "credit_entry__amount",
            "credit_entry__sequence",
        )
        .annotate(allocated=Sum("amount"))
        .iterator(chunk_size=5000)
    ):
        label = f"{who(row['customer_id'])}: ledger entry {row['credit_entry__sequence']}"
        credit, allocated = -row["credit_entry__amount"], _money(row["allocated"])
        if row["credit_entry__entry_type"] not in CREDIT_TYPES or credit <= 0:
            out.append(f"{label} is not a payment or credit, yet it settles sales.")
        elif allocated > credit:
            out.append(f"{label}: {allocated} allocated to sales, more than its {credit}.")
        if row["credit_entry__customer_id"] != row["customer_id"]:
            out.append(f"{label} settles sales of another customer.")

    # Each sale: allocations within its on-account amount; amount_due what is left of it;
    # its ledger charge (less any reversal) equal to it while completed, nothing once not.
    # A return's credit is allocated to its sale like a payment, not a change to the charge.
    sale_ledger = {
        row["sale_id"]: _money(row["total"])
        for row in CustomerLedgerEntry.objects.filter(
            customer__in=ids, sale__isnull=False, entry_type__in=SALE_CHARGE_TYPES
        )
        .values("sale_id")
        .annotate(total=Sum("amount"))
    }
    sale_allocations = {
        row["sale_id"]: row
        for row in ReceivableAllocation.objects.filter(sale__customer__in=ids)
        .values("sale_id")
        .annotate(
            total=Sum("amount"), other=Count("id", filter=~Q(customer_id=F("sale__customer_id")))
        )
    }
    due_by_customer: dict = defaultdict(lambda: ZERO)
    for sale in (
        Sale.objects.filter(customer__in=ids)
        .values("id", "customer_id", "receipt_number", "status", "on_account_amount", "amount_due")
        .iterator(chunk_size=5000)
    ):
        label = f"{who(sale['customer_id'])}: sale {sale['receipt_number'] or sale['id']}"
        allocated = _money(sale_allocations.get(sale["id"], {}).get("total"))
        on_account, due = sale["on_account_amount"], sale["amount_due"]
        charged = sale_ledger.get(sale["id"], ZERO)
        if sale["status"] == SaleStatus.COMPLETED:
            due_by_customer[sale["customer_id"]] += due
            if allocated > on_account:
                out.append(
                    f"{label}: {allocated} allocated, more than its {on_account} on account."
                )
            if due != on_account - allocated:
                out.append(
                    f"{label}: amount_due {due} but {on_account} on account less {allocated} "
                    f"allocated is {on_account - allocated}."
                )
            if charged != on_account:
                out.append(f"{label}: {on_account} on account but the ledger charges {charged}.")
        else:
            if allocated or due:
                out.append(
                    f"{label} is {sale['status'].lower()} yet has {allocated} allocated and "
                    f"{due} due."
                )
            if charged:
                out.append(f"{label} is {sale['status'].lower()} yet the ledger charges {charged}.")
    for sale_id, row in sale_allocations.items():
        if row["other"]:
            out.append(f"Sale {sale_id} is settled by credits of another customer.")

    # Credit still free to settle sales, and what is due, account for the whole balance: a
    # customer holding free credit has nothing due (it would have settled it).
    credit_rows = _by_customer(
        CustomerLedgerEntry.objects.filter(customer__in=ids).values("customer_id"),
        credits=Sum("amount", filter=Q(entry_type__in=CREDIT_TYPES, amount__lt=0)),
        taken_back=Sum(
            "amount", filter=Q(entry_type=LedgerEntryType.CREDIT_ADJUSTMENT, amount__gt=0)
        ),
    )
    allocated_rows = _by_customer(
        ReceivableAllocation.objects.filter(customer__in=ids).values("customer_id"),
        total=Sum("amount"),
    )
    for customer_id, row in rows.items():
        credits = credit_rows.get(customer_id, {})
        free = (
            -_money(credits.get("credits"))
            - _money(allocated_rows.get(customer_id, {}).get("total"))
            - _money(credits.get("taken_back"))
        )
        due = due_by_customer[customer_id]
        if free < 0:
            out.append(f"{who(customer_id)}: more credit taken back than was given ({-free}).")
        elif free > 0 and due > 0:
            out.append(
                f"{who(customer_id)}: {free} of credit is held while {due} is still due on sales."
            )
        elif due - free != row["outstanding_balance"]:
            out.append(
                f"{who(customer_id)}: outstanding_balance {row['outstanding_balance']} but "
                f"{due} is due on sales and {free} of credit is held."
            )

    # Purchase statistics agree with the completed sales, less what returns gave back.
    stats = _by_customer(
        Sale.objects.filter(customer__in=ids, status=SaleStatus.COMPLETED).values("customer_id"),
        total=Sum(F("total_amount") - F("returned_total")),
        count=Count("id"),
        last=Max("completed_at"),
    )
    for customer_id, row in rows.items():
        found = stats.get(customer_id, {})
        total, count, last = _money(found.get("total")), found.get("count", 0), found.get("last")
        if row["total_purchases"] != total:
            out.append(
                f"{who(customer_id)}: total_purchases {row['total_purchases']} but completed "
                f"sales less their returns total {total}."
            )
        if row["sales_count"] != count:
            out.append(
                f"{who(customer_id)}: sales_count {row['sales_count']} but {count} completed sales."
            )
        if row["last_purchase_date"] != last:
            out.append(
                f"{who(customer_id)}: last_purchase_date {row['last_purchase_date']} but the "
                f"latest completed sale is {last}."
            )
    return result


REBUILD_HINT = gettext_lazy(
    "Recompute the summaries, slots and customer counts from the customers and sales with "
    "'manage.py rebuild_receivables_summaries' (--business ID for one business)."
)


def receivables_summary_check(*, businesses: QuerySet[Business] | None = None) -> list[str]:
    """Each business's receivables summary, due slots and customer counts against the
    customers and sales.

    Eight grouped queries whatever the number of businesses; a business without a summary
    or counts row must have nothing to summarise.
    """
    if businesses is None:
        businesses = Business.objects.all()
    ids = businesses.values("id")
    expected = receivables_summary_from_sources(business_ids=ids)
    kept = receivables_summary_kept(business_ids=ids)
    counted = customer_counts_from_sources(business_ids=ids)
    counts = customer_counts_kept(business_ids=ids)
    every = set(expected) | set(kept) | set(counted) | set(counts)
    names = dict(Business.objects.filter(pk__in=every).values_list("id", "name"))
    out = []
    for business_id in sorted(every, key=str):
        want = expected.get(business_id, NOTHING)
        have = kept.get(business_id, NOTHING)
        who = f"Business {names.get(business_id)!r} ({business_id}): receivables summary"
        if have.debtors != want.debtors:
            out.append(
                f"{who} counts {have.debtors} debtors but {want.debtors} customers have a "
                "non-zero balance."
            )
        if have.amount_owed != want.amount_owed:
            out.append(
                f"{who} amount_owed {have.amount_owed} but the balances sum to {want.amount_owed}."
            )
        if have.amount_due != want.amount_due:
            out.append(
                f"{who} amount_due {have.amount_due} but {want.amount_due} is due on completed "
                "sales."
            )
        for starts_at in sorted(set(want.slots) | set(have.slots)):
            found, due = have.slots.get(starts_at, ZERO), want.slots.get(starts_at, ZERO)
            if found != due:
                out.append(
                    f"{who} slot {starts_at:%Y-%m-%d %H:%M} UTC holds {found} but {due} is due "
                    "on the sales completed in it."
                )
        for starts_at in sorted(set(want.buyers) | set(have.buyers)):
            found, buyers = have.buyers.get(starts_at, 0), want.buyers.get(starts_at, 0)
            if found != buyers:
                out.append(
                    f"{who} slot {starts_at:%Y-%m-%d %H:%M} UTC counts {found} buyers but "
                    f"{buyers} customers last bought in it."
                )
        if have.purchases != want.purchases:
            out.append(
                f"{who} purchases {have.purchases} but the customers' total purchases sum to "
                f"{want.purchases}."
            )
        if have.sales_count != want.sales_count:
            out.append(
                f"{who} sales_count {have.sales_count} but the customers' sales counts sum to "
                f"{want.sales_count}."
            )
        out.extend(_counts_differences(business_id, names, counted, counts))
    return out


def _counts_differences(business_id, names, counted, counts) -> list[str]:
    want = counted.get(business_id, CountFigures())
    have = counts.get(business_id, CountFigures())
    who = f"Business {names.get(business_id)!r} ({business_id}): customer counts"
    return [
        f"{who} hold {found} {label} but {actual} customers are {label}."
        for label, found, actual in (
            ("active", have.active, want.active),
            ("deactivated", have.deactivated, want.deactivated),
        )
        if found != actual
    ]
