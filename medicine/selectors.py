"""Reads of the catalogue that grow with it."""

from django.db.models import Prefetch, QuerySet

from medicine.models import Lot, Medicine, Stock
from pos_project.models import Business


def stock_with_storefront() -> QuerySet[Stock]:
    return Stock.objects.select_related("storefront").order_by("storefront__name", "pk")


def medicine_list(*, business: Business) -> QuerySet[Medicine]:
    """The business's medicines with their stock per storefront, in a fixed three queries.

    Reads show each storefront's stock, what of it sells today and its nearest expiry, and
    the total; prefetching the stock rows (with their storefront) and the lots holding
    units keeps a page of 200 as cheap as a page of 5.
    """
    return Medicine.objects.filter(business=business).prefetch_related(
        Prefetch("stocks", queryset=stock_with_storefront()),
        Prefetch("lots", queryset=Lot.objects.filter(quantity__gt=0)),
    )
