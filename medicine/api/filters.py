"""Search, filters and ordering for the catalogue list."""

import uuid

import django_filters
from django.db.models import Q

from medicine.models import Medicine
from pos_project.filters import StrictFilterSet, StrictOrderingFilter
from pos_project.models import Storefront
from pos_project.tenancy import business_of


def _business_storefronts(request):
    if request is None or not getattr(request.user, "is_authenticated", False):
        return Storefront.objects.none()
    return Storefront.objects.filter(business=business_of(request))


class MedicineFilter(StrictFilterSet):
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


class MedicineOrderingFilter(StrictOrderingFilter):
    """`?ordering=` over a whitelist, accepting `ppv` for `prix_br` as the API does elsewhere.

    The id breaks ties so that pages never repeat or skip a medicine of equal name or price.
    """

    aliases = {"ppv": "prix_br", "-ppv": "-prix_br"}

    def allowed_terms(self, view) -> list[str]:
        return [*super().allowed_terms(view), *self.aliases]

    def get_ordering(self, request, queryset, view):
        terms = super().get_ordering(request, queryset, view)
        ordering = [self.aliases.get(term, term) for term in terms]
        if any(term.lstrip("-") == "id" for term in ordering):
            return ordering
        return [*ordering, "id"]
