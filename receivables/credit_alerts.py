"""The back office's credit alerts: customers near their credit limit, and customers owing
on a sale older than OVERDUE_ALERT_DAYS days."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Exists, F, QuerySet

from customers.models import Customer
from pos_project.models import Business
from receivables.reports import ReportClock, report_clock, unpaid_sales_of_outer_customer

# The credit alerts: a customer whose balance reached this share of their credit limit, or
# who has owed money on a sale for longer than this many days, is worth a call.
NEAR_LIMIT_SHARE = Decimal("0.80")
OVERDUE_ALERT_DAYS = 60


def customers_near_their_limit(queryset: QuerySet[Customer]) -> QuerySet[Customer]:
    """Customers owing NEAR_LIMIT_SHARE of their credit limit or more."""
    # The balance range first, so the (business, -outstanding_balance) index finds the few
    # customers who owe anything among the many who do not.
    return queryset.filter(
        outstanding_balance__gt=0,
        credit_limit__gt=0,
        outstanding_balance__gte=F("credit_limit") * NEAR_LIMIT_SHARE,
    )


def customers_overdue(queryset: QuerySet[Customer], *, since: datetime) -> QuerySet[Customer]:
    """Customers with money due on a sale completed before `since`: for a business, the
    start of the local day OVERDUE_ALERT_DAYS days ago (`overdue_since`)."""
    old_unpaid = unpaid_sales_of_outer_customer().filter(completed_at__lt=since)
    return queryset.filter(outstanding_balance__gt=0).filter(Exists(old_unpaid))


def overdue_since(clock: ReportClock) -> datetime:
    return clock.day_start(OVERDUE_ALERT_DAYS)


@dataclass(frozen=True)
class CreditAlerts:
    """The home page's calls to make: the first `rows` of each list, largest debt first,
    and how many there are in all."""

    near_limit: list[Customer]
    near_limit_count: int
    overdue: list[Customer]
    overdue_count: int


def credit_alerts(
    *, business: Business, clock: ReportClock | None = None, rows: int = 5
) -> CreditAlerts:
    clock = clock or report_clock(business=business)
    customers = Customer.objects.filter(business=business, is_active=True).order_by(
        "-outstanding_balance", "name", "id"
    )
    near_limit = customers_near_their_limit(customers)
    overdue = customers_overdue(customers, since=overdue_since(clock))
    return CreditAlerts(
        near_limit=list(near_limit[:rows]),
        near_limit_count=near_limit.count(),
        overdue=list(overdue[:rows]),
        overdue_count=overdue.count(),
    )
