"""The catalogue in the admin: managers edit prices in the list or the form, and see stock.

Every save goes through medicine.services, so a price changed here is audited exactly like
one changed through the API. Rows and rights follow pos_project.admin_scoping: managers and
owners see their own business, superusers every business, cashiers nothing.
"""

from decimal import Decimal

from django import forms
from django.contrib import admin
from django.core.validators import MinValueValidator
from django.db.models import Sum
from django.utils.translation import gettext, gettext_lazy

from medicine import services
from medicine.admin_lots import LotAdmin
from medicine.admin_views import BACK_OFFICE_CSS, MedicineBackOfficeViews
from medicine.models import Lot, Medicine, Stock
from pos_project.actors import Actor
from pos_project.admin_scoping import (
    BackOfficeRights,
    BusinessScopedAdmin,
    admin_business,
    adopt_created_row,
)

POSITIVE = MinValueValidator(
    Decimal("0.01"), message=gettext_lazy("The price must be greater than zero.")
)


class MedicineAdminForm(forms.ModelForm):
    """Checks what the services would refuse, so the admin shows a form error, not a 500.

    Used for the change form and, with only the price columns, for the list's inline editing:
    fields a form does not carry are read from the medicine being edited.
    """

    # Set by MedicineAdmin.get_form for staff, whose business is not a field of the form.
    admin_business = None

    class Meta:
        model = Medicine
        fields = [
            "business",
            "name",
            "generic_name",
            "form",
            "strength",
            "barcode",
            "prix_br",
            "wholesale_price",
            "is_active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        business = self.instance.business if self.instance.business_id else self.admin_business
        for name in ("prix_br", "wholesale_price"):
            if name in self.fields:
                self.fields[name].validators.append(POSITIVE)
                if business is not None:
                    # The amount's currency beside the box, as on every other page.
                    self.fields[name].label = gettext("%(label)s (%(symbol)s)") % {
                        "label": self.fields[name].label,
                        "symbol": business.currency_symbol,
                    }

    def _value(self, name):
        if name in self.fields:
            return self.cleaned_data.get(name)
        return getattr(self.instance, name, None)

    def _business(self):
        if "business" in self.fields:
            return self.cleaned_data.get("business")
        if self.instance.business_id:
            return self.instance.business
        return self.admin_business

    def clean(self):
        cleaned = super().clean()
        if "barcode" in self.fields:
            cleaned["barcode"] = (cleaned.get("barcode") or "").strip() or None
        prix_br, wholesale = self._value("prix_br"), self._value("wholesale_price")
        if prix_br is not None and wholesale is not None and wholesale > prix_br:
            self.add_error(
                "wholesale_price" if "wholesale_price" in self.fields else None,
                gettext(
                    "The wholesale price (%(wholesale)s) may not exceed the public price "
                    "(%(public)s)."
                )
                % {"wholesale": wholesale, "public": prix_br},
            )
        business, barcode = self._business(), cleaned.get("barcode")
        if "barcode" in self.fields and business is not None and barcode:
            taken = Medicine.objects.filter(business=business, barcode=barcode)
            if self.instance.pk:
                taken = taken.exclude(pk=self.instance.pk)
            if taken.exists():
                self.add_error(
                    "barcode", gettext("Another medicine of this business has this barcode.")
                )
        return cleaned


class StockInline(BackOfficeRights, admin.TabularInline):
    """Stock per storefront, read-only: it changes only through audited adjustments and sales."""

    model = Stock
    extra = 0
    can_delete = False
    fields = ["storefront", "quantity", "updated_at"]
    readonly_fields = fields
    ordering = ["storefront__name"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("storefront")


@admin.register(Medicine)
class MedicineAdmin(MedicineBackOfficeViews, BusinessScopedAdmin):
    form = MedicineAdminForm
    list_display = [
        "name",
        "strength",
        "form",
        "barcode",
        "prix_br",
        "wholesale_price",
        "total_stock",
        "is_active",
    ]
    list_editable = ["prix_br", "wholesale_price"]
    list_filter = ["is_active"]
    # "=barcode": a scanned code matches whole, as at the till.
    search_fields = ["name", "generic_name", "=barcode"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [StockInline]

    class Media:
        css = {"all": [BACK_OFFICE_CSS]}

    def changelist_view(self, request, extra_context=None):
        # The editable price boxes carry no currency of their own: the list says it once.
        business = admin_business(request)
        if business is not None:
            subtitle = gettext("Prices in %(symbol)s; stock in units, all storefronts") % {
                "symbol": business.currency_symbol
            }
            extra_context = {"subtitle": subtitle, **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("business")
            .annotate(stock_total=Sum("stocks__quantity"))
        )

    def get_list_display(self, request):
        columns = super().get_list_display(request)
        return [*columns, "business"] if request.user.is_superuser else columns

    def get_exclude(self, request, obj=None):
        return [] if request.user.is_superuser else ["business"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.admin_business = admin_business(request)
        return form

    def get_changelist_form(self, request, **kwargs):
        kwargs.setdefault("form", MedicineAdminForm)
        return super().get_changelist_form(request, **kwargs)

    @admin.display(description=gettext_lazy("Stock"), ordering="stock_total")
    def total_stock(self, medicine: Medicine) -> int:
        return medicine.stock_total or 0

    def save_model(self, request, obj, form, change):
        actor = Actor.from_request(request)
        if change:
            data = {
                field: form.cleaned_data[field]
                for field in form.changed_data
                if field in services.EDITABLE_FIELDS
            }
            if data:
                services.medicine_update(medicine=obj, actor=actor, data=data)
            return
        created = services.medicine_create(
            business=form.cleaned_data.get("business") or admin_business(request),
            actor=actor,
            **{field: form.cleaned_data[field] for field in services.EDITABLE_FIELDS},
        )
        adopt_created_row(obj, created)

    def delete_model(self, request, obj):
        services.medicine_delete(medicine=obj, actor=Actor.from_request(request))

    def delete_queryset(self, request, queryset):
        actor = Actor.from_request(request)
        for medicine in queryset:
            services.medicine_delete(medicine=medicine, actor=actor)


admin.site.register(Lot, LotAdmin)
