"""Search, filters and ordering for the catalogue list."""

import uuid

import django_filters
from django.db.models import Q
from rest_framework.filters import OrderingFilter

from medicine.models import Medicine
from pos_project.models import Storefront
from pos_project.tenancy import business_of


def _business_storefronts(request):
    if request is None or not getattr(request.user, "is_authenticated", False):
        return Storefront.objects.none()
    return Storefront.objects.filter(business=business_of(request))


class MedicineFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(
        method="filter_search",
        label="Name or generic name (contains, any case), or the exact barcode",
    )
    is_active = django_filters.BooleanFilter(label="Active (sold at the till) or not")
    # Limited to the caller's storefronts, so another business's id is "not a valid choice":
    # a 400 naming the field, and no hint that the storefront exists.
    in_stock_at = django_filters.ModelChoiceFilter(
        queryset=_business_storefronts,
        method="filter_in_stock_at",
        label="Only medicines with at least one unit at this storefront (id)",
    )

    class Meta:
        model = Medicine
        fields = ["search", "is_active", "in_stock_at"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        # A scanner sends the whole barcode, so it matches exactly; names match in part.
        return queryset.filter(
            Q(name__icontains=value) | Q(generic_name__icontains=value) | Q(barcode=value)
        )

    # Annotated with what the client sends (a storefront id) for the schema; by the time it
    # gets here the field has resolved it to one of the caller's storefronts.
    def filter_in_stock_at(self, queryset, name, value: uuid.UUID):
        # One condition on one join: at most one stock row per medicine and storefront, so
        # no duplicates.
        return queryset.filter(stocks__storefront=value, stocks__quantity__gt=0)


class MedicineOrderingFilter(OrderingFilter):
    """`?ordering=` over a whitelist, accepting `ppv` for `prix_br` as the API does elsewhere.

    The id breaks ties so that pages never repeat or skip a medicine of equal name or price.
    """

    aliases = {"ppv": "prix_br", "-ppv": "-prix_br"}
    ordering_description = (
        "Comma-separated: `name`, `prix_br` (or its alias `ppv`); prefix `-` to reverse."
    )

    def get_ordering(self, request, queryset, view):
        params = request.query_params.get(self.ordering_param)
        if params:
            fields = [self.aliases.get(term.strip(), term.strip()) for term in params.split(",")]
            ordering = self.remove_invalid_fields(queryset, fields, view, request)
            if ordering:
                return [*ordering, "id"]
        return self.get_default_ordering(view)
