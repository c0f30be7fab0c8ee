"""Sales in the back office: find a sale, read it, print its receipt.

Sales are rung up at the till through the API; the admin never creates one and never edits
money. A DRAFT's type and notes may be changed (through sales.services, so lines are
re-priced as at the till); a completed or cancelled sale is read-only. Rows and rights
follow pos_project.admin_scoping: managers and owners see their own business, superusers
every business.
"""

import uuid

from django.contrib import admin, messages
from django.http import Http404, HttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

from customers.models import Customer
from customers.search import customer_search_q
from medicine.sold_lots import sold_lots_html, sold_lots_prefetch
from pos_project.actors import display_name
from pos_project.admin_exports import SpreadsheetExportMixin
from pos_project.admin_scoping import BackOfficeRights, BusinessScopedAdmin, admin_business
from pos_project.errors import DomainError
from pos_project.models import Business
from pos_project.money import ZERO, format_money
from sales import (
    admin_tills,  # noqa: F401  (registers the Tills section of the back office)
    services,
)
from sales.admin_recalls import LotRecallViews
from sales.admin_returns import SaleReturnsBackOffice
from sales.admin_views import BACK_OFFICE_CSS, TIME_FIELDS, SaleBackOfficeViews
from sales.models import Payment, PaymentMethod, Sale, SaleItem, SaleStatus
from sales.receipt_links import receipt_queryset
from sales.receipts import receipt_html


