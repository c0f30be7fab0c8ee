"""Reads over a business's customers: the POS search and the dashboard figures."""

from dataclasses import dataclass

from django.db.models import QuerySet

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
    """The customer dashboard's counts of customers (seed 000), over every customer of the
    business; its recent buyers, what they owe and their average sale are the receivables'
    figures (`receivables.reports`)."""

    total_customers: int
    inactive_customers: int


def customer_stats(*, business: Business) -> CustomerStats:
    """`total_customers`: customers not deactivated; `inactive_customers`: the others; both
    from the business's kept counts (`customers.counts`), one row."""
    counts = customer_counts_read(business=business)
    return CustomerStats(total_customers=counts.active, inactive_customers=counts.deactivated)
