"""The customers' back-office pages beyond the list and the form.

- the dashboard above the list (the figures of `GET /customers/api/customers/stats/`);
- the profile: balance, purchase history, payments and statement on the change page;
- what deleting will do, said on the confirmation page.

The "Record payment", "Adjust credit" and Debtors pages are the receivables' own
(`receivables.admin_views`, `receivables.admin_display`).

Every page opens the customer through the admin's business-scoped queryset, so another
business's customer is a 404, exactly as in the API. Business rules stay in the services:
a refusal comes back as a DomainError and is shown on the form and as a message.
"""

from django.http import Http404
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from customers.api.serializers import CustomerStatsQuerySerializer
from customers.models import Customer
from customers.selectors import customer_stats
from pos_project.actors import Actor
from pos_project.admin_scoping import admin_business
from pos_project.bidi import isolate
from receivables.admin_display import money_text, position_cards
from receivables.profile import SECTION_ROWS, customer_profile
from receivables.reports import receivables_position_and_average_sale, recent_buyers

# The dashboard counts a customer as active over the same window as the stats endpoint.
DASHBOARD_DAYS = CustomerStatsQuerySerializer().fields["days"].default


class CustomerBackOfficeViews:
    """Mixed into CustomerAdmin: the dashboard and the profile (the receivables' pages are
    `receivables.admin_views.ReceivablesBackOfficeViews`)."""

    # -- shared helpers

    def _page_context(self, request, title: str, **extra) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "changelist_url": reverse("admin:customers_customer_changelist"),
            "debtors_url": reverse("admin:customers_customer_debtors"),
            **extra,
        }

    def _scoped_customer(self, request, object_id) -> Customer:
        if not self.has_view_permission(request):
            raise Http404
        customer = self.get_queryset(request).filter(pk=object_id).first()
        if customer is None:
            raise Http404(_("No such customer."))
        return customer

    def _profile_url(self, customer) -> str:
        return reverse("admin:customers_customer_change", args=[customer.pk])

    def _next_url(self, request, default: str) -> str:
        target = request.POST.get("next") or request.GET.get("next")
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return target
        return default

    # -- the list's dashboard

    def changelist_view(self, request, extra_context=None):
        business = admin_business(request)
        extra = {"debtors_url": reverse("admin:customers_customer_debtors")}
        if business is not None:
            stats = customer_stats(business=business)
            position, average_sale = receivables_position_and_average_sale(business=business)
            extra["dashboard"] = [
                (
                    _("Total customers"),
                    number_format(stats.total_customers, force_grouping=True),
                    _("Not deactivated"),
                ),
                (
                    _("Active customers"),
                    number_format(
                        recent_buyers(business=business, days=DASHBOARD_DAYS), force_grouping=True
                    ),
                    _("Bought in the last %(days)s days") % {"days": DASHBOARD_DAYS},
                ),
                (
                    _("Average purchase value"),
                    money_text(average_sale, business),
                    _("All purchases over all sales"),
                ),
            ]
            extra["position_cards"] = position_cards(position, business)
        return super().changelist_view(request, {**extra, **(extra_context or {})})

    # -- the profile

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and change:
            context.update(self._profile_context(request, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _profile_context(self, request, customer) -> dict:
        business = customer.business
        profile = customer_profile(customer=customer)
        limit = customer.credit_limit
        available = customer.available_credit
        return {
            "title": _("Customer profile"),
            "customer": customer,
            "profile": profile,
            "section_rows": SECTION_ROWS,
            # Credit held reads as a positive amount under its own label, never "-38.50".
            "balance_label": _("Credit held")
            if customer.outstanding_balance < 0
            else _("Outstanding balance"),
            "balance_text": money_text(abs(customer.outstanding_balance), business),
            "owes": customer.outstanding_balance > 0,
            "over_limit": limit is not None and customer.outstanding_balance > limit,
            "limit_text": _("No limit") if limit is None else money_text(limit, business),
            "available_text": (
                _("No limit") if available is None else money_text(available, business)
            ),
            "total_purchases_text": money_text(customer.total_purchases, business),
            "currency_symbol": business.currency_symbol,
            "record_payment_url": reverse(
                "admin:customers_customer_record_payment", args=[customer.pk]
            ),
            "adjust_credit_url": reverse(
                "admin:customers_customer_adjust_credit", args=[customer.pk]
            ),
            "statement_url": reverse("admin:customers_customer_statement", args=[customer.pk]),
            "statement_export_url": reverse(
                "admin:customers_customer_statement_export", args=[customer.pk]
            ),
            "can_adjust_credit": Actor.from_request(request).is_manager,
            "audit_url": reverse("admin:audit_auditlog_changelist") + f"?customer={customer.pk}",
        }

    # -- deleting: say beforehand what customer_delete will do

    def render_delete_form(self, request, context):
        customer = context.get("object")
        if customer is not None:
            context["delete_outcome_note"] = self._delete_forecast(customer)
            # Refused before the click: no "Yes, I'm sure" for a customer who owes money.
            context["delete_refused"] = customer.outstanding_balance > 0
            context["profile_url"] = self._profile_url(customer)
            context["record_payment_url"] = reverse(
                "admin:customers_customer_record_payment", args=[customer.pk]
            )
        return super().render_delete_form(request, context)

    def _delete_forecast(self, customer) -> str:
        # Only a forecast for the confirmation page; customer_delete decides under its lock.
        if customer.outstanding_balance > 0:
            owed = money_text(customer.outstanding_balance, customer.business)
            return _(
                "%(name)s owes %(amount)s. A customer who owes money cannot be removed: "
                "record the payment first."
            ) % {"name": isolate(customer.name), "amount": owed}
        if customer.sales.exists() or customer.ledger_entries.exists():
            return _(
                "%(name)s has sales or a statement, so they will be deactivated (hidden "
                "from the POS search, history kept) instead of deleted."
            ) % {"name": isolate(customer.name)}
        return ""
