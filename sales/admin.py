"""Sales in the back office: find a sale, read it, print its receipt.

Sales are rung up at the till through the API; the admin never creates one and never edits
money. A DRAFT's type and notes may be changed (through sales.services, so lines are
re-priced as at the till); a completed or cancelled sale is read-only. Rows and rights
follow pos_project.admin_scoping: managers and owners see their own business, superusers
every business.
"""

from django.contrib import admin, messages
from django.http import Http404, HttpResponse
from django.urls import path, reverse
from django.utils.html import format_html

from pos_project.admin_scoping import BackOfficeRights, BusinessScopedAdmin
from pos_project.errors import DomainError
from pos_project.money import format_money
from sales import (
    admin_tills,  # noqa: F401  (registers the Tills section of the back office)
    services,
)
from sales.admin_returns import SaleReturnsBackOffice
from sales.admin_views import BACK_OFFICE_CSS, MONEY_FIELDS, TIME_FIELDS, SaleBackOfficeViews
from sales.models import Payment, Sale, SaleItem, SaleStatus
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


class SaleItemInline(ReadOnlyInline):
    model = SaleItem
    fields = [
        "medicine_name",
        "quantity",
        "unit_price",
        "discount",
        "line_total",
        "returned_quantity",
    ]
    readonly_fields = fields


class PaymentInline(ReadOnlyInline):
    model = Payment
    fields = ["method", "amount", "reference", "created_at"]
    readonly_fields = fields


@admin.register(Sale)
class SaleAdmin(SaleReturnsBackOffice, SaleBackOfficeViews, BusinessScopedAdmin):
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
        "status",
        "type",
        ("customer", admin.RelatedOnlyFieldListFilter),
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

    fields = [
        "business",
        "storefront",
        "receipt_number",
        "status",
        "type",
        "customer",
        *MONEY_FIELDS,
        "notes",
        "created_by",
        *TIME_FIELDS,
        "cancel_reason",
        "receipt_link",
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
            messages.error(request, f"{error.error}: {error.message}")

    # --- columns --------------------------------------------------------------------------

    @admin.display(description="sale", ordering="receipt_number")
    def label(self, obj):
        return str(obj)

    @admin.display(description="customer", ordering="customer__name")
    def customer_label(self, obj):
        return obj.customer_name

    @admin.display(description="total", ordering="total_amount")
    def total(self, obj):
        return format_money(obj.total_amount, obj.business.currency_symbol)

    @admin.display(description="receipt")
    def receipt_link(self, obj):
        if obj is None or obj.pk is None or obj.status == SaleStatus.DRAFT:
            return "-"
        url = reverse("admin:sales_sale_receipt", args=[obj.pk])
        return format_html('<a href="{}" target="_blank">Print receipt</a>', url)

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
        return HttpResponse(receipt_html(sale), content_type="text/html; charset=utf-8")
