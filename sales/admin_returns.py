"""Returns in the back office: "Return items" on a completed sale's page, the returns listed
on the sale, and the list of every return with its printable slip.

"Return items" is a form over `sales.services.sale_return`, the service the API calls:
a quantity per line (at most what can still be returned), a restock tick per line, the
reason and the refund method. It runs once per rendered form (`OneTimeForm`), so a double
click never returns twice. Rows follow pos_project.admin_scoping: managers and owners see
their own business's sales and returns, and another business's are a 404.
"""

from django.contrib import admin, messages
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_lazy, ngettext

from medicine.sold_lots import sold_lots_html
from pos_project.actors import Actor, display_name
from pos_project.admin_exports import SpreadsheetExportMixin
from pos_project.admin_scoping import BackOfficeRights, BusinessScopedAdmin
from pos_project.errors import DomainError
from pos_project.money import ZERO, format_money
from sales.admin_return_forms import ReturnItemsForm
from sales.drawer_choice import add_drawer_field, chosen_drawer, drawer_refusal_words
from sales.models import RefundMethod, Return, SaleStatus
from sales.return_receipts import return_lines_prefetch, return_receipt_html
from sales.services import sale_return
from sales.services.return_amounts import (
    refund_lines,
    refund_parts_joined,
    return_refund_words,
)
from sales.services.returns import return_preview
from sales.till_sessions import drawer_label

BACK_OFFICE_CSS = "customers/admin/back_office.css"


class ReturnInline(BackOfficeRights, admin.TabularInline):
    """The sale's returns, read-only, each with its slip."""

    model = Return
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ["number", "created_at", "total", "what_happened", "reason", "slip"]
    readonly_fields = fields

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("sale__business")
            .prefetch_related("refunds")
        )

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("slip"))
    def slip(self, obj):
        return _slip_link(obj)

    @admin.display(description=gettext_lazy("money back"))
    def what_happened(self, obj):
        return _what_happened(obj)


def _what_happened(sale_return: Return):
    """Each refund the return made, one line each: what really happened to the money."""
    return format_html_join(
        mark_safe("<br>"), "{}", ((line,) for line in refund_lines(sale_return))
    )


def _slip_link(sale_return: Return):
    url = reverse("admin:sales_return_slip", args=[sale_return.pk])
    return format_html('<a href="{}" target="_blank">{}</a>', url, gettext("Print slip"))


