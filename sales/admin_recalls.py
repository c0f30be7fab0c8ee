"""The recall page of a lot, in the sales back office because it names who bought it.

Mixed into SaleAdmin: `recall/<lot id>/` marks the lot recalled (reference and date, through
`medicine.services.lot_recall`, audited) and shows, for the lot's number at every
storefront, what is still on each shelf, every sale that took from it (date, receipt,
customer and a phone to call), and sold against recovered; printable, and exported as a
workbook with `?format=xlsx`.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from customers.phones import display_phone
from medicine.lot_selectors import lot_family, lot_sale_takes, lots_of_business, recall_figures
from medicine.models import Lot
from medicine.services import lot_recall
from pos_project.actors import Actor
from pos_project.admin_forms import OneTimeForm
from pos_project.admin_scoping import admin_business
from pos_project.errors import DomainError
from pos_project.spreadsheets import Sheet, spreadsheet_download
from sales.models import WALK_IN_CUSTOMER


class RecallForm(OneTimeForm):
    reference = forms.CharField(
        label=gettext_lazy("Recall reference"),
        max_length=120,
        help_text=gettext_lazy("As the recall notice gives it."),
    )
    recall_date = forms.DateField(
        label=gettext_lazy("Date of the recall"), widget=forms.DateInput(attrs={"type": "date"})
    )


def _recall_rows(lot: Lot) -> list[dict]:
    region = lot.medicine.business.default_region
    rows = []
    for take in lot_sale_takes(lot):
        sale, customer = take.item.sale, take.item.sale.customer
        rows.append(
            {
                "completed_at": sale.completed_at,
                "receipt_number": sale.receipt_number,
                "status": sale.get_status_display(),
                "storefront": sale.storefront.name,
                "customer": customer.name if customer else WALK_IN_CUSTOMER,
                "phone": display_phone(customer.phone, region=region) if customer else "",
                "sold": take.quantity,
                "recovered": take.returned_quantity,
                "sale_url": reverse("admin:sales_sale_change", args=[sale.pk]),
            }
        )
    return rows


def _recall_sheet(lot: Lot, rows: list[dict]) -> Sheet:
    header = [
        _("Date"),
        _("Receipt"),
        _("Storefront"),
        _("Customer"),
        _("Phone"),
        _("Units sold"),
        _("Units recovered"),
    ]
    body = [
        [
            timezone.localtime(row["completed_at"]) if row["completed_at"] else None,
            row["receipt_number"],
            row["storefront"],
            row["customer"],
            row["phone"],
            row["sold"],
            row["recovered"],
        ]
        for row in rows
    ]
    title = _("Recall of %(lot)s") % {"lot": lot}
    return Sheet(title=title[:31], rows=[header, *body])


class LotRecallViews:
    """Mixed into SaleAdmin: the recall page of a lot."""

    def get_urls(self):
        return [
            path(
                "recall/<uuid:lot_id>/",
                self.admin_site.admin_view(self.recall_view),
                name="sales_sale_recall",
            ),
            *super().get_urls(),
        ]

    def recall_view(self, request, lot_id):
        business = admin_business(request)
        if not self.has_view_permission(request) or business is None:
            raise Http404
        lot = (
            lots_of_business(business)
            .select_related("medicine__business")
            .filter(pk=lot_id)
            .first()
        )
        if lot is None or lot.lot_number is None:
            raise Http404(_("No such lot."))
        form = RecallForm(request.POST or None)

        def recall() -> str:
            lot_recall(
                lot=lot,
                reference=form.cleaned_data["reference"],
                recall_date=form.cleaned_data["recall_date"],
                actor=Actor.from_request(request),
            )
            return _("Lot %(number)s of %(medicine)s is recalled: it is no longer sold.") % {
                "number": lot.lot_number,
                "medicine": lot.medicine,
            }

        if request.method == "POST" and form.is_valid():
            try:
                done = form.submit_once(request, business=business, work=recall)
            except DomainError as error:
                form.add_error(None, error.message)
                messages.error(request, error.message)
            else:
                messages.success(request, done)
                return HttpResponseRedirect(request.path)
        rows = _recall_rows(lot)
        if request.GET.get("format") == "xlsx":
            return spreadsheet_download(
                _recall_sheet(lot, rows), name=f"recall-{lot.lot_number}-{timezone.localdate()}"
            )
        family = list(lot_family(lot))
        recalled = next((sibling for sibling in family if sibling.is_recalled), None)
        return TemplateResponse(
            request,
            "admin/sales/recall.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": _("Recall of %(lot)s") % {"lot": lot},
                "lot": lot,
                "expiry": date_format(lot.expiry_date, "SHORT_DATE_FORMAT"),
                "recalled": recalled,
                "family": family,
                "figures": recall_figures(lot),
                "rows": rows,
                "form": None if recalled else form,
                "lots_url": reverse("admin:medicine_lot_changelist"),
            },
        )
