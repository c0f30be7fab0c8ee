"""The Debtors report: who owes what, since when, and how old their unpaid sales are.

A page of rows costs one query whatever the number of customers or sales: the ageing
buckets are sums over each customer's unpaid sales, and the last payment a lookup served by
the payments' (customer, -created_at) index. The unfiltered report's count and totals are
read from the business's receivables summary and its due slots (`receivables_summary`),
two small queries at any size; a filtered report counts and sums its own rows.

Ages are counted in calendar days of the business's time zone: a sale completed at 23:30
in Casablanca belongs to that local day even though it is the next day in UTC. A sale is
0-30 days old from the day it was completed to 30 days later, then 31-60, 61-90, and over
90 from its 91st day.
"""

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache

from django.db.models import (
    Count,
    DecimalField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from customers.models import Customer
from pos_project.models import Business
from pos_project.money import MAX_DIGITS, ZERO, quantize
from receivables.models import (
    DUE_SLOT_MINUTES,
    CustomerPayment,
    ReceivablesDueSlot,
    ReceivablesSummary,
)
from receivables.summary import slot_start
from sales.models import Sale, SaleStatus

MONEY = DecimalField(max_digits=MAX_DIGITS, decimal_places=2)

# Bucket name -> (oldest age in days, newest age in days); None is open-ended.
BUCKETS = {
    "owed_0_30": (30, None),
    "owed_31_60": (60, 31),
    "owed_61_90": (90, 61),
    "owed_over_90": (None, 91),
}
BUCKET_LABELS = {
    "owed_0_30": _("0-30 days"),
    "owed_31_60": _("31-60 days"),
    "owed_61_90": _("61-90 days"),
    "owed_over_90": _("Over 90 days"),
}


def local_day_start(today: date, zone: zoneinfo.ZoneInfo, days_ago: int) -> datetime:
    """The first instant of the local day `days_ago` days before `today` in `zone`."""
    return datetime.combine(today - timedelta(days=days_ago), time.min, tzinfo=zone)


@dataclass(frozen=True)
class ReportClock:
    """ "Today" in the business's time zone, and where each local day starts."""

    business: Business
    now: datetime

    @property
    def today(self) -> date:
        return timezone.localdate(self.now, self.business.zone)

    def day_start(self, days_ago: int) -> datetime:
        """The first instant of the local day `days_ago` days before today."""
        return local_day_start(self.today, self.business.zone, days_ago)

    def days_since(self, moment: datetime | None) -> int | None:
        if moment is None:
            return None
        return (self.today - timezone.localdate(moment, self.business.zone)).days


def report_clock(*, business: Business, now: datetime | None = None) -> ReportClock:
    return ReportClock(business=business, now=now or timezone.now())


def unpaid_sales_of_outer_customer():
    """The outer customer's completed sales with money still due on them."""
    return Sale.objects.filter(
        customer=OuterRef("pk"), status=SaleStatus.COMPLETED, amount_due__gt=0
    ).order_by()


def _bucket_condition(
    clock: ReportClock, oldest: int | None, newest: int | None, *, field: str = "completed_at"
) -> Q:
    # Younger than `oldest + 1` days: completed on or after the start of that local day.
    condition = Q()
    if oldest is not None:
        condition &= Q(**{f"{field}__gte": clock.day_start(oldest)})
    if newest is not None:
        condition &= Q(**{f"{field}__lt": clock.day_start(newest - 1)})
    return condition


class _KeptSubquery(Subquery):
    """A subquery of the kept day's report, compiled once per database.

    Every request copies the kept report, and copying its query leaves its expressions
    shared; compiling the six correlated subqueries again for every page was the largest
    part of the page's Python after the rows themselves. Their SQL depends on nothing a
    copy narrows, orders or slices: the outer table they refer to was fixed when the report
    was built. Django copies an expression before it changes one (to rename the outer
    table when the report is nested in another query, say), and a copy compiles afresh.
    """

    def __init__(self, queryset, output_field=None, **extra):
        super().__init__(queryset, output_field=output_field, **extra)
        self._compiled = {}

    def copy(self):
        clone = super().copy()
        clone._compiled = {}
        return clone

    def as_sql(self, compiler, connection, template=None, **extra_context):
        if template is not None or extra_context:
            return super().as_sql(compiler, connection, template, **extra_context)
        if connection.alias not in self._compiled:
            self._compiled[connection.alias] = super().as_sql(compiler, connection)
        return self._compiled[connection.alias]


def _due_in(due_by_customer: QuerySet, condition: Q):
    due = due_by_customer.filter(condition)
    return Coalesce(_KeptSubquery(due, output_field=MONEY), Value(ZERO), output_field=MONEY)


def debtors_report(*, business: Business, clock: ReportClock | None = None) -> QuerySet[Customer]:
    """Every customer of `business` with a non-zero balance, with ageing and last payment.

    Annotations: `amount_owed` (the balance; negative is credit held), one `owed_*` sum per
    bucket, `oldest_due_date` (completion of the oldest sale still due) and
    `last_payment_date`. Largest debt first.

    The figures are correlated subqueries rather than a join and GROUP BY: sorted by the
    balance column, PostgreSQL reads the first page from the balance index and computes
    them for those rows only, instead of aggregating every debtor's sales first.
    """
    clock = clock or report_clock(business=business)
    # A fresh copy of the day's report: the copy is cheap, the building is not, and callers
    # narrow and read the copy, never the kept one (as DRF copies a view's class-level
    # queryset for each request, across threads).
    return _debtors_report_of_day(business.pk, business.time_zone, clock.today).all()


# Building the report's six subqueries was a fifth of a Debtors page's CPU; they change with
# the business and its local day only (the buckets' bounds are local midnights), so each
# process keeps the last few days' reports of its businesses.
@lru_cache(maxsize=256)
def _debtors_report_of_day(business_id, time_zone: str, today: date) -> QuerySet[Customer]:
    clock = _DayClock(zone=zoneinfo.ZoneInfo(time_zone), today=today)
    last_payment = (
        CustomerPayment.objects.filter(customer=OuterRef("pk"))
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    unpaid = unpaid_sales_of_outer_customer()
    oldest_due = unpaid.order_by("completed_at").values("completed_at")[:1]
    # Built once and narrowed per bucket.
    due_by_customer = unpaid.values("customer_id").annotate(total=Sum("amount_due")).values("total")
    buckets = {
        name: _due_in(due_by_customer, _bucket_condition(clock, oldest, newest))
        for name, (oldest, newest) in BUCKETS.items()
    }
    return (
        Customer.objects.filter(business_id=business_id)
        # Two ranges rather than "<> 0", so the (business, -outstanding_balance) index
        # finds the few customers with a balance among the many without.
        .filter(Q(outstanding_balance__gt=0) | Q(outstanding_balance__lt=0))
        .annotate(
            amount_owed=F("outstanding_balance"),
            last_payment_date=_KeptSubquery(last_payment),
            oldest_due_date=_KeptSubquery(oldest_due),
            **buckets,
        )
        .order_by("-amount_owed", "name", "id")
    )


@dataclass(frozen=True)
class _DayClock:
    """What the buckets' bounds need of a `ReportClock`: the local day and its zone."""

    zone: zoneinfo.ZoneInfo
    today: date

    def day_start(self, days_ago: int) -> datetime:
        return local_day_start(self.today, self.zone, days_ago)


def debtors_overdue(queryset: QuerySet[Customer], *, clock: ReportClock, days: int):
    """Customers with money due on a sale older than `days` days."""
    return queryset.filter(oldest_due_date__lt=clock.day_start(days))


def debtors_in_bucket(queryset: QuerySet[Customer], *, bucket: str):
    """Customers with money due in `bucket` (one of BUCKETS)."""
    return queryset.filter(**{f"{bucket}__gt": 0})


@dataclass(frozen=True)
class ReceivablesPosition:
    """The three figures every page, export and endpoint names the same way.

    - `owed`: what customers who owe money owe the shop (the sum of positive balances; it
      is also everything still due on sales, so it is the sum of the age columns);
    - `credit_held`: what the shop holds for customers in credit (negative balances, as a
      positive amount);
    - `net`: owed less credit held, the sum of every balance.
    """

    owed: Decimal
    credit_held: Decimal

    @property
    def net(self) -> Decimal:
        return quantize(self.owed - self.credit_held)


POSITION_WORDS = {
    "owed": _("Owed to the shop"),
    "credit_held": _("Credit held for customers"),
    "net": _("Net receivables"),
}
POSITION_HINTS = {
    "owed": _("By customers who owe money"),
    "credit_held": _("Paid in advance or overpaid"),
    "net": _("Owed less credit held"),
}


def receivables_position(*, business: Business) -> ReceivablesPosition:
    """The business's owed / credit held / net, from its kept summary: one query at any size.

    A customer in credit has nothing due on sales (free credit settles them), so what is
    due on sales is exactly what customers who owe money owe; the kept balance sum is net.
    """
    return _position_of(_summary(business))


def receivables_position_and_average_sale(
    *, business: Business
) -> tuple[ReceivablesPosition, Decimal]:
    """The position and the customers' average sale (their purchases over their sales,
    0.00 before the first), both from the kept summary: one query at any size."""
    summary = _summary(business)
    sales = summary.sales_count
    average = quantize(summary.purchases / sales) if sales else ZERO
    return _position_of(summary), average


def recent_buyers(*, business: Business, days: int, now: datetime | None = None) -> int:
    """The customers of `business` whose last purchase is within the last `days` days: one
    query, whatever the number of customers or of recent buyers.

    The slots that start after the window's start count their buyers (`buyers`, kept as
    each customer's last purchase date moves); the slot the window starts in is only partly
    inside it, so its customers are counted by their `last_purchase_date` instead, through
    the `customer_last_purchase` index: at most 15 minutes of buyers.
    """
    since = (now or timezone.now()) - timedelta(days=days)
    whole_slots = slot_start(since) + timedelta(minutes=DUE_SLOT_MINUTES)
    partly = (
        Customer.objects.filter(
            business=business, last_purchase_date__gte=since, last_purchase_date__lt=whole_slots
        )
        .order_by()
        .values("business_id")
        .annotate(buyers=Count("id"))
        .values("buyers")
    )
    return ReceivablesDueSlot.objects.filter(
        business=business, starts_at__gte=whole_slots
    ).aggregate(
        buyers=Coalesce(Sum("buyers"), 0) + Coalesce(Subquery(partly), 0),
    )["buyers"]


def _summary(business: Business) -> ReceivablesSummary:
    summary = ReceivablesSummary.objects.filter(business=business).first()
    return summary or ReceivablesSummary(business=business)


def _position_of(summary: ReceivablesSummary) -> ReceivablesPosition:
    owed = quantize(summary.amount_due)
    return ReceivablesPosition(owed=owed, credit_held=quantize(owed - summary.amount_owed))


def position_figures(position: ReceivablesPosition) -> dict:
    """The position as the totals' `owed`, `credit_held` and `amount_owed` (net) keys."""
    return {
        "owed": position.owed,
        "credit_held": position.credit_held,
        "amount_owed": position.net,
    }


def debtors_totals(
    queryset: QuerySet[Customer], *, clock: ReportClock, unfiltered: bool = False
) -> dict:
    """The number of customers in `queryset` and the sums of every money column over them.

    `amount_owed` is the sum of the balances (net), `owed` the sum of the positive ones and
    `credit_held` the negative ones as a positive amount (see `ReceivablesPosition`).

    `unfiltered` (the queryset is every debtor of the business): read from the business's
    receivables summary and due slots, two queries whatever the size. Otherwise two queries
    over the selected customers and their unpaid sales.
    """
    if unfiltered:
        return _kept_totals(clock)
    figures = queryset.order_by().aggregate(
        customers=Count("id"),
        owed=Sum("outstanding_balance", filter=Q(outstanding_balance__gt=0)),
        held=Sum("outstanding_balance", filter=Q(outstanding_balance__lt=0)),
    )
    unpaid = Sale.objects.filter(
        business=clock.business,
        status=SaleStatus.COMPLETED,
        amount_due__gt=0,
        customer__in=queryset.order_by().values("pk"),
    )
    sales = unpaid.aggregate(
        **{
            name: Sum("amount_due", filter=_bucket_condition(clock, oldest, newest))
            for name, (oldest, newest) in BUCKETS.items()
        }
    )
    # Quantized: SQLite adds decimals as floats.
    position = ReceivablesPosition(
        owed=quantize(figures["owed"] or ZERO), credit_held=quantize(-(figures["held"] or ZERO))
    )
    totals = {"customers": figures["customers"], **position_figures(position)}
    totals.update({name: quantize(sales[name] or ZERO) for name in BUCKETS})
    return totals


def _kept_totals(clock: ReportClock) -> dict:
    """`debtors_totals` of every debtor, from the summary and the last 91 days of slots.

    A local midnight is always a slot boundary (see `ReceivablesDueSlot`), so each bucket
    younger than 91 days is an exact sum of whole slots; the over-90 bucket is the rest of
    what is due.
    """
    summary = _summary(clock.business)
    position = _position_of(summary)
    business = clock.business
    # One row, or none when no sale of the last 91 days is still due.
    sums = next(iter(_recent_due_of_day(business.pk, business.time_zone, clock.today).all()), {})
    recent_due = {name: quantize(sums.get(name) or ZERO) for name in RECENT_BUCKETS}
    older_due = quantize(position.owed - sum(recent_due.values(), ZERO))
    return {
        "customers": summary.debtors,
        **position_figures(position),
        **{name: recent_due.get(name, older_due) for name in BUCKETS},
    }


# The buckets with an oldest day: sums of the slots since then.
RECENT_BUCKETS = {name: bounds for name, bounds in BUCKETS.items() if bounds[0] is not None}


# Built once per business and local day, as the report is (its bounds are local midnights):
# building and aggregating the sums per request was half the totals' CPU. Grouped by the
# business rather than aggregated, so the kept statement is a queryset each caller copies.
@lru_cache(maxsize=256)
def _recent_due_of_day(business_id, time_zone: str, today: date) -> QuerySet[ReceivablesDueSlot]:
    clock = _DayClock(zone=zoneinfo.ZoneInfo(time_zone), today=today)
    since = clock.day_start(max(oldest for oldest, _newest in RECENT_BUCKETS.values()))
    return (
        ReceivablesDueSlot.objects.filter(business_id=business_id, starts_at__gte=since)
        .order_by()
        .values("business_id")
        .annotate(
            **{
                name: Sum("amount_due", filter=_bucket_condition(clock, *bounds, field="starts_at"))
                for name, bounds in RECENT_BUCKETS.items()
            }
        )
    )
