"""Factories for the medicine app."""

from datetime import date, timedelta
from decimal import Decimal

import factory
from django.db.models import F

from medicine.models import Lot, Medicine, Stock
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
        skip_postgeneration_save = True

    medicine = factory.SubFactory(MedicineFactory)
    # The storefront belongs to the medicine's business unless one is given.
    storefront = factory.SubFactory(
        StorefrontFactory, business=factory.SelfAttribute("..medicine.business")
    )
    quantity = 10

    @factory.post_generation
    def lot(stock, create, extracted, **kwargs):
        """The stock held as one lot without number or expiry (stock from before lots), so
        that the storefront's stock is the sum of its lots; `lot=False` leaves it out for a
        test that builds its lots itself."""
        if create and extracted is not False and stock.quantity:
            Lot.objects.create(
                medicine=stock.medicine, storefront=stock.storefront, quantity=stock.quantity
            )


class LotFactory(factory.django.DjangoModelFactory):
    """A dated lot; its quantity is added to the storefront's stock row, as receiving does."""

    class Meta:
        model = Lot

    medicine = factory.SubFactory(MedicineFactory)
    storefront = factory.SubFactory(
        StorefrontFactory, business=factory.SelfAttribute("..medicine.business")
    )
    lot_number = factory.Sequence(lambda n: f"L{n:05d}")
    expiry_date = factory.LazyFunction(lambda: date.today() + timedelta(days=365))
    quantity = 10

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        lot = super()._create(model_class, *args, **kwargs)
        row, _created = Stock.objects.get_or_create(
            medicine=lot.medicine, storefront=lot.storefront
        )
        Stock.objects.filter(pk=row.pk).update(quantity=F("quantity") + lot.quantity)
        return lot
