import django_filters

from audit.models import AuditLog
from pos_project.filters import StrictFilterSet, UserIdFilter, UtcIsoDateTimeFilter


class AuditLogFilter(StrictFilterSet):
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
    user = UserIdFilter(field_name="user_id", label="Entries by this user (id).")
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
