"""The sales back-office pages beyond the list and the form: cancelling a sale.

"Cancel sale" is a small form over `sales.services.sale_cancel`, the service the API's
`cancel` action calls: a completed sale is reversed only by a manager or the owner, with a
reason (stock returns, the on-account charge is reversed, statistics corrected, audited).
The sale is opened through the admin's business-scoped queryset, so another business's
sale is a 404.
"""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from pos_project.actors import Actor
from pos_project.exceptions import DomainError
from pos_project.money import format_money
from sales.models import SaleStatus
from sales.services import sale_cancel

BACK_OFFICE_CSS = "customers/admin/back_office.css"


class CancelSaleForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        max_length=255,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 50}),
        help_text="Kept on the sale and in the audit log.",
    )


class SaleBackOfficeViews:
    """Mixed into SaleAdmin: the "Cancel sale" page and the buttons on the sale's page."""

    def get_urls(self):
        return [
            path(
                "<uuid:object_id>/cancel/",
                self.admin_site.admin_view(self.cancel_view),
                name="sales_sale_cancel",
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and change:
            context.update(
                sale=obj,
                can_cancel=obj.status != SaleStatus.CANCELLED
                and Actor.from_request(request).is_manager,
                cancel_url=reverse("admin:sales_sale_cancel", args=[obj.pk]),
                receipt_url=(
                    reverse("admin:sales_sale_receipt", args=[obj.pk])
                    if obj.receipt_number
                    else None
                ),
                audit_url=reverse("admin:audit_auditlog_changelist") + f"?sale={obj.pk}",
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def cancel_view(self, request, object_id):
        if not self.has_view_permission(request):
            raise Http404
        sale = self.get_queryset(request).filter(pk=object_id).first()
        if sale is None:
            raise Http404("No such sale.")
        sale_url = reverse("admin:sales_sale_change", args=[sale.pk])
        actor = Actor.from_request(request)
        if sale.status == SaleStatus.CANCELLED:
            messages.error(request, f"Sale {sale} is already cancelled; it never changes again.")
            return HttpResponseRedirect(sale_url)
        if sale.status == SaleStatus.COMPLETED and not actor.is_manager:
            messages.error(request, "Only a manager or the owner may cancel a completed sale.")
            return HttpResponseRedirect(sale_url)
        form = CancelSaleForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                sale_cancel(sale=sale, reason=form.cleaned_data["reason"], actor=actor)
            except DomainError as error:
                form.add_error(None, error.message)
                messages.error(request, f"{error.error}: {error.message}")
            else:
                messages.success(request, f"Sale {sale} cancelled: {form.cleaned_data['reason']}")
                return HttpResponseRedirect(sale_url)
        symbol = sale.business.currency_symbol
        return TemplateResponse(
            request,
            "admin/sales/sale/cancel.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": f"Cancel sale {sale}",
                "sale": sale,
                "sale_url": sale_url,
                "form": form,
                "total_text": format_money(sale.total_amount, symbol),
                "on_account_text": (
                    format_money(sale.on_account_amount, symbol) if sale.on_account_amount else ""
                ),
                "is_completed": sale.status == SaleStatus.COMPLETED,
                "back_office_css": BACK_OFFICE_CSS,
            },
        )
