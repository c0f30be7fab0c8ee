"""The Debtors report's unfiltered count and totals, kept per business as they change.

Counting the debtors and summing every balance and unpaid sale costs a scan that grows with
the customers; these rows cost the same at any size. `ReceivablesSummary` holds, per
business, the number of customers with a non-zero balance, the sum of the balances and what
is still due on completed sales, and for the customer dashboard the sums of the customers'
total purchases and sales counts; `ReceivablesDueSlot` splits that amount due by the
15-minute UTC slot its sales were completed in, so the ageing buckets are sums of slots,
and counts per slot the customers whose last purchase falls in it, so the dashboard's
recent buyers are a sum of slots too.

Kept like the balance itself: the receivables services move them in the transaction that
changes a balance, an amount due or a customer's purchase statistics (an on-account
completion in the one UPDATE it makes anyway; a sale paid without credit, a cancellation or
a return in one more), by atomic increments, after the sale rows are locked and before the
audit entry (the lock order is customer, sale, stock, receipt sequence, customer counts,
this summary, audit chain). The summary row is per business, so it serialises a business's
writers exactly as the audit chain head already does. `check_ledgers` proves them against
their sources, and `receivables_summary_rebuild` recomputes them from those sources.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, DateTimeField, Func, Q, Sum
from django.utils.translation import gettext_lazy

from customers.models import Customer
from pos_project.kept_figures import kept_figures_add, kept_figures_add_rows
from pos_project.models import Business
from pos_project.money import ZERO, quantize
from receivables.locks import receivables_summary_lock
from receivables.models import DUE_SLOT_MINUTES, ReceivablesDueSlot, ReceivablesSummary
from sales.models import Sale, SaleStatus

SLOT_SECONDS = DUE_SLOT_MINUTES * 60
TOTALS = gettext_lazy("The business's total receivables")


def slot_start(moment: datetime) -> datetime:
    """The start of the 15-minute UTC slot `moment` falls in."""
    moment = moment.astimezone(UTC)
    return moment.replace(
        minute=moment.minute - moment.minute % DUE_SLOT_MINUTES, second=0, microsecond=0
    )


class SlotStart(Func):
    """`slot_start` in SQL, so slots are summed by the database."""

    output_field = DateTimeField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template=(
                f"to_timestamp(floor(extract(epoch FROM %(expressions)s) / {SLOT_SECONDS}) "
                f"* {SLOT_SECONDS})"
            ),
            **extra_context,
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        # Integer division floors: completion times are after 1970. '%%%%s' reaches SQLite
        # as strftime's '%s': the template and the backend's placeholder pass each halve it.
        return self.as_sql(
            compiler,
            connection,
            template=(
                f"datetime(CAST(strftime('%%%%s', %(expressions)s) AS INTEGER) / {SLOT_SECONDS} "
                f"* {SLOT_SECONDS}, 'unixepoch')"
            ),
            **extra_context,
        )


def receivables_summary_move(
    *,
    business_id,
    balance_before: Decimal,
    balance_after: Decimal,
    due: Iterable[tuple[datetime, Decimal]] = (),
    purchases: Decimal = ZERO,
    sales: int = 0,
    buyer_moved: tuple[datetime | None, datetime | None] = (None, None),
) -> None:
    """Add one operation's changes to its business's summary and slots.

    `balance_before`/`balance_after` are one customer's balance around the operation (equal
    when it moved none); `due` is each change to a completed sale's `amount_due`, as
    (the sale's completion time, the change); `purchases` and `sales` the change to the
    customer's total purchases and count of sales, added in the same UPDATE; `buyer_moved`
    the customer's `last_purchase_date` before and after (None: no purchase), which moves
    one buyer between their slots in the same UPDATE as the slots' amounts due.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("The receivables summary moves only inside the changing transaction.")
    by_slot: dict[datetime, Decimal] = defaultdict(lambda: ZERO)
    for completed_at, change in due:
        by_slot[slot_start(completed_at)] += change
    slots: dict[datetime, dict] = {
        start: {"amount_due": change} for start, change in by_slot.items() if change
    }
    left, joined = (None if moment is None else slot_start(moment) for moment in buyer_moved)
    if left != joined:
        for starts_at, step in ((left, -1), (joined, 1)):
            if starts_at is not None:
                slots.setdefault(starts_at, {})["buyers"] = step
    debtors = int(balance_after != 0) - int(balance_before != 0)
    owed = balance_after - balance_before
    if not (debtors or owed or slots or purchases or sales):
        return
    # The summary first: its row lock queues the business's writers, so no two of them
    # ever race on a slot.
    kept_figures_add(
        ReceivablesSummary,
        {"business_id": business_id},
        what=TOTALS,
        debtors=debtors,
        amount_owed=owed,
        amount_due=sum(by_slot.values(), ZERO),
        purchases=purchases,
        sales_count=sales,
    )
    # Every slot in one UPDATE: an on-account sale moves its buyer out of the slot of their
    # previous purchase in the statement that adds the sale's amount due to its own slot.
    kept_figures_add_rows(
        ReceivablesDueSlot,
        {"business_id": business_id},
        by="starts_at",
        changes=slots,
        what=TOTALS,
    )


def receivables_purchases_move(
    customer: Customer,
    *,
    purchases: Decimal,
    sales: int = 0,
    buyer_moved: tuple[datetime | None, datetime | None] = (None, None),
) -> None:
    """Add a change of `customer`'s total purchases, count of sales and last purchase date
    (`buyer_moved`, as in `receivables_summary_move`) to their business's sums, for an
    operation that moves no balance."""
    receivables_summary_move(
        business_id=customer.business_id,
        balance_before=customer.outstanding_balance,
        balance_after=customer.outstanding_balance,
        purchases=purchases,
        sales=sales,
        buyer_moved=buyer_moved,
    )


def _unpaid_sales(business_ids):
    return Sale.objects.filter(
        business__in=business_ids, status=SaleStatus.COMPLETED, amount_due__gt=0
    ).order_by()


@dataclass(frozen=True)
class SummaryFigures:
    """A business's summary and non-zero slots (amount due; buyers), as kept or as
    recomputed from the sources."""

    debtors: int
    amount_owed: Decimal
    amount_due: Decimal
    slots: dict[datetime, Decimal]
    purchases: Decimal = ZERO
    sales_count: int = 0
    buyers: dict[datetime, int] = field(default_factory=dict)


# What a business with no debtors, nothing due and no purchases holds, kept or recomputed.
NOTHING = SummaryFigures(debtors=0, amount_owed=ZERO, amount_due=ZERO, slots={})


def receivables_summary_from_sources(*, business_ids) -> dict:
    """What each business's summary and slots should hold, from customers and sales.

    Four grouped queries whatever the number of businesses: the check reads it for all.
    """
    customers = {
        row["business_id"]: row
        for row in Customer.objects.filter(business__in=business_ids)
        .order_by()
        .values("business_id")
        .annotate(
            debtors=Count("id", filter=Q(outstanding_balance__gt=0) | Q(outstanding_balance__lt=0)),
            owed=Sum("outstanding_balance"),
            purchases=Sum("total_purchases"),
            sales_count=Sum("sales_count"),
        )
    }
    slots: dict = defaultdict(dict)
    for row in (
        _unpaid_sales(business_ids)
        .annotate(starts_at=SlotStart("completed_at"))
        .values("business_id", "starts_at")
        .annotate(due=Sum("amount_due"))
    ):
        slots[row["business_id"]][row["starts_at"].astimezone(UTC)] = quantize(row["due"])
    buyers: dict = defaultdict(dict)
    for row in (
        Customer.objects.filter(business__in=business_ids, last_purchase_date__isnull=False)
        .order_by()
        .annotate(starts_at=SlotStart("last_purchase_date"))
        .values("business_id", "starts_at")
        .annotate(buyers=Count("id"))
    ):
        buyers[row["business_id"]][row["starts_at"].astimezone(UTC)] = row["buyers"]
    # Totalled from the unpaid sales themselves, not from the rounded slot sums.
    due = {
        row["business_id"]: quantize(row["due"])
        for row in _unpaid_sales(business_ids).values("business_id").annotate(due=Sum("amount_due"))
    }
    figures = {}
    for business_id in set(customers) | set(due):
        row = customers.get(business_id, {})
        figures[business_id] = SummaryFigures(
            debtors=row.get("debtors", 0),
            amount_owed=quantize(row.get("owed") or ZERO),
            amount_due=due.get(business_id, ZERO),
            slots=slots.get(business_id, {}),
            purchases=quantize(row.get("purchases") or ZERO),
            sales_count=row.get("sales_count") or 0,
            buyers=buyers.get(business_id, {}),
        )
    return figures


def receivables_summary_kept(*, business_ids) -> dict:
    """What each business's summary and slots hold now; zero slots left out."""
    kept = {
        summary.business_id: SummaryFigures(
            summary.debtors,
            summary.amount_owed,
            summary.amount_due,
            {},
            summary.purchases,
            summary.sales_count,
        )
        for summary in ReceivablesSummary.objects.filter(business__in=business_ids)
    }
    for business_id, starts_at, amount, buyers in ReceivablesDueSlot.objects.filter(
        business__in=business_ids
    ).values_list("business_id", "starts_at", "amount_due", "buyers"):
        figures = kept.setdefault(business_id, SummaryFigures(0, ZERO, ZERO, {}))
        # Compared once read as Decimal: SQLite's float sums leave a paid slot at 1e-14.
        if amount:
            figures.slots[starts_at.astimezone(UTC)] = amount
        if buyers:
            figures.buyers[starts_at.astimezone(UTC)] = buyers
    return kept


def receivables_summary_rebuild(*, business: Business) -> None:
    """Recompute `business`'s summary and slots from its customers and sales.

    For the bulk loaders, and for an administrator after `check_ledgers` found
    a difference. The summary row is locked first, so writers queue behind the rebuild and
    then add their own changes to what it computed.
    """
    with transaction.atomic():
        summary = receivables_summary_lock(business=business)
        figures = receivables_summary_from_sources(business_ids=[business.pk])
        figures = figures.get(business.pk, NOTHING)
        summary.debtors = figures.debtors
        summary.amount_owed = figures.amount_owed
        summary.amount_due = figures.amount_due
        summary.purchases = figures.purchases
        summary.sales_count = figures.sales_count
        summary.save()
        ReceivablesDueSlot.objects.filter(business=business).delete()
        ReceivablesDueSlot.objects.bulk_create(
            ReceivablesDueSlot(
                business=business,
                starts_at=starts_at,
                amount_due=figures.slots.get(starts_at, ZERO),
                buyers=figures.buyers.get(starts_at, 0),
            )
            for starts_at in sorted(set(figures.slots) | set(figures.buyers))
        )
