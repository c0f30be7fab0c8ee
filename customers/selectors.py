"""Reads over a business's customers: the POS search and the dashboard figures."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from customers.models import Customer
from customers.search import customer_search_q
from pos_project.models import Business
from pos_project.money import ZERO, quantize


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
    """The customer dashboard (seed 000), over every customer of the business."""

    total_customers: int
    inactive_customers: int
    active_customers: int
    days: int
    average_purchase_value: Decimal


def customer_stats(*, business: Business, days: int) -> CustomerStats:
    """One aggregate query, whatever the number of customers. What customers owe and the
    credit held for them are the receivables' own figures (`receivables_position`).

    - `total_customers`: customers not deactivated; `inactive_customers`: the others.
    - `active_customers`: customers (of either kind) who bought in the last `days` days.
    - `average_purchase_value`: all purchases over all sales; 0.00 before the first sale.
    """
    since = timezone.now() - timedelta(days=days)
    figures = Customer.objects.filter(business=business).aggregate(
        total=Count("id", filter=Q(is_active=True)),
        inactive=Count("id", filter=Q(is_active=False)),
        active=Count("id", filter=Q(last_purchase_date__gte=since)),
        purchases=Sum("total_purchases"),
        sales=Sum("sales_count"),
    )
    purchases = figures["purchases"] or ZERO
    sales = figures["sales"] or 0
    return CustomerStats(
        total_customers=figures["total"],
        inactive_customers=figures["inactive"],
        active_customers=figures["active"],
        days=days,
        average_purchase_value=quantize(purchases / sales) if sales else ZERO,
    )
