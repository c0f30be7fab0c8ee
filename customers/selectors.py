"""Reads over a business's customers: the POS search and the dashboard figures."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from customers.counts import customer_counts_read
from customers.models import Customer
from customers.search import customer_search_q, customer_search_rank
from pos_project.models import Business


def customer_search(*, queryset: QuerySet[Customer], query: str, region: str) -> QuerySet[Customer]:
    """`queryset` narrowed to customers whose name or phone matches `query`.

    An empty query (or one that folds to nothing) leaves the queryset as it is.
    """
    condition = customer_search_q(query, region=region)
    return queryset if condition is None else queryset.filter(condition)


SEARCH_RANK = "search_rank"


def customer_search_shortlist(
    *, matches: QuerySet[Customer], query: str, region: str, limit: int
) -> QuerySet[Customer]:
    """At most `limit` + 1 of `matches` (a search's filtered customers), each annotated with
    its `SEARCH_RANK` (`customers.search.customer_search_rank`).

    The shortlist is the first matches the indexes give, in no order: ranking or counting
    every match would read each of them, thousands for a surname alone at a chain's size,
    for a till that shows a page. The one beyond `limit` says that more match. The
    customers are then read by primary key, so only the shortlist's rows are fetched.
    """
    rank = customer_search_rank(query, region=region)
    if rank is None:
        return matches
    sql, params = matches.order_by().values("pk").query.sql_with_params()
    # A plain `LIMIT` on the matches would let PostgreSQL's planner bet on reading the table
    # in order until enough turn up, a bet lost on every rare name. Planned as a whole
    # (MATERIALIZED), the matches come from the indexes; read lazily, they stop at the limit.
    shortlist = RawSQL(
        f"WITH matches AS MATERIALIZED ({sql}) SELECT * FROM matches LIMIT %s",
        (*params, limit + 1),
    )
    return Customer.objects.filter(pk__in=shortlist).annotate(**{SEARCH_RANK: rank})


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
