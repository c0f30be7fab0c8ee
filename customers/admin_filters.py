"""The customers list's filters, in the shop's words."""

from datetime import timedelta

from django.contrib import admin
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pos_project.admin_scoping import admin_business
from receivables.credit_alerts import (
    NEAR_LIMIT_SHARE,
    OVERDUE_ALERT_DAYS,
    customers_near_their_limit,
    customers_overdue,
    overdue_since,
)
from receivables.reports import report_clock


class ActiveFilter(admin.SimpleListFilter):
    """ "Active" with the shop's words, instead of Django's "By is active"."""

    title = gettext_lazy("status")
    parameter_name = "is_active__exact"

    def lookups(self, request, model_admin):
        return [("1", _("Active")), ("0", _("Deactivated (hidden from the till)"))]

    def queryset(self, request, queryset):
        if self.value() in ("0", "1"):
            return queryset.filter(is_active=self.value() == "1")
        return queryset


class OwesMoneyFilter(admin.SimpleListFilter):
    title = gettext_lazy("balance")
    parameter_name = "owes"

    def lookups(self, request, model_admin):
        return [
            ("yes", _("Owes money")),
            ("over_limit", _("Over the credit limit")),
            (
                "near_limit",
                _("At %(percent)s%% of the credit limit or more")
                % {"percent": int(NEAR_LIMIT_SHARE * 100)},
            ),
            (
                "overdue",
                _("Owes on a sale older than %(days)s days") % {"days": OVERDUE_ALERT_DAYS},
            ),
            ("credit", _("Holds credit")),
            ("no", _("Owes nothing")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "yes":
            return queryset.filter(outstanding_balance__gt=0)
        if value == "over_limit":
            return queryset.filter(
                credit_limit__isnull=False, outstanding_balance__gt=F("credit_limit")
            )
        if value == "near_limit":
            return customers_near_their_limit(queryset)
        if value == "overdue":
            business = admin_business(request)
            # A superuser's list spans businesses: their days are counted from now.
            since = (
                overdue_since(report_clock(business=business))
                if business
                else timezone.now() - timedelta(days=OVERDUE_ALERT_DAYS)
            )
            return customers_overdue(queryset, since=since)
        if value == "credit":
            return queryset.filter(outstanding_balance__lt=0)
        if value == "no":
            return queryset.filter(outstanding_balance__lte=0)
        return queryset
