"""Filters and ordering for the sales list."""

import django_filters
from django.db.models import Q

from pos_project.filters import (
    StrictFilterSet,
    StrictOrderingFilter,
    UserIdFilter,
    UtcIsoDateTimeFromToRangeFilter,
)
from sales.models import Sale, SaleStatus, SaleType, TillSession, TillSessionStatus


class SaleFilter(StrictFilterSet):
    """Every filter compares with the caller's own sales only: the viewset scopes first.

    `customer` and `storefront` take plain ids, so another business's id matches nothing,
    exactly like an id that does not exist.
    """

    status = django_filters.ChoiceFilter(choices=SaleStatus.choices, label="Status")
    type = django_filters.ChoiceFilter(choices=SaleType.choices, label="Retail or wholesale")
    customer = django_filters.UUIDFilter(field_name="customer_id", label="Customer (id)")
    walk_in = django_filters.BooleanFilter(
        field_name="customer", lookup_expr="isnull", label="Only walk-in sales (no customer)"
    )
    storefront = django_filters.UUIDFilter(field_name="storefront_id", label="Storefront (id)")
    till_session = django_filters.UUIDFilter(
        field_name="till_session_id", label="Completed in this till session (id)"
    )
    created = UtcIsoDateTimeFromToRangeFilter(
        field_name="created_at", label="Opened between (created_after / created_before)"
    )
    completed = UtcIsoDateTimeFromToRangeFilter(
        field_name="completed_at", label="Completed between (completed_after / completed_before)"
    )
    receipt_number = django_filters.CharFilter(
        field_name="receipt_number", lookup_expr="iexact", label="Receipt number, e.g. S-000123"
    )
    search = django_filters.CharFilter(
        method="filter_search", label="Receipt number or customer name (contains, any case)"
    )

    class Meta:
        model = Sale
        fields = [
            "status",
            "type",
            "customer",
            "walk_in",
            "storefront",
            "till_session",
            "created",
            "completed",
            "receipt_number",
            "search",
        ]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(receipt_number__icontains=value) | Q(customer__name__icontains=value)
        )


class SaleOrderingFilter(StrictOrderingFilter):
    """`?ordering=` over a whitelist; the id breaks ties so pages never repeat or skip."""

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        if ordering and not any(field.lstrip("-") == "id" for field in ordering):
            ordering = [*ordering, "-id"]
        return ordering


class TillSessionFilter(StrictFilterSet):
    """Filters on the caller's sessions (a cashier's own, or the business's for managers)."""

    status = django_filters.ChoiceFilter(choices=TillSessionStatus.choices, label="Status")
    till = django_filters.UUIDFilter(field_name="till_id", label="Till (id)")
    opened_by = UserIdFilter(field_name="opened_by_id", label="Opened by (user id)")
    opened = UtcIsoDateTimeFromToRangeFilter(
        field_name="opened_at", label="Opened between (opened_after / opened_before)"
    )

    class Meta:
        model = TillSession
        fields = ["status", "till", "opened_by", "opened"]
