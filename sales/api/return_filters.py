"""Filters for the list of returns."""

import django_filters

from pos_project.filters import StrictFilterSet, UtcIsoDateTimeFromToRangeFilter
from sales.models import Return


class ReturnFilter(StrictFilterSet):
    """Plain ids, compared within the caller's own returns only (the viewset scopes first)."""

    sale = django_filters.UUIDFilter(field_name="sale_id", label="Sale (id)")
    customer = django_filters.UUIDFilter(field_name="sale__customer_id", label="Customer (id)")
    created = UtcIsoDateTimeFromToRangeFilter(
        field_name="created_at", label="Taken between (created_after / created_before)"
    )
    number = django_filters.CharFilter(
        field_name="number", lookup_expr="iexact", label="Return number, e.g. R-000123"
    )

    class Meta:
        model = Return
        fields = ["sale", "customer", "created", "number"]
