"""`/customers/api/debtors/`: the Debtors (accounts receivable) report.

Managers and owners only: it is the back-office view of the whole book of debts (DESIGN
section 1 puts "debtors" among the managers' pages). Cashiers still record payments, from
the customer's page, with `record_payment`.
"""

from datetime import UTC
from decimal import Decimal

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_serializer,
    extend_schema_view,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response

from customers.api.filters import CustomerOrderingFilter
from customers.models import Customer
from customers.phones import display_phone
from customers.selectors import customer_search
from pos_project.filters import StrictFilterSet
from pos_project.money import CENT, MAX_DIGITS, SUM_MAX_DIGITS, quantize
from pos_project.pagination import KnownCountPagination
from pos_project.serializers import DirectCellsMixin, fields_copied
from pos_project.spreadsheets import Sheet
from pos_project.tenancy import business_of
from receivables.api.views import (
    FORMAT_PARAMETER,
    SPREADSHEET_RENDERERS,
    CSVFormatMixin,
    json_errors,
    spreadsheet_response,
    spreadsheet_responses,
    wants_spreadsheet,
)
from receivables.reports import (
    BUCKET_LABELS,
    BUCKETS,
    POSITION_WORDS,
    debtors_in_bucket,
    debtors_overdue,
    debtors_report,
    debtors_totals,
    report_clock,
)


class _ReadMoneyField(serializers.DecimalField):
    # DRF quantizes each amount with a copy of the decimal context made for the cell; the
    # context in force rounds the same way, and its precision holds any amount or sum this
    # report shows, so the cell reads the same for a third of the work (250 cells a page).
    def to_representation(self, value):
        if isinstance(value, Decimal):
            return f"{value.quantize(CENT):f}"
        return super().to_representation(value)


def _money(**kwargs) -> serializers.DecimalField:
    kwargs.setdefault("max_digits", MAX_DIGITS)
    return _ReadMoneyField(decimal_places=2, **kwargs)


class DebtorSerializer(DirectCellsMixin, serializers.Serializer):
    """One customer of the report. Ages are calendar days in the business's time zone."""

    id = serializers.UUIDField()
    name = serializers.CharField()
    phone = serializers.CharField(allow_null=True)
    amount_owed = _money(help_text="The outstanding balance; negative is credit held for them.")
    # In UTC whatever time zone is active, so the report reads the same from the API and
    # from the back office (which shows the shop's local time).
    last_payment_date = serializers.DateTimeField(allow_null=True, default_timezone=UTC)
    days_since_payment = serializers.SerializerMethodField(
        help_text="Days since the last payment; null if they never paid."
    )
    owed_0_30 = _money(help_text="Due on sales completed 0 to 30 days ago.")
    owed_31_60 = _money(help_text="Due on sales completed 31 to 60 days ago.")
    owed_61_90 = _money(help_text="Due on sales completed 61 to 90 days ago.")
    owed_over_90 = _money(help_text="Due on sales completed more than 90 days ago.")
    oldest_due_date = serializers.DateTimeField(
        allow_null=True, default_timezone=UTC, help_text="Completion of the oldest sale still due."
    )

    def get_days_since_payment(self, row) -> int | None:
        return self.context["clock"].days_since(row["last_payment_date"])

    def get_fields(self):
        return fields_copied(self._declared_fields)


# What a row of the report holds: the serializer's columns, read as values rather than as
# customers, since building a model instance per row cost more than reading its cells.
ROW_COLUMNS = [
    name
    for name, field in DebtorSerializer._declared_fields.items()
    if not isinstance(field, serializers.SerializerMethodField)
]


def _rows(report: QuerySet[Customer]) -> QuerySet:
    """The report's rows once filtered and ordered: its columns only, as dicts."""
    return report.values(*ROW_COLUMNS)


def _due_header(label) -> str:
    return _("Due %(age)s") % {"age": label}


# The spreadsheet's columns: the API's, name first and the id last, with readable headers
# (in the reader's language), the currency, and dates as calendar days of the business's
# time zone.
CSV_HEADERS = {
    "name": gettext_lazy("Customer"),
    "phone": gettext_lazy("Phone"),
    "currency": gettext_lazy("Currency"),
    "amount_owed": gettext_lazy("Amount owed (negative: credit held)"),
    "last_payment_date": gettext_lazy("Last payment"),
    "days_since_payment": gettext_lazy("Days since payment"),
    **{name: lazy(_due_header, str)(label) for name, label in BUCKET_LABELS.items()},
    "oldest_due_date": gettext_lazy("Oldest sale due"),
    "id": gettext_lazy("Customer id"),
}
CSV_COLUMNS = list(CSV_HEADERS)
CSV_DATE_COLUMNS = ["last_payment_date", "oldest_due_date"]
MONEY_COLUMNS = ["amount_owed", *BUCKETS]


