"""Customers in the back office: the list managers work from, and the customer form.

Every save, delete and (de)activation goes through customers.services, so what a manager
does here is checked and audited exactly like the same change through the API. Rows and
rights follow pos_project.admin_scoping: managers and owners see their own business,
superusers every business, cashiers nothing.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from customers import services
from customers.admin_filters import ActiveFilter, OwesMoneyFilter
from customers.admin_views import CustomerBackOfficeViews
from customers.models import Customer
from customers.phones import InvalidPhoneNumber, display_phone, normalise_phone
from customers.search import customer_search_q
from pos_project.actors import Actor
from pos_project.admin_exports import SpreadsheetExportMixin
from pos_project.admin_scoping import BusinessScopedAdmin, admin_business, adopt_created_row
from pos_project.bidi import isolate
from pos_project.errors import DomainError
from pos_project.models import Business
from pos_project.money import ZERO
from receivables.admin_display import money_text
from receivables.admin_views import ReceivablesBackOfficeViews

STATISTICS = ["outstanding_balance", "total_purchases", "sales_count", "last_purchase_date"]
BACK_OFFICE_CSS = "customers/admin/back_office.css"
DEFAULT_REGION = Business._meta.get_field("default_region").default
# The export's columns that its totals row sums.
BALANCE_HEADER = gettext_lazy("Balance (negative: credit held)")
PURCHASES_HEADER = gettext_lazy("Total purchases")
SALES_HEADER = gettext_lazy("Sales")


class CustomerAdminForm(forms.ModelForm):
    """Checks what the services would refuse, so the admin shows a form error, not a 500."""

    # Set by CustomerAdmin.get_form for staff, whose business is not a field of the form.
    admin_business = None

    class Meta:
        model = Customer
        fields = [
            "business",
            "name",
            "phone",
            "email",
            "address",
            "notes",
            "customer_type",
            "credit_limit",
            "is_active",
        ]
        help_texts = {
            "phone": gettext_lazy(
                "As the customer says it ('06 12 34 56 78'), or with the country code for "
                "a foreign number."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.phone:
            # Shown as the shop writes it; saved again in E.164 by `clean`.
            self.initial["phone"] = display_phone(
                self.instance.phone, region=self.instance.business.default_region
            )
        if "phone" in self.fields:
            # The typed form ("06 12-34 56 78") may be longer than the stored E.164.
            self.fields["phone"].max_length = 32
            self.fields["phone"].widget.attrs["maxlength"] = 32

    def _business(self):
        if "business" in self.fields:
            return self.cleaned_data.get("business")
        if self.instance.business_id:
            return self.instance.business
        return self.admin_business

    def clean_name(self):
        name = (self.cleaned_data.get("name") or "").strip()
        if not name:
            raise forms.ValidationError(_("A name is required."))
        return name

    def clean_credit_limit(self):
        limit = self.cleaned_data.get("credit_limit")
        if limit is not None and limit < 0:
            raise forms.ValidationError(_("Must be 0 (no credit) or more, or empty (no limit)."))
        return limit

    def clean(self):
        cleaned = super().clean()
        business = self._business()
        if business is None or "phone" not in cleaned:
            return cleaned
        try:
            cleaned["phone"] = normalise_phone(cleaned["phone"], region=business.default_region)
        except InvalidPhoneNumber as exc:
            self.add_error("phone", str(exc))
            return cleaned
        if cleaned["phone"]:
            taken = Customer.objects.filter(business=business, phone=cleaned["phone"])
            if self.instance.pk:
                taken = taken.exclude(pk=self.instance.pk)
            owner = taken.first()
            if owner is not None:
                self.add_error(
                    "phone",
                    _("%(phone)s already belongs to %(name)s.")
                    % {"phone": isolate(cleaned["phone"]), "name": isolate(owner.name)},
                )
        return cleaned


@admin.register(Customer)
class CustomerAdmin(
    SpreadsheetExportMixin,
    CustomerBackOfficeViews,
    ReceivablesBackOfficeViews,
    BusinessScopedAdmin,
):
    form = CustomerAdminForm
    change_list_template = "admin/customers/customer/change_list.html"
    change_form_template = "admin/customers/customer/change_form.html"
    list_display = [
        "name",
        "phone_number",
        "balance",
        "limit",
        "purchases",
        "last_purchase",
        "customer_type",
        "active",
    ]
    list_display_links = ["name"]
    list_filter = [OwesMoneyFilter, ActiveFilter, "customer_type"]
    list_per_page = 50
    # The search itself is `customers.search`, as at the till; these only turn the box on.
    search_fields = ["name", "phone"]
    search_help_text = gettext_lazy(
        "Name (any part, accents ignored) or phone, typed in any format."
    )
    readonly_fields = [*STATISTICS, "created_at", "updated_at"]
    ordering = ["name", "id"]
    actions = ["deactivate_selected", "reactivate_selected"]

    class Media:
        css = {"all": [BACK_OFFICE_CSS]}

    def get_fieldsets(self, request, obj=None):
        contact = ["name", "phone", "email", "address", "notes"]
        if request.user.is_superuser:
            contact.insert(0, "business")
        fieldsets = [
            (_("Contact"), {"fields": contact}),
            (_("Account"), {"fields": ["customer_type", "credit_limit", "is_active"]}),
        ]
        if obj is not None:
            # The balance and purchase figures head the profile; these are for the record.
            fieldsets.append(
                (
                    _("Added and last changed"),
                    {"fields": ["created_at", "updated_at"], "classes": ["collapse"]},
                )
            )
        return fieldsets

    # --- columns: amounts in the business's currency, right-aligned by the stylesheet

    @admin.display(description=gettext_lazy("Phone"), ordering="phone")
    def phone_number(self, customer):
        return display_phone(customer.phone, region=customer.business.default_region) or "-"

    @admin.display(description=gettext_lazy("Outstanding balance"), ordering="outstanding_balance")
    def balance(self, customer):
        text = money_text(customer.outstanding_balance, customer.business)
        limit = customer.credit_limit
        if limit is not None and customer.outstanding_balance > limit:
            return format_html(
                '<span class="over-limit" title="{}">{}</span>', _("Over the credit limit"), text
            )
        if customer.outstanding_balance > 0:
            return format_html('<span class="owes">{}</span>', text)
        if customer.outstanding_balance < 0:
            # Said as the Debtors report says it, never as a negative debt.
            return format_html(
                '<span class="credit"><span class="credit-tag">{}</span> {}</span>',
                _("In credit"),
                money_text(-customer.outstanding_balance, customer.business),
            )
        return text

    @admin.display(description=gettext_lazy("Active"), boolean=True, ordering="is_active")
    def active(self, customer):
        return customer.is_active

    @admin.display(description=gettext_lazy("Credit limit"), ordering="credit_limit")
    def limit(self, customer):
        if customer.credit_limit is None:
            return format_html('<span class="muted">{}</span>', _("No limit"))
        return money_text(customer.credit_limit, customer.business)

    @admin.display(description=PURCHASES_HEADER, ordering="total_purchases")
    def purchases(self, customer):
        return money_text(customer.total_purchases, customer.business)

    @admin.display(description=gettext_lazy("Last purchase"), ordering="last_purchase_date")
    def last_purchase(self, customer):
        if customer.last_purchase_date is None:
            return "-"
        return date_format(
            timezone.localtime(customer.last_purchase_date, customer.business.zone),
            "DATE_FORMAT",
        )

    # --- the list as a spreadsheet (the customers its search and filters select)

    export_name = "customers"
    export_columns = (
        gettext_lazy("Customer"),
        gettext_lazy("Phone"),
        gettext_lazy("Email"),
        gettext_lazy("Address"),
        gettext_lazy("Type"),
        gettext_lazy("Active"),
        gettext_lazy("Currency"),
        BALANCE_HEADER,
        gettext_lazy("Credit limit"),
        PURCHASES_HEADER,
        SALES_HEADER,
        gettext_lazy("Last purchase"),
        gettext_lazy("Added"),
        gettext_lazy("Customer id"),
    )

    def export_queryset(self, queryset):
        return queryset.select_related("business")

    def export_row(self, customer) -> list:
        """One customer: dates are days in the shop's time zone."""
        business = customer.business

        def day(moment):
            return timezone.localdate(moment, business.zone) if moment else None

        return [
            customer.name,
            display_phone(customer.phone, region=business.default_region),
            customer.email,
            customer.address,
            customer.get_customer_type_display(),
            _("Yes") if customer.is_active else _("No"),
            business.currency_code,
            customer.outstanding_balance,
            customer.credit_limit,
            customer.total_purchases,
            customer.sales_count,
            day(customer.last_purchase_date),
            day(customer.created_at),
            customer.pk,
        ]

    def export_totals(self, rows: list[list]) -> list:
        """How many customers, and the sums of the money columns."""
        totals = [""] * len(self.export_columns)
        totals[0] = ngettext(
            "Total (%(count)d customer)", "Total (%(count)d customers)", len(rows)
        ) % {"count": len(rows)}
        for column, start in (
            (BALANCE_HEADER, ZERO),
            (PURCHASES_HEADER, ZERO),
            (SALES_HEADER, 0),
        ):
            index = self.export_columns.index(column)
            totals[index] = sum((row[index] for row in rows), start)
        return totals

    def get_list_display(self, request):
        columns = super().get_list_display(request)
        return [*columns, "business"] if request.user.is_superuser else columns

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("business")

    def get_exclude(self, request, obj=None):
        return [] if request.user.is_superuser else ["business"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.admin_business = admin_business(request)
        return form

    def get_search_results(self, request, queryset, search_term):
        business = admin_business(request)
        region = business.default_region if business else DEFAULT_REGION
        condition = customer_search_q(search_term, region=region)
        return (queryset if condition is None else queryset.filter(condition)), False

    def get_actions(self, request):
        # Deleting goes one customer at a time through the delete page, where the outcome
        # (deleted, deactivated, refused) is shown for that customer.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def save_model(self, request, obj, form, change):
        actor = Actor.from_request(request)
        fields = [field for field in services.EDITABLE_FIELDS if field in form.cleaned_data]
        if change:
            data = {
                field: form.cleaned_data[field] for field in form.changed_data if field in fields
            }
            if data:
                services.customer_update(customer=obj, actor=actor, data=data)
            return
        created = services.customer_create(
            business=form.cleaned_data.get("business") or admin_business(request),
            actor=actor,
            **{field: form.cleaned_data[field] for field in fields},
        )
        adopt_created_row(obj, created)

    def get_deleted_objects(self, objs, request):
        # customer_delete never cascades: a customer with sales or a ledger is deactivated
        # instead. So their sales are neither listed as going nor a reason to refuse the
        # page (managers may not delete sales), and the page says what will happen instead.
        customers = list(objs)
        deleted = [_("Customer: %(name)s") % {"name": isolate(customer)} for customer in customers]
        return deleted, {self.opts.verbose_name_plural: len(customers)}, set(), []

    def delete_model(self, request, obj):
        try:
            outcome = services.customer_delete(customer=obj, actor=Actor.from_request(request))
        except DomainError as exc:
            request._customer_delete_message = (messages.ERROR, exc.message)
            return
        if outcome == services.DeleteOutcome.DEACTIVATED:
            request._customer_delete_message = (
                messages.WARNING,
                _("%(name)s has sales or a ledger, so they were deactivated instead of deleted.")
                % {"name": isolate(obj.name)},
            )

    def response_delete(self, request, obj_display, obj_id):
        outcome = getattr(request, "_customer_delete_message", None)
        if outcome is None:
            return super().response_delete(request, obj_display, obj_id)
        # The customer is still there: say what happened instead of "deleted successfully".
        self.message_user(request, outcome[1], outcome[0])
        changelist = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist",
            current_app=self.admin_site.name,
        )
        preserved = {"preserved_filters": self.get_preserved_filters(request), "opts": self.opts}
        return HttpResponseRedirect(add_preserved_filters(preserved, changelist))

    @admin.action(
        description=gettext_lazy("Deactivate selected customers (hide them from the POS)")
    )
    def deactivate_selected(self, request, queryset):
        self._set_active(request, queryset, is_active=False)

    @admin.action(description=gettext_lazy("Reactivate selected customers"))
    def reactivate_selected(self, request, queryset):
        self._set_active(request, queryset, is_active=True)

    def _set_active(self, request, queryset, *, is_active):
        actor = Actor.from_request(request)
        for customer in queryset:
            services.customer_set_active(customer=customer, actor=actor, is_active=is_active)
        count = queryset.count()
        if is_active:
            text = ngettext(
                "%(count)d customer reactivated.", "%(count)d customers reactivated.", count
            )
        else:
            text = ngettext(
                "%(count)d customer deactivated.", "%(count)d customers deactivated.", count
            )
        self.message_user(request, text % {"count": count}, messages.SUCCESS)
