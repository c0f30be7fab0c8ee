"""Reads over a business's customers: the POS search and the dashboard figures."""

from dataclasses import dataclass

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.db.models.expressions import RawSQL

from customers.counts import customer_counts_read
from customers.models import Customer
from customers.search import customer_search_conditions, customer_search_q
from pos_project.models import Business


def customer_search(*, queryset: QuerySet[Customer], query: str, region: str) -> QuerySet[Customer]:
    """`queryset` narrowed to customers whose name or phone matches `query`.

    An empty query (or one that folds to nothing) leaves the queryset as it is.
    """
    condition = customer_search_q(query, region=region)
    return queryset if condition is None else queryset.filter(condition)


SEARCH_RANK = "search_rank"


def customer_search_shortlist(
    *, customers: QuerySet[Customer], query: str, region: str, limit: int
) -> QuerySet[Customer]:
    """At most `limit` + 1 of `customers` (a list's filtered customers) that match `query`,
    each annotated with its `SEARCH_RANK`: 0 for the best matches, 1 for the others.

    The shortlist takes the best matches first (`customer_search_conditions`), then the
    others, each in no order: ranking or counting every match would read each of them,
    thousands for a surname alone at a chain's size, for a till that shows a page. The one
    beyond `limit` says that more match. The customers are then read by primary key, so
    only the shortlist's rows are fetched. A query with nothing to search for leaves
    `customers` as they are.
    """
    conditions = customer_search_conditions(query, region=region)
    if conditions is None:
        return customers
    # Three disjoint parts, each without the `LIKE '%...%'` the best ones also satisfy:
    # given it, the planner may read them through the trigram index, whole, instead of a
    # B-tree range. The two kinds of best match are read apart, so that each is a range
    # scan that stops at the limit; read together, their two index ranges would be read
    # whole into a bitmap first (all 8,000 "Bennani" of a chain's size).
    starts = customers.filter(conditions.starts).order_by().values("pk")
    surname_starts = (
        customers.filter(conditions.surname_starts)
        .exclude(conditions.starts)
        .order_by()
        .values("pk")
    )
    rest = customers.filter(conditions.matches).exclude(conditions.best).order_by().values("pk")
    starts_sql, starts_params = starts.query.sql_with_params()
    surname_sql, surname_params = surname_starts.query.sql_with_params()
    rest_sql, rest_params = rest.query.sql_with_params()
    # The best matches come from B-tree ranges (name, surname and number prefixes) that
    # stop at the limit. The others need the trigram indexes, whose cost is intersecting
    # the posting lists of the query's trigrams, however few rows are wanted: read lazily
    # after the best ones, they are not searched at all when enough names or surnames
    # start with the query. Planned as a whole (MATERIALIZED), they come from the indexes;
    # a plain `LIMIT` would let the planner bet on reading the table in order until enough
    # turn up, a bet lost on every rare name.
    # The best matches come first because PostgreSQL runs a `UNION ALL`'s parts in order
    # (a plain Append: the CTE keeps parallel workers out) and stops at the `LIMIT`; SQL
    # itself promises no order without `ORDER BY`, so tests/customers pin it.
    limited = limit + 1
    shortlist = RawSQL(
        f"WITH elsewhere AS MATERIALIZED ({rest_sql}) "
        f"SELECT * FROM (SELECT * FROM ({starts_sql}) AS starts LIMIT %s) AS starts "
        f"UNION ALL SELECT * FROM (SELECT * FROM ({surname_sql}) AS surnames LIMIT %s) "
        "AS surnames UNION ALL SELECT * FROM elsewhere LIMIT %s",
        (*rest_params, *starts_params, limited, *surname_params, limited, limited),
    )
    rank = Case(When(conditions.best, then=Value(0)), default=Value(1), output_field=IntegerField())
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
