"""Reads over a business's customers: the POS search and the dashboard figures."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from customers.counts import customer_counts_read
from customers.models import Customer
from customers.search import customer_search_q
from pos_project.models import Business


def customer_search(*, queryset: QuerySet[Customer], query: str, region: str) -> QuerySet[Customer]:
    """`queryset` narrowed to customers whose name or phone matches `query`.

    An empty query (or one that folds to nothing) leaves the queryset as it is.
    """
    condition = customer_search_q(query, region=region)
    return queryset if condition is None else queryset.filter(condition)


def customer_list(
    *, business: Business, query: str = "", include_inactive: bool = False
) -> QuerySet[Customer]:
    """What the POS customer picker shows: active customers matching `query`, by name."""
    queryset = Customer.objects.filter(business=business)
    if not include_inactive:
        queryset = queryset.filter(is_active=True)
    return customer_search(queryset=queryset, query=query, region=business.default_region)


@dataclass(frozen=True)
class CustomerStats:
    """The customer dashboard's customer figures (seed 000), over every customer of the
    business; what they owe and their average sale are the receivables' figures."""

    total_customers: int
    inactive_customers: int
    active_customers: int
    days: int


def customer_stats(*, business: Business, days: int) -> CustomerStats:
    """Two queries whose cost does not grow with the customers who have not bought lately.

    - `total_customers`: customers not deactivated; `inactive_customers`: the others; both
      from the business's kept counts (`customers.counts`), one row.
    - `active_customers`: customers (of either kind) who bought in the last `days` days,
      counted through the `customer_last_purchase` index on `(business, -last_purchase_date)`
      (an index-only range scan on PostgreSQL): its cost grows with those buyers only.
    """
    counts = customer_counts_read(business=business)
    since = timezone.now() - timedelta(days=days)
    return CustomerStats(
        total_customers=counts.active,
        inactive_customers=counts.deactivated,
        active_customers=Customer.objects.filter(
            business=business, last_purchase_date__gte=since
        ).count(),
        days=days,
    )
