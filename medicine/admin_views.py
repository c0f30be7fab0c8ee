"""The catalogue's back-office page beyond the list and the form: "Adjust stock".

A small form over `medicine.services.stock_adjust`, the service the API's `adjust_stock`
action calls: a delivery adds units, breakage or a count takes them away, always with a
reason, audited. The medicine is opened through the admin's business-scoped queryset and
the storefront picker lists only its business's storefronts, so another business's rows
cannot be reached.
"""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext, gettext_lazy

from medicine.models import Stock
from medicine.services import stock_adjust
from pos_project.actors import Actor
from pos_project.admin_forms import OneTimeForm
from pos_project.errors import DomainError
from pos_project.models import Storefront

BACK_OFFICE_CSS = "customers/admin/back_office.css"


class AdjustStockForm(OneTimeForm):
    storefront = forms.ModelChoiceField(
        label=gettext_lazy("Storefront"), queryset=Storefront.objects.none(), empty_label=None
    )
    quantity_delta = forms.IntegerField(
        label=gettext_lazy("Change in units"),
        min_value=-1_000_000,
        max_value=1_000_000,
        help_text=gettext_lazy(
            "Positive for a delivery, negative for breakage, expiry or a count."
        ),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 50}),
        help_text=gettext_lazy("Kept in the audit log."),
    )

    def __init__(self, *args, business, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["storefront"].queryset = Storefront.objects.filter(
            business=business, is_active=True
        ).order_by("name")

    def clean_quantity_delta(self):
        delta = self.cleaned_data["quantity_delta"]
        if delta == 0:
            raise forms.ValidationError(gettext("Enter how many units come in (+) or go out (-)."))
        return delta


class MedicineBackOfficeViews:
    """Mixed into MedicineAdmin: the "Adjust stock" page and its button."""

    def get_urls(self):
        return [
            path(
                "<uuid:object_id>/adjust-stock/",
                self.admin_site.admin_view(self.adjust_stock_view),
                name="medicine_medicine_adjust_stock",
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and change:
            context["adjust_stock_url"] = reverse(
                "admin:medicine_medicine_adjust_stock", args=[obj.pk]
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def adjust_stock_view(self, request, object_id):
        if not self.has_change_permission(request):
            raise Http404
        medicine = self.get_queryset(request).filter(pk=object_id).first()
        if medicine is None:
            raise Http404(gettext("No such medicine."))
        medicine_url = reverse("admin:medicine_medicine_change", args=[medicine.pk])
        form = AdjustStockForm(request.POST or None, business=medicine.business)

        def adjust() -> str:
            storefront = form.cleaned_data["storefront"]
            row = stock_adjust(
                medicine=medicine,
                storefront=storefront,
                quantity_delta=form.cleaned_data["quantity_delta"],
                reason=form.cleaned_data["reason"],
                actor=Actor.from_request(request),
            )
            return gettext(
                "Stock of %(medicine)s at %(storefront)s is now %(quantity)s (%(change)s)."
            ) % {
                "medicine": medicine,
                "storefront": storefront.name,
                "quantity": row.quantity,
                "change": f"{form.cleaned_data['quantity_delta']:+d}",
            }

        if request.method == "POST" and form.is_valid():
            try:
                adjusted = form.submit_once(request, business=medicine.business, work=adjust)
            except DomainError as error:
                form.show_refusal(error)
                messages.error(request, error.message)
            else:
                messages.success(request, adjusted)
                return HttpResponseRedirect(medicine_url)
        stock = Stock.objects.filter(medicine=medicine).select_related("storefront")
        return TemplateResponse(
            request,
            "admin/medicine/medicine/adjust_stock.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": gettext("Adjust the stock of %(medicine)s") % {"medicine": medicine},
                "medicine": medicine,
                "medicine_url": medicine_url,
                "stock": stock.order_by("storefront__name"),
                "form": form,
                "back_office_css": BACK_OFFICE_CSS,
            },
        )
