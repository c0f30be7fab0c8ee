import django_filters
from django import forms
from django.db import connection

from audit.models import AuditLog
from pos_project.filters import UtcIsoDateTimeFilter


class IntegerFilter(django_filters.NumberFilter):
    # User ids are integers; a decimal filter would quietly truncate "1.5" to user 1.
    field_class = forms.IntegerField


class AuditLogFilter(django_filters.FilterSet):
    sale = django_filters.UUIDFilter(field_name="sale_id", label="Entries about this sale (id).")
    customer = django_filters.UUIDFilter(
        field_name="customer_id", label="Entries about this customer (id)."
    )
    event_type = django_filters.CharFilter(
        method="filter_event_type",
        max_length=64,
        label=(
            "An exact event type such as `sale.customer_updated`, or a family ending in a dot "
            "such as `sale.` for every sale event."
        ),
    )
    user = IntegerFilter(method="filter_user", label="Entries by this user (id).")
    since = UtcIsoDateTimeFilter(
        field_name="timestamp",
        lookup_expr="gte",
        label="Entries at or after this ISO 8601 date-time.",
    )
    until = UtcIsoDateTimeFilter(
        field_name="timestamp",
        lookup_expr="lte",
        label="Entries at or before this ISO 8601 date-time.",
    )

    class Meta:
        model = AuditLog
        fields = ["sale", "customer", "event_type", "user", "since", "until"]

    def filter_event_type(self, queryset, name, value):
        # No event type ends in a dot, so a trailing dot can only mean a whole family.
        if value.endswith("."):
            return queryset.filter(event_type__startswith=value)
        return queryset.filter(event_type=value)

    def filter_user(self, queryset, name, value: int):
        # The type hint is what documents the parameter as an integer in the schema.
        user_pk = AuditLog._meta.get_field("user").target_field
        low, high = connection.ops.integer_field_range(user_pk.get_internal_type())
        # No user can have an id the column cannot hold; the driver would fail on it instead.
        if (low is not None and value < low) or (high is not None and value > high):
            return queryset.none()
        return queryset.filter(user_id=value)
