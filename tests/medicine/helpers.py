"""Shared bits of the medicine tests."""

from django.urls import reverse

from medicine.services import ShelfLine
from sales.models import Sale, SaleItem
from tests.factories.sales import SaleFactory, SaleItemFactory

LIST_URL = "/medicine/api/medicines/"


def detail_url(medicine) -> str:
    return reverse("medicine-detail", kwargs={"pk": medicine.pk})


def adjust_url(medicine) -> str:
    return reverse("medicine-adjust-stock", kwargs={"pk": medicine.pk})


def sell(medicine, storefront, user, quantity: int = 1) -> SaleItem:
    """A sale line referencing `medicine`, written straight to the tables."""
    sale = Sale.objects.create(business=medicine.business, storefront=storefront, created_by=user)
    return SaleItem.objects.create(
        sale=sale,
        medicine=medicine,
        medicine_name=medicine.name,
        unit_price=medicine.prix_br,
        quantity=quantity,
        line_total=medicine.prix_br * quantity,
    )


def sale_lines(storefront, quantities) -> list[ShelfLine]:
    """A DRAFT's lines of `quantities` (medicine to units), as the sale hands them to the
    shelf."""
    sale = SaleFactory(business=storefront.business, storefront=storefront)
    return [
        ShelfLine(
            item=SaleItemFactory(sale=sale, medicine=medicine, quantity=max(units, 1)).pk,
            medicine=medicine.pk,
            quantity=units,
        )
        for medicine, units in quantities.items()
    ]
