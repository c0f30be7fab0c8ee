"""Fixtures for the sales tests: a stocked catalogue, customers, and a DRAFT to ring up."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories.customers import CustomerFactory
from tests.factories.medicine import MedicineFactory, StockFactory
from tests.factories.sales import SaleFactory, SaleItemFactory, recompute
from tests.factories.tills import TillFactory
from tests.sales.flows import FLOWS


def sale_url(sale, name="sale-detail", **kwargs):
    return reverse(name, kwargs={"pk": sale.pk, **kwargs})


@pytest.fixture
def stocked(business, storefront):
    """make(price, wholesale=None, stock=100) -> a medicine of `business` on the shelf."""

    def make(prix_br="25.40", wholesale=None, stock=100, **kwargs):
        medicine = MedicineFactory(
            business=business,
            prix_br=Decimal(prix_br),
            wholesale_price=Decimal(wholesale) if wholesale is not None else None,
            **kwargs,
        )
        StockFactory(medicine=medicine, storefront=storefront, quantity=stock)
        return medicine

    return make


@pytest.fixture
def medicine(stocked):
    return stocked("25.40", wholesale="20.00")


@pytest.fixture
def customer(business):
    return CustomerFactory(business=business, name="Fred Amugi", credit_limit=Decimal("500.00"))


@pytest.fixture
def draft(business, storefront, cashier):
    return SaleFactory(business=business, storefront=storefront, created_by=cashier)


@pytest.fixture
def draft_with_items(cashier_client, draft, stocked):
    """A DRAFT with 2 x 25.40 and 1 x 10.00: total 60.80."""
    first, second = stocked("25.40"), stocked("10.00")
    for medicine, quantity in ((first, 2), (second, 1)):
        response = cashier_client.post(
            sale_url(draft, "sale-items"), {"medicine": str(medicine.pk), "quantity": quantity}
        )
        assert response.status_code == 201, response.json()
    draft.refresh_from_db()
    return draft


@pytest.fixture(params=["draft", "one_request"])
def flow(request, storefront):
    """The draft flow or the one-request checkout (tests.sales.flows): a rule test taking
    this fixture proves the rule holds for both."""
    return FLOWS[request.param](storefront=storefront)


@pytest.fixture
def cart(stocked):
    """2 x 25.40 and 1 x 10.00: total 60.80, as (medicine, quantity) lines."""
    return [(stocked("25.40"), 2), (stocked("10.00"), 1)]


@pytest.fixture
def till(storefront):
    return TillFactory(storefront=storefront, name="Till 1")


@pytest.fixture
def cash_control(business):
    """The business takes and gives back cash only through an open till session."""
    business.cash_control = True
    business.save(update_fields=["cash_control"])
    return business


@pytest.fixture
def ring_up(business, storefront, cashier):
    """ring_up(total, user=cashier) -> a DRAFT of `total` at Main, its stock on the shelf."""

    def make(total="60.00", user=None, at=None):
        at = at or storefront
        sale = SaleFactory(business=business, storefront=at, created_by=user or cashier)
        item = SaleItemFactory(sale=sale, unit_price=Decimal(total), quantity=1)
        item.medicine.prix_br = Decimal(total)
        item.medicine.save(update_fields=["prix_br"])
        StockFactory(medicine=item.medicine, storefront=at, quantity=10)
        return recompute(sale)

    return make
