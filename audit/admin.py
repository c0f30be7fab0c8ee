from django.contrib import admin

from audit.models import AuditLog


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    """A window onto the trail: nobody, not even a superuser, may add, change or delete."""

    list_display = ["timestamp", "event_type", "user_name", "sale_ref", "customer_ref", "business"]
    list_filter = ["event_type", ("user", admin.RelatedOnlyFieldListFilter), "business"]
    search_fields = ["description"]
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

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="sale")
    def sale_ref(self, obj):
        return _reference(obj.sale, obj.sale_id)

    @admin.display(description="customer")
    def customer_ref(self, obj):
        return _reference(obj.customer, obj.customer_id)


def _reference(related, related_id) -> str:
    if related_id is None:
        return "-"
    if related is None:
        return f"{related_id} (deleted)"
    return str(related)