class SaleReturnsBackOffice:
    """Mixed into SaleAdmin: the "Return items" page, its button and the sale's returns."""

    def get_inlines(self, request, obj):
        inlines = list(super().get_inlines(request, obj))
        # A draft has no returns; its page is the only one still posted (type and notes).
        if obj is not None and obj.status != SaleStatus.DRAFT:
            inlines.append(ReturnInline)
        return inlines

    def get_urls(self):
        return [
            path(
                "<uuid:object_id>/return/",
                self.admin_site.admin_view(self.return_view),
                name="sales_sale_return",
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and change:
            context.update(
                can_return=obj.status == SaleStatus.COMPLETED
                and obj.returned_total < obj.total_amount
                and Actor.from_request(request).is_manager,
                return_url=reverse("admin:sales_sale_return", args=[obj.pk]),
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def return_view(self, request, object_id):
        if not self.has_view_permission(request):
            raise Http404
        sale = self.get_queryset(request).filter(pk=object_id).first()
        if sale is None:
            raise Http404(gettext("No such sale."))
        sale_url = reverse("admin:sales_sale_change", args=[sale.pk])
        actor = Actor.from_request(request)
        if not actor.is_manager:
            messages.error(request, gettext("Only a manager or the owner may take a return."))
            return HttpResponseRedirect(sale_url)
        form = ReturnItemsForm(request.POST or None, sale=sale)
        if sale.status == SaleStatus.COMPLETED:
            # A cash refund comes out of a drawer at the sale's storefront.
            add_drawer_field(
                form,
                user=request.user,
                business=sale.business,
                storefront=sale.storefront,
                into=False,
            )

        def give_back() -> str:
            created = sale_return(
                sale=sale,
                lines=form.return_lines(),
                reason=form.cleaned_data["reason"],
                refund_method=form.cleaned_data["refund_method"],
                actor=actor,
                drawer=chosen_drawer(form),
            )
            cash = any(refund.method == RefundMethod.CASH for refund in created.refunds.all())
            drawer = created.till_session if cash else None
            words = {
                "number": created.number,
                "sale": sale,
                "refunds": return_refund_words(created),
            }
            if drawer:
                return gettext(
                    "Return %(number)s of sale %(sale)s: %(refunds)s out of the drawer of "
                    "%(drawer)s."
                ) % {**words, "drawer": drawer_label(drawer)}
            return gettext("Return %(number)s of sale %(sale)s: %(refunds)s.") % words

        preview = None
        if request.method == "POST" and form.is_valid():
            try:
                preview = return_preview(
                    sale=sale,
                    lines=form.return_lines(),
                    refund_method=form.cleaned_data["refund_method"],
                )
                # A form submitted again goes to the service first: the first submit's
                # result. Confirmed only what was shown; another split is shown again.
                if "_confirm" in request.POST and form.cleaned_data["previewed"] in (
                    "",
                    preview.words,
                ):
                    done = form.submit_once(request, business=sale.business, work=give_back)
                    messages.success(request, done)
                    return HttpResponseRedirect(sale_url)
            except DomainError as error:
                # Said once, on the form.
                form.add_error(None, drawer_refusal_words(error, sale.business) or error.message)
                preview = None
            else:
                form.data = form.data.copy()
                form.data["previewed"] = preview.words
        if sale.status != SaleStatus.COMPLETED:
            messages.error(
                request,
                gettext("Sale %(sale)s is not completed: it takes no return.") % {"sale": sale},
            )
            return HttpResponseRedirect(sale_url)
        symbol = sale.business.currency_symbol
        return TemplateResponse(
            request,
            "admin/sales/sale/return.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": gettext("Return items of sale %(sale)s") % {"sale": sale},
                "sale": sale,
                "sale_url": sale_url,
                "form": form,
                "total_text": format_money(sale.total_amount, symbol),
                "returned_text": format_money(sale.returned_total, symbol),
                "due_text": format_money(sale.amount_due, symbol),
                "preview": preview,
                "preview_total_text": format_money(preview.total, symbol) if preview else "",
                "symbol": symbol,
                "back_office_css": BACK_OFFICE_CSS,
            },
        )


@admin.register(Return)
class ReturnAdmin(SpreadsheetExportMixin, BusinessScopedAdmin):
    """Every return of the business, newest first. Returns are history: read-only."""

    change_list_template = "admin/exportable_change_list.html"

    list_display = ["number", "sale_link", "customer_label", "total_text", "what_happened",
                    "created_by", "created_at", "slip"]  # fmt: skip
    list_filter = ["refunds__method", "created_at"]
    list_select_related = ["business", "sale", "sale__business", "sale__customer", "created_by"]
    search_fields = ["number", "sale__receipt_number", "sale__customer__name", "reason"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-id"]
    fields = ["number", "sale_link", "customer_label", "reason", "total_text", "what_happened",
              "lines", "created_by", "created_at", "slip"]  # fmt: skip
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("refunds")

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("sale"), ordering="sale__receipt_number")
    def sale_link(self, obj):
        url = reverse("admin:sales_sale_change", args=[obj.sale_id])
        return format_html('<a href="{}">{}</a>', url, obj.sale.receipt_number)

    @admin.display(description=gettext_lazy("customer"), ordering="sale__customer__name")
    def customer_label(self, obj):
        return obj.sale.customer_name

    @admin.display(description=gettext_lazy("total"), ordering="total")
    def total_text(self, obj):
        return format_money(obj.total, obj.business.currency_symbol)

    @admin.display(description=gettext_lazy("lines"))
    def lines(self, obj):
        restocked = gettext("%(quantity)s x %(medicine)s (%(amount)s)")
        not_restocked = gettext("%(quantity)s x %(medicine)s (%(amount)s, not restocked)")
        prefetch_related_objects([obj], *return_lines_prefetch())
        # Each line with the lots it went back into under it, in the slip's words, as the
        # sale's page shows the lots its lines took.
        symbol = obj.business.currency_symbol
        return format_html_join(
            "",
            "<div>{}{}</div>",
            (
                (
                    (restocked if line.restocked else not_restocked)
                    % {
                        "quantity": line.quantity,
                        "medicine": line.sale_item.medicine_name,
                        "amount": format_money(line.amount, symbol),
                    },
                    sold_lots_html(line),
                )
                for line in obj.items.all()
            ),
        )

    @admin.display(description=gettext_lazy("money back"))
    def what_happened(self, obj):
        return _what_happened(obj)

    @admin.display(description=gettext_lazy("slip"))
    def slip(self, obj):
        return _slip_link(obj)

    # --- the list as a spreadsheet (the returns its search and filters select) -----------

    export_name = "returns"

    @property
    def export_columns(self) -> tuple[str, ...]:
        """The header, in the reader's language."""
        return (
            gettext("Return"),
            gettext("Date"),
            gettext("Sale"),
            gettext("Customer"),
            gettext("Currency"),
            gettext("Total"),
            gettext("Money back"),
            gettext("Reason"),
            gettext("By"),
        )

    def export_row(self, sale_return) -> list:
        business = sale_return.business
        return [
            sale_return.number,
            sale_return.created_at.astimezone(business.zone),
            sale_return.sale.receipt_number,
            sale_return.sale.customer_name,
            business.currency_code,
            sale_return.total,
            refund_parts_joined(refund_lines(sale_return)),
            sale_return.reason,
            display_name(sale_return.created_by),
        ]

    def export_totals(self, rows: list[list]) -> list:
        columns = self.export_columns
        totals = ["" for _column in columns]
        totals[0] = ngettext("Total (%(count)d return)", "Total (%(count)d returns)", len(rows)) % {
            "count": len(rows)
        }
        index = columns.index(gettext("Total"))
        totals[index] = sum((row[index] for row in rows), ZERO)
        return totals

    def get_urls(self):
        return [
            path(
                "<uuid:object_id>/slip/",
                self.admin_site.admin_view(self.slip_view),
                name="sales_return_slip",
            ),
            *super().get_urls(),
        ]

    def slip_view(self, request, object_id):
        if not self.has_view_permission(request):
            raise Http404
        sale_return = (
            self.get_queryset(request)
            .select_related("sale__business", "sale__storefront", "sale__customer", "created_by")
            .filter(pk=object_id)
            .first()
        )
        if sale_return is None:
            raise Http404
        return HttpResponse(
            return_receipt_html(sale_return), content_type="text/html; charset=utf-8"
        )
