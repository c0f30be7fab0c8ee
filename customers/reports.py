"""The Debtors report: who owes what, since when, and how old their unpaid sales are.

A page of rows, its count and the totals take four queries whatever the number of
customers or sales: the ageing buckets are sums over each customer's unpaid sales, and
the last payment a lookup served by the payments' (customer, -created_at) index.

Ages are counted in calendar days of the business's time zone: a sale completed at 23:30
in Casablanca belongs to that local day even though it is the next day in UTC. A sale is
0-30 days old from the day it was completed to 30 days later, then 31-60, 61-90, and over
90 from its 91st day.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import (
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

from customers.models import Customer, CustomerPayment
from pos_project.models import Business
from pos_project.money import MAX_DIGITS, ZERO, quantize
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
    "owed_0_30": "0-30 days",
    "owed_31_60": "31-60 days",
    "owed_61_90": "61-90 days",
    "owed_over_90": "Over 90 days",
}


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
        return datetime.combine(
            self.today - timedelta(days=days_ago), time.min, tzinfo=self.business.zone
        )

    def days_since(self, moment: datetime | None) -> int | None:
        if moment is None:
            return None
        return (self.today - timezone.localdate(moment, self.business.zone)).days


def report_clock(*, business: Business, now: datetime | None = None) -> ReportClock:
    return ReportClock(business=business, now=now or timezone.now())


def _unpaid_sales():
    """The outer customer's completed sales with money still due on them."""
    return Sale.objects.filter(
        customer=OuterRef("pk"), status=SaleStatus.COMPLETED, amount_due__gt=0
    ).order_by()


def _bucket_condition(clock: ReportClock, oldest: int | None, newest: int | None) -> Q:
    # Younger than `oldest + 1` days: completed on or after the start of that local day.
    condition = Q()
    if oldest is not None:
        condition &= Q(completed_at__gte=clock.day_start(oldest))
    if newest is not None:
        condition &= Q(completed_at__lt=clock.day_start(newest - 1))
    return condition


def _due_in(condition: Q):
    due = (
        _unpaid_sales()
        .filter(condition)
        .values("customer_id")
        .annotate(total=Sum("amount_due"))
        .values("total")
    )
    return Coalesce(Subquery(due, output_field=MONEY), Value(ZERO), output_field=MONEY)


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
    last_payment = (
        CustomerPayment.objects.filter(customer=OuterRef("pk"))
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    oldest_due = _unpaid_sales().order_by("completed_at").values("completed_at")[:1]
    buckets = {
        name: _due_in(_bucket_condition(clock, oldest, newest))
        for name, (oldest, newest) in BUCKETS.items()
    }
    return (
        Customer.objects.filter(business=business)
        # Two ranges rather than "<> 0", so the (business, -outstanding_balance) index
        # finds the few customers with a balance among the many without.
        .filter(Q(outstanding_balance__gt=0) | Q(outstanding_balance__lt=0))
        .annotate(
            amount_owed=F("outstanding_balance"),
            last_payment_date=Subquery(last_payment),
            oldest_due_date=Subquery(oldest_due),
            **buckets,
        )
        .order_by("-amount_owed", "name", "id")
    )


def debtors_overdue(queryset: QuerySet[Customer], *, clock: ReportClock, days: int):
    """Customers with money due on a sale older than `days` days."""
    return queryset.filter(oldest_due_date__lt=clock.day_start(days))


def debtors_in_bucket(queryset: QuerySet[Customer], *, bucket: str):
    """Customers with money due in `bucket` (one of BUCKETS)."""
    return queryset.filter(**{f"{bucket}__gt": 0})


def debtors_totals(
    queryset: QuerySet[Customer], *, clock: ReportClock, unfiltered: bool = False
) -> dict:
    """The sums of every money column of the report over `queryset`, in two queries.

    The buckets are summed straight over the unpaid sales rather than per customer. When
    the report is `unfiltered` (every debtor of the business), they are simply the
    business's unpaid sales: only a customer who owes money has a sale with money due on
    it (`check_ledgers` proves it), so no join with the customers is needed.
    """
    owed = queryset.order_by().aggregate(total=Sum("outstanding_balance"))["total"]
    unpaid = Sale.objects.filter(
        business=clock.business, status=SaleStatus.COMPLETED, amount_due__gt=0
    )
    if not unfiltered:
        unpaid = unpaid.filter(customer__in=queryset.order_by().values("pk"))
    sales = unpaid.aggregate(
        **{
            name: Sum("amount_due", filter=_bucket_condition(clock, oldest, newest))
            for name, (oldest, newest) in BUCKETS.items()
        }
    )
    # Quantized: SQLite adds decimals as floats.
    totals = {"amount_owed": quantize(owed or ZERO)}
    totals.update({name: quantize(sales[name] or ZERO) for name in BUCKETS})
    return totals
