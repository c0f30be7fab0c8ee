"""The customers list's filters, in the shop's words."""

from django.contrib import admin
from django.db.models import F


class ActiveFilter(admin.SimpleListFilter):
    """ "Active" with the shop's words, instead of Django's "By is active"."""

    title = "status"
    parameter_name = "is_active__exact"

    def lookups(self, request, model_admin):
        return [("1", "Active"), ("0", "Deactivated (hidden from the till)")]

    def queryset(self, request, queryset):
        if self.value() in ("0", "1"):
            return queryset.filter(is_active=self.value() == "1")
        return queryset


class OwesMoneyFilter(admin.SimpleListFilter):
    title = "balance"
    parameter_name = "owes"

    def lookups(self, request, model_admin):
        return [
            ("yes", "Owes money"),
            ("over_limit", "Over the credit limit"),
            ("credit", "Holds credit"),
            ("no", "Owes nothing"),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "yes":
            return queryset.filter(outstanding_balance__gt=0)
        if value == "over_limit":
            return queryset.filter(
                credit_limit__isnull=False, outstanding_balance__gt=F("credit_limit")
            )
        if value == "credit":
            return queryset.filter(outstanding_balance__lt=0)
        if value == "no":
            return queryset.filter(outstanding_balance__lte=0)
        return queryset
