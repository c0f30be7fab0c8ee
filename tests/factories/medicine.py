"""Factories for the medicine app."""

from decimal import Decimal

import factory

from medicine.models import Medicine, Stock
from tests.factories.kernel import BusinessFactory, StorefrontFactory


class MedicineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Medicine

    business = factory.SubFactory(BusinessFactory)
    name = factory.Sequence(lambda n: f"Medicine {n:04d}")
    generic_name = ""
    form = "Comprimé"
    strength = "500 mg"
    barcode = factory.Sequence(lambda n: f"6110000{n:06d}")
    prix_br = Decimal("25.40")
    wholesale_price = None
    is_active = True


class StockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stock

    medicine = factory.SubFactory(MedicineFactory)
    # The storefront belongs to the medicine's business unless one is given.
    storefront = factory.SubFactory(
        StorefrontFactory, business=factory.SelfAttribute("..medicine.business")
    )
    quantity = 10
