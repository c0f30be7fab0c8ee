"""Medicines boxed in lots and sold from them, for the tests of what the receipt, the return
slip and their answers say of lots."""

from datetime import date

from pos_project.bidi import FIRST_STRONG_ISOLATE, POP_DIRECTIONAL_ISOLATE
from sales.models import Sale
from tests.factories.medicine import LotFactory, MedicineFactory, StockFactory
from tests.factories.sales import complete_sale

SOON, LATE = date(2030, 1, 20), date(2031, 6, 5)


def plain(text: str) -> str:
    return text.replace(FIRST_STRONG_ISOLATE, "").replace(POP_DIRECTIONAL_ISOLATE, "")


def sold(storefront, cashier, *lines) -> Sale:
    """A completed sale of `lines` ((medicine, units)), taken from the shelf as it stands."""
    return complete_sale(storefront=storefront, actor_user=cashier, lines=lines, stock=None)


def boxed(business, storefront, *lots, unnumbered=0):
    """A medicine on the shelf as `lots` ((number, expiry, units)) and stock without lot."""
    medicine = MedicineFactory(business=business)
    if unnumbered:
        StockFactory(medicine=medicine, storefront=storefront, quantity=unnumbered)
    for number, expiry, units in lots:
        LotFactory(
            medicine=medicine,
            storefront=storefront,
            lot_number=number,
            expiry_date=expiry,
            quantity=units,
        )
    return medicine