class ReadOnlyInline(BackOfficeRights, admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        # Each row shows its amounts in the business's currency.
        return super().get_queryset(request).select_related("sale__business")


def _inline_money(name: str, label: str):
    @admin.display(description=label)
    def show(self, row):
        return format_money(getattr(row, name), row.sale.business.currency_symbol)

    return show


class SaleItemInline(ReadOnlyInline):
    model = SaleItem
    fields = [
        "medicine_shown",
        "quantity",
        "unit_price_shown",
        "discount_shown",
        "line_total_shown",
        "returned_quantity",
    ]
    readonly_fields = fields
    unit_price_shown = _inline_money("unit_price", _("unit price"))
    discount_shown = _inline_money("discount", _("discount"))
    line_total_shown = _inline_money("line_total", _("line total"))

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(sold_lots_prefetch("lots"))

    @admin.display(description=SaleItem._meta.get_field("medicine_name").verbose_name)
    def medicine_shown(self, item):
        # The lots under the name, one a line, in the receipt's words (none for stock without
        # a lot number): a column of their own would not fit a phone's width.
        return format_html("<bdi>{}</bdi>{}", item.medicine_name, sold_lots_html(item))


class PaymentInline(ReadOnlyInline):
    model = Payment
    fields = ["tendered", "amount_shown", "reference", "received_at"]
    readonly_fields = fields
    amount_shown = _inline_money("amount", _("amount"))

    @admin.display(description=_("method"))
    def tendered(self, payment):
        if payment.method == PaymentMethod.ON_ACCOUNT:
            return gettext("Charged to account")
        return payment.get_method_display()

    @admin.display(description=_("at"))
    def received_at(self, payment):
        return date_format(
            timezone.localtime(payment.created_at, payment.sale.business.zone), "DATETIME_FORMAT"
        )


DEFAULT_REGION = Business._meta.get_field("default_region").default


class CustomerSearchFilter(admin.SimpleListFilter):
    """A search box in the filters: the sales of customers whose name or phone matches,
    as the till's customer search reads them (any part of the name, accents ignored; a
    phone typed any way). Listing every customer as a choice made the page as long as the
    customer book."""

    title = _("customer")
    parameter_name = "customer_q"
    template = "admin/sales/sale/customer_search_filter.html"

    def lookups(self, request, model_admin):
        self._region = getattr(admin_business(request), "default_region", DEFAULT_REGION)
        return []

    def has_output(self):
        return True

    def queryset(self, request, queryset):
        condition = customer_search_q(self.value() or "", region=self._region)
        if condition is None:
            return queryset
        return queryset.filter(customer__in=Customer.objects.filter(condition))

    def choices(self, changelist):
        # One "choice": the box itself, with the list's other parameters kept.
        kept = [
            (name, value)
            for name, value in changelist.params.items()
            if name != self.parameter_name
        ]
        yield {"value": self.value() or "", "kept": kept, "name": self.parameter_name}


class CustomerChosenFilter(admin.SimpleListFilter):
    """`?customer__id__exact=<id>`: one customer's sales, as the profile links to them.

    Listing every customer as a choice made the page as long as the customer book; the
    search box above the list finds sales by the customer's name or phone instead.
    """

    title = _("chosen customer")
    parameter_name = "customer__id__exact"

    def has_output(self):
        # Shown only when a link chose a customer; the search box above finds the others.
        return self.value() is not None

    def lookups(self, request, model_admin):
        chosen = self._chosen()
        if chosen is None:
            return []
        sale = model_admin.get_queryset(request).filter(customer_id=chosen).first()
        return [(str(chosen), sale.customer_name if sale else gettext("No such customer"))]

    def _chosen(self):
        try:
            return uuid.UUID(str(self.value())) if self.value() else None
        except ValueError:
            return None

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        chosen = self._chosen()
        return queryset.none() if chosen is None else queryset.filter(customer_id=chosen)


@admin.register(Sale)
class SaleAdmin(
    SpreadsheetExportMixin,
    LotRecallViews,
    SaleReturnsBackOffice,
    SaleBackOfficeViews,
    BusinessScopedAdmin,
):
    change_list_template = "admin/exportable_change_list.html"
    list_display = [
        "label",
        "status",
        "type",
        "customer_label",
        "storefront",
        "total",
        "completed_at",
        "created_at",
        "receipt_link",
    ]
    list_filter = [
        CustomerSearchFilter,
        "status",
        "type",
        CustomerChosenFilter,
        ("storefront", admin.RelatedOnlyFieldListFilter),
        "created_at",
        "completed_at",
    ]
    list_select_related = ["business", "storefront", "customer"]
    search_fields = ["receipt_number", "customer__name", "customer__phone"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-id"]
    inlines = [SaleItemInline, PaymentInline]
    editable_fields = ("type", "notes")

    class Media:
        css = {"all": [BACK_OFFICE_CSS]}

    # No receipt link here: the page's "Printable receipt" button is the one.
    fields = [
        "storefront",
        "receipt_number",
        "status",
        "type",
        "customer",
        "subtotal",
        "discount_total",
        "total_amount",
        "tenders",
        "amount_due",
        "returned_total",
        "notes",
        "sold_by",
        *TIME_FIELDS,
        "cancel_reason",
    ]

    def get_readonly_fields(self, request, obj=None):
        return [
            field for field in self.get_fields(request, obj) if field not in self.editable_fields
        ]

    def has_add_permission(self, request, *args):
        return False

    def has_delete_permission(self, request, obj=None):
        # Sales are history: a mistake is cancelled (and audited), never deleted.
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status != SaleStatus.DRAFT:
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        try:
            services.sale_update(
                sale=obj, type=form.cleaned_data.get("type"), notes=form.cleaned_data.get("notes")
            )
        except DomainError as error:
            messages.error(request, error.message)

    # --- columns --------------------------------------------------------------------------

    @admin.display(description=_("sale"), ordering="receipt_number")
    def label(self, obj):
        if obj.status == SaleStatus.CANCELLED:
            return format_html(
                '<span class="cancelled-sale">{}</span><br><span class="status-tag cancelled">'
                "{}</span>",
                obj,
                SaleStatus.CANCELLED.label,
            )
        return str(obj)

    @admin.display(description=_("sold by"))
    def sold_by(self, obj):
        # The full name, as on the payments and the statement, not the log-in name.
        return display_name(obj.created_by)

    @admin.display(description=_("customer"), ordering="customer__name")
    def customer_label(self, obj):
        return obj.customer_name

    @admin.display(description=_("total"), ordering="total_amount")
    def total(self, obj):
        return format_money(obj.total_amount, obj.business.currency_symbol)

    @admin.display(description=_("receipt"))
    def receipt_link(self, obj):
        if obj is None or obj.pk is None or obj.status == SaleStatus.DRAFT:
            return "-"
        url = reverse("admin:sales_sale_receipt", args=[obj.pk])
        return format_html('<a href="{}" class="nowrap">{}</a>', url, gettext("Print receipt"))

    # --- the list as a spreadsheet (the sales its search and filters select) -------------

    export_name = "sales"
    # The tenders by method, cash net of the change given, as the sale's page shows them.
    export_tenders = (PaymentMethod.CASH, PaymentMethod.CARD, PaymentMethod.MOBILE_MONEY)

    @property
    def export_columns(self) -> tuple[str, ...]:
        """The header, in the reader's language."""
        return (
            gettext("Sale"),
            gettext("Completed"),
            gettext("Status"),
            gettext("Storefront"),
            gettext("Customer"),
            gettext("Currency"),
            gettext("Total"),
            *(str(PaymentMethod(method).label) for method in self.export_tenders),
            pgettext("payment method", "On account"),
            gettext("Still due"),
            gettext("Returned"),
            gettext("Sold by"),
        )

    def export_queryset(self, queryset):
        return queryset.select_related(
            "business", "storefront", "customer", "created_by"
        ).prefetch_related("payments")

    def export_row(self, sale) -> list:
        zone = sale.business.zone
        paid = {method: ZERO for method in self.export_tenders}
        for payment in sale.payments.all():
            if payment.method in paid:
                paid[payment.method] += payment.amount
        paid[PaymentMethod.CASH] -= sale.change_due
        return [
            str(sale),
            sale.completed_at.astimezone(zone) if sale.completed_at else None,
            sale.get_status_display(),
            sale.storefront.name,
            sale.customer_name,
            sale.business.currency_code,
            sale.total_amount,
            *(paid[method] for method in self.export_tenders),
            sale.on_account_amount,
            sale.amount_due,
            sale.returned_total,
            display_name(sale.created_by),
        ]

    def export_totals(self, rows: list[list]) -> list:
        columns = self.export_columns
        totals = ["" for _column in columns]
        totals[0] = ngettext("Total (%(count)d sale)", "Total (%(count)d sales)", len(rows)) % {
            "count": len(rows)
        }
        first_money = columns.index(gettext("Total"))
        for index in range(first_money, columns.index(gettext("Sold by"))):
            totals[index] = sum((row[index] for row in rows), ZERO)
        return totals

    # --- the receipt page -----------------------------------------------------------------

    def get_urls(self):
        return [
            path(
                "<uuid:object_id>/receipt/",
                self.admin_site.admin_view(self.receipt_view),
                name="sales_sale_receipt",
            ),
            *super().get_urls(),
        ]

    def receipt_view(self, request, object_id):
        if not self.has_view_permission(request):
            raise Http404
        # Scoped like the list: another business's sale does not exist here.
        sale = (
            receipt_queryset()
            .filter(pk__in=self.get_queryset(request).values("pk"))
            .filter(pk=object_id)
            .first()
        )
        if sale is None or sale.status == SaleStatus.DRAFT:
            raise Http404
        back = reverse("admin:sales_sale_change", args=[sale.pk])
        target = request.GET.get("next")
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            back = target
        return HttpResponse(
            receipt_html(sale, back_url=back), content_type="text/html; charset=utf-8"
        )
