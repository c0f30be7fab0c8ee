"""Lots in the back office: "Expiring soon" (the lots list, by window and storefront, with
their value at `prix_br`), "Write off" for expired lots, "Receive a lot" and "Adjust" a lot.

Every change goes through `medicine.services`, audited as through the API. Rows follow the
manager's business (pos_project.admin_scoping). The recall page, which names the customers
who bought a lot, belongs to the sales back office (`sales/admin_recalls.py`).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from medicine.admin_views import BACK_OFFICE_CSS
from medicine.lot_selectors import EXPIRY_WINDOWS, in_expiry_window
from medicine.models import Medicine
from medicine.services import LotAdjustReason, lot_adjust, lot_receive, lot_write_off
from pos_project.actors import Actor
from pos_project.admin_forms import OneTimeForm
from pos_project.admin_scoping import BusinessScopedAdmin, admin_business
from pos_project.errors import DomainError
from pos_project.models import Storefront
from pos_project.money import format_money


class ExpiryWindowFilter(admin.SimpleListFilter):
    title = gettext_lazy("expiry")
    parameter_name = "expiry"

    def lookups(self, request, model_admin):
        return [
            *(
                (str(days), gettext_lazy("Within %(days)s days") % {"days": days})
                for days in EXPIRY_WINDOWS
            ),
            ("expired", gettext_lazy("Expired")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if value != "expired" and not value.isdigit():
            return queryset
        within = None if value == "expired" else int(value)
        return in_expiry_window(queryset, today=_today(), within=within)


def _today():
    # The admin runs in the business's time zone (BusinessTimeZoneMiddleware): today is
    # the local date whose expiries count.
    return timezone.localdate()


class ReceiveLotForm(OneTimeForm):
    medicine = forms.ModelChoiceField(
        label=gettext_lazy("Medicine"), queryset=Medicine.objects.none()
    )
    storefront = forms.ModelChoiceField(
        label=gettext_lazy("Storefront"), queryset=Storefront.objects.none(), empty_label=None
    )
    lot_number = forms.CharField(label=gettext_lazy("Lot number"), max_length=64)
    expiry_date = forms.DateField(
        label=gettext_lazy("Expiry date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    quantity = forms.IntegerField(label=gettext_lazy("Units"), min_value=1, max_value=1_000_000)

    def __init__(self, *args, business, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["medicine"].queryset = Medicine.objects.filter(
            business=business, is_active=True
        ).order_by("name")
        self.fields["storefront"].queryset = Storefront.objects.filter(
            business=business, is_active=True
        ).order_by("name")


class AdjustLotForm(OneTimeForm):
    quantity_delta = forms.IntegerField(
        label=gettext_lazy("Change in units"), min_value=-1_000_000, max_value=1_000_000
    )
    reason = forms.ChoiceField(label=gettext_lazy("Reason"), choices=LotAdjustReason.choices)
    note = forms.CharField(
        label=gettext_lazy("Note"),
        max_length=200,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 50}),
        help_text=gettext_lazy("Kept in the audit log."),
    )

    def clean_quantity_delta(self):
        delta = self.cleaned_data["quantity_delta"]
        if delta == 0:
            raise forms.ValidationError(_("Enter how many units come in (+) or go out (-)."))
        return delta


class LotAdmin(BusinessScopedAdmin):
    """The lots of the business; filtered by expiry, it is "Expiring soon"."""

    business_path = "medicine__business"
    list_display = [
        "medicine",
        "storefront",
        "lot_label",
        "expiry",
        "quantity",
        "value",
        "state",
        "links",
    ]
    list_filter = [ExpiryWindowFilter, "storefront"]
    list_select_related = ["medicine__business", "storefront"]
    search_fields = ["lot_number", "medicine__name"]
    ordering = ["expiry_date", "storefront__name", "medicine__name", "pk"]
    actions = ["write_off_expired"]

    def has_change_permission(self, request, obj=None):
        # A lot changes only through receiving, adjusting, writing off or recalling it.
        return False if obj is not None else super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("lot"), ordering="lot_number")
    def lot_label(self, lot):
        return lot.lot_number or _("(stock without lot)")

    @admin.display(description=gettext_lazy("expires"), ordering="expiry_date")
    def expiry(self, lot):
        return date_format(lot.expiry_date, "SHORT_DATE_FORMAT") if lot.expiry_date else "-"

    @admin.display(description=gettext_lazy("value at retail price"))
    def value(self, lot):
        return format_money(
            lot.quantity * lot.medicine.prix_br, lot.medicine.business.currency_symbol
        )

    @admin.display(description=gettext_lazy("state"))
    def state(self, lot):
        if lot.is_recalled:
            return _("Recalled")
        if lot.is_expired(_today()):
            return _("Expired")
        return _("Sellable")

    @admin.display(description="")
    def links(self, lot):
        adjust = reverse("admin:medicine_lot_adjust", args=[lot.pk])
        if lot.lot_number is None:
            return format_html('<a href="{}">{}</a>', adjust, _("Adjust"))
        recall = reverse("admin:sales_sale_recall", args=[lot.pk])
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>', adjust, _("Adjust"), recall, _("Recall")
        )

    @admin.action(description=gettext_lazy("Write off the selected expired lots"))
    def write_off_expired(self, request, queryset):
        actor = Actor.from_request(request)
        done = refused = 0
        for lot in queryset.select_related("medicine__business", "storefront"):
            try:
                lot_write_off(
                    lot=lot, note=_("Written off from the back office: expired."), actor=actor
                )
                done += 1
            except DomainError as error:
                refused += 1
                self.message_user(request, f"{lot}: {error.message}", level=messages.WARNING)
        if done:
            self.message_user(
                request, _("%(count)s lots written off.") % {"count": done}, level=messages.SUCCESS
            )

    def get_urls(self):
        return [
            path(
                "<uuid:object_id>/adjust/",
                self.admin_site.admin_view(self.adjust_view),
                name="medicine_lot_adjust",
            ),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        """ "Receive a lot": medicine, storefront, number, expiry and units."""
        if not self.has_add_permission(request):
            raise Http404
        business = admin_business(request)
        if business is None:
            raise Http404(_("Receive lots as a manager of the business."))
        form = ReceiveLotForm(request.POST or None, business=business)

        def receive() -> str:
            data = form.service_fields()
            lot = lot_receive(actor=Actor.from_request(request), **data)
            return _("Lot %(number)s of %(medicine)s at %(storefront)s now holds %(count)s.") % {
                "number": lot.lot_number,
                "medicine": lot.medicine,
                "storefront": data["storefront"].name,
                "count": lot.quantity,
            }

        if request.method == "POST" and form.is_valid():
            try:
                done = form.submit_once(request, business=business, work=receive)
            except DomainError as error:
                form.show_refusal(error)
                messages.error(request, error.message)
            else:
                messages.success(request, done)
                return HttpResponseRedirect(reverse("admin:medicine_lot_changelist"))
        return self._page(request, "admin/medicine/lot/receive.html", _("Receive a lot"), form)

    def adjust_view(self, request, object_id):
        if not self.has_view_permission(request):
            raise Http404
        lot = (
            self.get_queryset(request)
            .select_related("medicine__business")
            .filter(pk=object_id)
            .first()
        )
        if lot is None:
            raise Http404(_("No such lot."))
        form = AdjustLotForm(request.POST or None)

        def adjust() -> str:
            changed = lot_adjust(
                lot=lot, actor=Actor.from_request(request), **form.service_fields()
            )
            return _("%(lot)s now holds %(count)s.") % {"lot": changed, "count": changed.quantity}

        if request.method == "POST" and form.is_valid():
            try:
                done = form.submit_once(request, business=lot.medicine.business, work=adjust)
            except DomainError as error:
                form.show_refusal(error)
                messages.error(request, error.message)
            else:
                messages.success(request, done)
                return HttpResponseRedirect(reverse("admin:medicine_lot_changelist"))
        return self._page(
            request,
            "admin/medicine/lot/adjust.html",
            _("Adjust %(lot)s at %(storefront)s") % {"lot": lot, "storefront": lot.storefront.name},
            form,
            lot=lot,
        )

    def _page(self, request, template, title, form, **extra):
        return TemplateResponse(
            request,
            template,
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": title,
                "form": form,
                "back_office_css": BACK_OFFICE_CSS,
                "lots_url": reverse("admin:medicine_lot_changelist"),
                **extra,
            },
        )