class DebtorTotalsSerializer(serializers.Serializer):
    """Over every customer the filters select, not only the page."""

    customers = serializers.IntegerField(help_text="Customers with a non-zero balance.")
    owed = _money(
        max_digits=SUM_MAX_DIGITS,
        help_text="Owed to the shop by customers who owe money (positive balances); the sum "
        "of the age columns.",
    )
    credit_held = _money(
        max_digits=SUM_MAX_DIGITS,
        help_text="Credit held for customers in credit (negative balances, as a positive amount).",
    )
    amount_owed = _money(
        max_digits=SUM_MAX_DIGITS,
        help_text="Net: owed less credit held, the sum of the `amount_owed` column.",
    )
    owed_0_30 = _money(max_digits=SUM_MAX_DIGITS)
    owed_31_60 = _money(max_digits=SUM_MAX_DIGITS)
    owed_61_90 = _money(max_digits=SUM_MAX_DIGITS)
    owed_over_90 = _money(max_digits=SUM_MAX_DIGITS)

    def get_fields(self):
        return fields_copied(self._declared_fields)


@extend_schema_serializer(many=False)
class DebtorsPageSerializer(serializers.Serializer):
    """A page of the report, with the totals of the whole report beside it."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    as_of = serializers.DateField(help_text="Today in the business's time zone: ages count to it.")
    totals = DebtorTotalsSerializer()
    results = DebtorSerializer(many=True)


# Bounds a filter value to what a money column can hold, so no input reaches the database
# as a number it cannot compare.
LIMIT = 10 ** (MAX_DIGITS - 2)


class DebtorFilterSet(StrictFilterSet):
    search = django_filters.CharFilter(
        method="filter_search", label="Name (any part; case and accents ignored) or phone."
    )
    min_amount = django_filters.NumberFilter(
        field_name="outstanding_balance",
        lookup_expr="gte",
        min_value=-LIMIT,
        max_value=LIMIT,
        label="Only customers owing at least this much.",
    )
    balance = django_filters.ChoiceFilter(
        choices=[("owing", "Customers who owe money"), ("credit", "Customers holding credit")],
        method="filter_balance",
        label="owing: balance above 0; credit: balance below 0. Both by default.",
    )
    overdue_days = django_filters.NumberFilter(
        method="filter_overdue_days",
        min_value=0,
        max_value=36500,
        label="Only customers with money due on a sale older than this many days.",
    )
    bucket = django_filters.ChoiceFilter(
        choices=list(BUCKET_LABELS.items()),
        method="filter_bucket",
        label="Only customers with money due in this ageing bucket.",
    )

    class Meta:
        model = Customer
        fields = ["search", "min_amount", "balance", "overdue_days", "bucket"]

    def filter_search(self, queryset, name, value):
        region = business_of(self.request).default_region
        return customer_search(queryset=queryset, query=value, region=region)

    def filter_balance(self, queryset, name, value):
        if value == "owing":
            return queryset.filter(outstanding_balance__gt=0)
        return queryset.filter(outstanding_balance__lt=0)

    def filter_overdue_days(self, queryset, name, value):
        return debtors_overdue(queryset, clock=self.request.report_clock, days=int(value))

    def filter_bucket(self, queryset, name, value):
        return debtors_in_bucket(queryset, bucket=value)


class DebtorFilterBackend(django_filters.rest_framework.DjangoFilterBackend):
    """A request that names none of the report's filters is not filtered: the filter set and
    its form would be built and validated only to change nothing (a tenth of the first
    page's work). One that names any, even blank, is validated as always."""

    def filter_queryset(self, request, queryset, view):
        if not any(name in request.query_params for name in DebtorFilterSet.base_filters):
            return queryset
        return super().filter_queryset(request, queryset, view)


class DebtorOrderingFilter(CustomerOrderingFilter):
    """`?ordering=`, then the largest debt and the name, so ties read as the default does."""

    nullable_fields = frozenset({"last_payment_date", "oldest_due_date"})

    def get_ordering(self, request, queryset, view):
        ordering = list(super().get_ordering(request, queryset, view) or [])
        chosen = {term.lstrip("-") for term in ordering}
        return ordering + [term for term in view.ordering if term.lstrip("-") not in chosen]


@extend_schema_view(
    list=extend_schema(
        summary="Debtors: customers with a non-zero balance, with ageing",
        description=(
            "Largest debt first by default. Ageing buckets sum what is still due on completed "
            "on-account sales by their age in calendar days of the business's time zone. "
            "`totals` covers every customer the filters select. `?format=csv` (for a "
            "machine) or `?format=xlsx` (for a person) returns the whole report "
            "(unpaginated) with its totals last. Managers and owners only."
        ),
        parameters=[FORMAT_PARAMETER],
        responses={
            (200, "application/json"): DebtorsPageSerializer,
            **spreadsheet_responses(
                f"Columns {', '.join(map(str, CSV_HEADERS.values()))}; phones as the shop "
                "writes them (headers in the request's language); "
                "dates are calendar days in the business's time zone. The last three rows "
                "are the totals: owed to the shop (with the age columns), credit held "
                "(negative), net."
            ),
            **json_errors(400, 401, 403, 404),
        },
    )
)
class DebtorViewSet(CSVFormatMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    manager_only = True
    serializer_class = DebtorSerializer
    # The count comes with the totals, so the page does not count the report again.
    pagination_class = KnownCountPagination
    renderer_classes = SPREADSHEET_RENDERERS
    filter_backends = [DebtorFilterBackend, DebtorOrderingFilter]
    filterset_class = DebtorFilterSet
    ordering_fields = [
        "amount_owed",
        "name",
        "last_payment_date",
        "oldest_due_date",
        *BUCKETS,
    ]
    ordering = ["-amount_owed", "name"]
    queryset = Customer.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Customer.objects.none()
        # One clock for the whole request, so filters, rows and totals agree on "today".
        self.request.report_clock = self.clock = report_clock(business=business_of(self.request))
        return debtors_report(business=self.clock.business, clock=self.clock)

    def _totals(self, queryset) -> dict:
        filters = DebtorFilterSet.base_filters
        unfiltered = not any(self.request.query_params.get(name) for name in filters)
        return debtors_totals(queryset, clock=self.clock, unfiltered=unfiltered)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "clock": getattr(self, "clock", None)}

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        if wants_spreadsheet(request):
            return self._spreadsheet(request, queryset)
        totals = self._totals(queryset)
        self.paginator.known_count = totals["customers"]
        page = self.paginate_queryset(_rows(queryset))
        rows = self.get_serializer(page, many=True).data
        paginated = self.paginator.get_paginated_response(rows).data
        # The rows are already serialized; the page serializer documents this shape.
        body = {
            "count": paginated["count"],
            "next": paginated["next"],
            "previous": paginated["previous"],
            "as_of": self.clock.today.isoformat(),
            "totals": DebtorTotalsSerializer(totals).data,
            "results": rows,
        }
        return Response(body)

    def _spreadsheet(self, request, queryset):
        """The report as a spreadsheet, then its totals in the words of the back office:
        what is owed to the shop (with the age columns), the credit held, and the net."""
        business = self.clock.business
        today = self.clock.today.isoformat()
        sheet = Sheet(
            title=_("Debtors %(day)s") % {"day": today},
            rows=[[str(header) for header in CSV_HEADERS.values()]],
            totals=3,
        )
        context = self.get_serializer_context()
        for row in _rows(queryset).iterator(chunk_size=2000):
            data = dict(DebtorSerializer(row, context=context).data)
            data["currency"] = business.currency_code
            data["phone"] = display_phone(row["phone"], region=business.default_region)
            for column in MONEY_COLUMNS:
                data[column] = Decimal(data[column])
            for column in CSV_DATE_COLUMNS:
                moment = row[column]
                data[column] = moment and timezone.localdate(moment, business.zone)
            sheet.rows.append([data[column] for column in CSV_COLUMNS])
        totals = self._totals(queryset)
        owed = {
            "name": ngettext(
                "%(label)s (%(count)d customer with a balance)",
                "%(label)s (%(count)d customers with a balance)",
                totals["customers"],
            )
            % {"label": POSITION_WORDS["owed"], "count": totals["customers"]},
            "amount_owed": totals["owed"],
            **{name: totals[name] for name in BUCKETS},
        }
        # Credit held is negative in the balance column, so owed + credit = net there too.
        credit = {
            "name": str(POSITION_WORDS["credit_held"]),
            "amount_owed": -totals["credit_held"],
        }
        net = {"name": str(POSITION_WORDS["net"]), "amount_owed": totals["amount_owed"]}
        for total in (owed, credit, net):
            total = {**total, "currency": business.currency_code}
            sheet.rows.append(
                [
                    quantize(total[column])
                    if column in MONEY_COLUMNS and column in total
                    else total.get(column, "")
                    for column in CSV_COLUMNS
                ]
            )
        return spreadsheet_response(request, sheet, name=f"debtors-{today}")
