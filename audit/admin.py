import uuid
from decimal import Decimal

from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from audit.descriptions import description_html
from audit.events import AuditEvent
from audit.models import AuditLog
from pos_project.actors import display_name
from pos_project.admin_scoping import BusinessScopedAdmin
from pos_project.money import format_money


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
    title = _("sale")
    parameter_name = "sale"


class CustomerFilter(ReferenceFilter):
    title = _("customer")
    parameter_name = "customer"


def event_label(event_type: str) -> str:
    """What the event is called on the back office's pages: its label in the vocabulary."""
    return AuditEvent(event_type).label


def _event_amount(entry: AuditLog):
    """The money the event moved, where there is one: a payment, a credit, a sale."""
    data = entry.event_data or {}
    for key in ("amount", "total_amount"):
        if data.get(key) not in (None, ""):
            return Decimal(str(data[key]))
    return None


def _price(value, symbol: str) -> str:
    if value in (None, ""):
        return gettext("not set")
    return format_money(Decimal(str(value)), symbol)


PRICE_CHANGES = {
    "prix_br": _("price from %(old)s to %(new)s"),
    "wholesale_price": _("wholesale price from %(old)s to %(new)s"),
}


def readable_description(entry: AuditLog) -> str:
    """The entry's description in the reader's language (audit.descriptions); a price
    change is said again from its data, with the currency and without "None", so entries
    written before that wording read as well."""
    data = entry.event_data or {}
    if entry.event_type == "medicine.price_changed" and "old" in data and "new" in data:
        symbol = entry.business.currency_symbol
        said = [
            words
            % {
                "old": _price(data["old"].get(field), symbol),
                "new": _price(data["new"].get(field), symbol),
            }
            for field, words in PRICE_CHANGES.items()
            if data["old"].get(field) != data["new"].get(field)
        ]
        return format_html(
            "<bdi>{}</bdi>: {}",
            data.get("name") or gettext("Medicine"),
            gettext(" and ").join(said),
        )
    return description_html(entry)


class PersonFilter(admin.RelatedOnlyFieldListFilter):
    """Who did it, by the name the shop knows them by rather than their log-in name."""

    def field_choices(self, field, request, model_admin):
        choices = super().field_choices(field, request, model_admin)
        users = field.related_model._default_manager.filter(pk__in=[pk for pk, _ in choices])
        names = {user.pk: display_name(user) for user in users}
        return [(pk, names.get(pk, label)) for pk, label in choices]


class EventTypeFilter(admin.SimpleListFilter):
    """`?event_type=`: the events of one kind, listed by their labels."""

    title = _("event")
    parameter_name = "event_type"

    def lookups(self, request, model_admin):
        types = (
            model_admin.get_queryset(request)
            .order_by()
            .values_list("event_type", flat=True)
            .distinct()
        )
        return sorted(((code, event_label(code)) for code in types), key=lambda pair: pair[1])

    def queryset(self, request, queryset):
        return queryset if self.value() is None else queryset.filter(event_type=self.value())


@admin.register(AuditLog)
class AuditLogAdmin(BusinessScopedAdmin):
    """A window onto the trail: nobody, not even a superuser, may add, change or delete.

    Managers and owners read their own business's trail (DESIGN section 3); superusers
    every business's.
    """

    class Media:
        # Amounts aligned and columns ranked for a phone, as on the other lists.
        css = {"all": ["customers/admin/back_office.css"]}

    list_display = [
        "when",
        "event",
        "amount",
        "subject",
        "what_happened",
        "who",
        "business",
    ]
    list_filter = [
        EventTypeFilter,
        ("user", PersonFilter),
        SaleFilter,
        CustomerFilter,
        "business",
    ]
    search_fields = ["description", "sale__receipt_number", "customer__name", "user_name"]
    search_help_text = _(
        "Description (with a payment's reference and note), receipt number, customer name or "
        "who did it."
    )
    date_hierarchy = "timestamp"
    # Deleted sales and customers keep their ids in the trail; a LEFT JOIN shows them as gone
    # instead of failing on the missing row.
    list_select_related = ["business", "sale", "customer"]
    fields = [
        "id",
        "business",
        "sequence",
        "event",
        "event_type",
        "when",
        "amount",
        "user_name",
        "user_id",
        "sale_ref",
        "customer_ref",
        "event_data",
        "what_happened",
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

    @admin.display(description=_("when"), ordering="timestamp")
    def when(self, obj):
        # In the shop's own time zone, as on its receipts and customer statements.
        return date_format(timezone.localtime(obj.timestamp, obj.business.zone), "DATETIME_FORMAT")

    @admin.display(description=_("event"), ordering="event_type")
    def event(self, obj):
        return format_html(
            '<span title="{}">{}</span>', obj.event_type, event_label(obj.event_type)
        )

    @admin.display(description=_("amount"))
    def amount(self, obj):
        value = _event_amount(obj)
        return "-" if value is None else format_money(value, obj.business.currency_symbol)

    @admin.display(description=_("about"))
    def subject(self, obj):
        """The sale, the customer, or the medicine the event concerns."""
        if obj.sale_id or obj.customer_id:
            parts = [
                _linked(obj.sale, obj.sale_id, "admin:sales_sale_change", "sale")
                if obj.sale_id
                else "",
                _linked(
                    obj.customer, obj.customer_id, "admin:customers_customer_change", "customer"
                )
                if obj.customer_id
                else "",
            ]
            return format_html_join(mark_safe("<br>"), "{}", ((part,) for part in parts if part))
        name = (obj.event_data or {}).get("name")
        return name or "-"

    @admin.display(description=_("by"), ordering="user_name")
    def who(self, obj):
        return format_html("<bdi>{}</bdi>", obj.user_name)

    @admin.display(description=_("what happened"))
    def what_happened(self, obj):
        return readable_description(obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        entry = self.get_queryset(request).filter(pk=object_id).first()
        if entry is not None:
            extra_context = {
                **(extra_context or {}),
                "title": gettext("%(event)s, %(when)s")
                % {"event": event_label(entry.event_type), "when": self.when(entry)},
                "subtitle": None,
            }
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description=_("sale"))
    def sale_ref(self, obj):
        return _linked(obj.sale, obj.sale_id, "admin:sales_sale_change", "sale")

    @admin.display(description=_("customer"))
    def customer_ref(self, obj):
        return _linked(obj.customer, obj.customer_id, "admin:customers_customer_change", "customer")


def _linked(related, related_id, url_name: str, parameter: str):
    """The sale or customer, linked to its admin page and to its other events."""
    if related is None:
        return _reference(related, related_id)
    return format_html(
        '<a href="{}"><bdi>{}</bdi></a><br><small><a href="{}?{}={}" title="{}">{}</a></small>',
        reverse(url_name, args=[related_id]),
        related,
        reverse("admin:audit_auditlog_changelist"),
        parameter,
        related_id,
        EVERY_EVENT_OF[parameter],
        gettext("all events"),
    )


EVERY_EVENT_OF = {
    "sale": _("Every event of this sale"),
    "customer": _("Every event of this customer"),
}


def _reference(related, related_id) -> str:
    if related_id is None:
        return "-"
    if related is None:
        return gettext("%(id)s (deleted)") % {"id": related_id}
    return str(related)
