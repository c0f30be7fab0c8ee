import uuid

from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from audit.models import AuditLog
from pos_project.admin_scoping import BusinessScopedAdmin


class ReferenceFilter(admin.SimpleListFilter):
    """`?sale=<id>` or `?customer=<id>`: the events of one sale or customer.

    Reached from the sale's or the customer's page (and each row's "all events" link);
    listing every sale or customer as a choice would not fit a shop's history.
    """

    def lookups(self, request, model_admin):
        chosen = self._chosen_id()
        if chosen is None:
            return []
        related = (
            model_admin.get_queryset(request)
            .filter(**{f"{self.parameter_name}_id": chosen})
            .select_related(self.parameter_name)
            .first()
        )
        label = _reference(getattr(related, self.parameter_name, None), chosen)
        return [(str(chosen), label)]

    def _chosen_id(self):
        try:
            return uuid.UUID(str(self.value())) if self.value() else None
        except ValueError:
            return None

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        chosen = self._chosen_id()
        # An id that is not a UUID matches nothing, instead of failing in the database.
        if chosen is None:
            return queryset.none()
        return queryset.filter(**{f"{self.parameter_name}_id": chosen})


class SaleFilter(ReferenceFilter):
    title = "sale"
    parameter_name = "sale"


class CustomerFilter(ReferenceFilter):
    title = "customer"
    parameter_name = "customer"


@admin.register(AuditLog)
class AuditLogAdmin(BusinessScopedAdmin):
    """A window onto the trail: nobody, not even a superuser, may add, change or delete.

    Managers and owners read their own business's trail (DESIGN section 3); superusers
    every business's.
    """

    list_display = ["when", "event_type", "user_name", "sale_ref", "customer_ref", "business"]
    list_filter = [
        "event_type",
        ("user", admin.RelatedOnlyFieldListFilter),
        SaleFilter,
        CustomerFilter,
        "business",
    ]
    search_fields = ["description", "sale__receipt_number", "customer__name", "user_name"]
    search_help_text = "Description, receipt number, customer name or who did it."
    date_hierarchy = "timestamp"
    # Deleted sales and customers keep their ids in the trail; a LEFT JOIN shows them as gone
    # instead of failing on the missing row.
    list_select_related = ["business", "sale", "customer"]
    fields = [
        "id",
        "business",
        "sequence",
        "event_type",
        "timestamp",
        "user_name",
        "user_id",
        "sale_ref",
        "customer_ref",
        "event_data",
        "description",
        "ip_address",
        "previous_hash",
        "entry_hash",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("business", "sale", "customer")

    def get_list_display(self, request):
        columns = super().get_list_display(request)
        if request.user.is_superuser:
            return columns
        return [column for column in columns if column != "business"]

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        if request.user.is_superuser:
            return filters
        return [item for item in filters if item != "business"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="when", ordering="timestamp")
    def when(self, obj):
        # In the shop's own time zone, as on its receipts and customer statements.
        return date_format(timezone.localtime(obj.timestamp, obj.business.zone), "DATETIME_FORMAT")

    @admin.display(description="sale")
    def sale_ref(self, obj):
        return _linked(obj.sale, obj.sale_id, "admin:sales_sale_change", "sale")

    @admin.display(description="customer")
    def customer_ref(self, obj):
        return _linked(obj.customer, obj.customer_id, "admin:customers_customer_change", "customer")


def _linked(related, related_id, url_name: str, parameter: str):
    """The sale or customer, linked to its admin page and to its other events."""
    if related is None:
        return _reference(related, related_id)
    return format_html(
        '<a href="{}">{}</a><br><small><a href="{}?{}={}" title="{}">all events</a></small>',
        reverse(url_name, args=[related_id]),
        related,
        reverse("admin:audit_auditlog_changelist"),
        parameter,
        related_id,
        f"Every event of this {parameter}",
    )


def _reference(related, related_id) -> str:
    if related_id is None:
        return "-"
    if related is None:
        return f"{related_id} (deleted)"
    return str(related)
