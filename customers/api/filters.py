"""`?search=`, the list filters and the ordering of the customer list."""

import django_filters
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from customers.models import Customer, CustomerType
from customers.selectors import SEARCH_RANK, customer_search_shortlist
from pos_project.filters import StrictFilterSet, StrictOrderingFilter
from pos_project.pagination import SEARCH_MATCH_LIMIT
from pos_project.tenancy import business_of


class ActiveChoice:
    # Who the list shows by the `is_active` filter; absent means ACTIVE.
    ACTIVE = "true"
    INACTIVE = "false"
    ALL = "all"
    CHOICES = [
        (ACTIVE, "Active customers only (the default)"),
        (INACTIVE, "Deactivated customers only"),
        (ALL, "Active and deactivated customers"),
    ]


ACTIVE_DESCRIPTION = (
    "Deactivated customers are hidden from the list and the search unless asked for: "
    "'true' (default) active only, 'false' deactivated only, 'all' both. "
    "Opening a customer by id works whatever its state."
)


@extend_schema_field(
    {
        "type": "string",
        "enum": [value for value, _ in ActiveChoice.CHOICES],
        "description": ACTIVE_DESCRIPTION,
    }
)
class ActiveChoiceFilter(django_filters.ChoiceFilter):
    """Declared as the strings it takes: the model field is a boolean, `all` is not."""


class CustomerFilterSet(StrictFilterSet):
    search = django_filters.CharFilter(
        method="filter_search",
        label=_(
            "Name (any part; case and accents ignored) or phone (any part, typed in any "
            "format: '0612', '06 12 34', '+212 612', '345678'). The best matches come first "
            "(a name, surname or number that starts with the query), unless `ordering` is "
            "given; `count` counts the matches up to 200 and `count_capped` says that more "
            "match."
        ),
    )
    is_active = ActiveChoiceFilter(
        choices=ActiveChoice.CHOICES,
        method="filter_is_active",
        empty_label=None,
        label=ACTIVE_DESCRIPTION,
    )
    customer_type = django_filters.ChoiceFilter(
        choices=CustomerType.choices, label="RETAIL or WHOLESALE."
    )
    has_balance = django_filters.BooleanFilter(
        method="filter_has_balance",
        label="true: owes the shop money (balance above 0); false: owes nothing.",
    )
    has_credit_limit = django_filters.BooleanFilter(
        field_name="credit_limit",
        lookup_expr="isnull",
        exclude=True,
        label="true: a credit limit is set (0 included); false: no limit.",
    )

    class Meta:
        model = Customer
        fields = ["search", "is_active", "customer_type", "has_balance", "has_credit_limit"]

    def filter_search(self, queryset, name, value):
        # Searched last, in `filter_queryset`: the shortlist is of what the other filters
        # leave.
        return queryset

    def filter_is_active(self, queryset, name, value):
        if value == ActiveChoice.ALL:
            return queryset
        return queryset.filter(is_active=value == ActiveChoice.ACTIVE)

    def filter_has_balance(self, queryset, name, value):
        owes = queryset.filter(outstanding_balance__gt=0)
        return owes if value else queryset.exclude(outstanding_balance__gt=0)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("is_active"):
            # The POS picks customers from this list: a deactivated one must not show up
            # there unless a manager asks for them.
            queryset = queryset.filter(is_active=True)
        query = self.form.cleaned_data.get("search")
        if query:
            # Every filter narrows the list first: the shortlist is of what the list shows.
            queryset = customer_search_shortlist(
                customers=queryset,
                query=query,
                region=business_of(self.request).default_region,
                limit=SEARCH_MATCH_LIMIT,
            )
        return queryset


class CustomerOrderingFilter(StrictOrderingFilter):
    """`?ordering=` over the whitelist, with customers who never bought always last; a
    search without `?ordering=` answers its best matches first (`SEARCH_RANK`).

    Databases disagree on where NULL sorts (first on PostgreSQL when descending, first on
    SQLite when ascending); by last purchase, never-bought customers are the least recent
    either way. The id breaks ties so that pages never repeat or skip a customer.
    """

    nullable_fields = frozenset({"last_purchase_date"})

    def filter_queryset(self, request, queryset, view):
        if SEARCH_RANK in queryset.query.annotations and not request.query_params.get(
            self.ordering_param
        ):
            # A search without `?ordering=`: the best matches first, then by name.
            return queryset.order_by(SEARCH_RANK, "search_name", "id")
        ordering = self.get_ordering(request, queryset, view)
        if not ordering:
            return queryset
        terms = []
        for term in ordering:
            descending = term.startswith("-")
            field = term.lstrip("-")
            nulls_last = True if field in self.nullable_fields else None
            expression = F(field)
            terms.append(
                expression.desc(nulls_last=nulls_last)
                if descending
                else expression.asc(nulls_last=nulls_last)
            )
        if not any(term.lstrip("-") == "id" for term in ordering):
            terms.append(F("id").asc())
        return queryset.order_by(*terms)
