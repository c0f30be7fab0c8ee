"""Shared bits of the medicine tests."""

from django.urls import reverse

from sales.models import Sale, SaleItem

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
