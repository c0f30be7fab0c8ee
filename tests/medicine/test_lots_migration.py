"""Stock from before lots becomes one lot without number or expiry per medicine and
storefront: a shop with sales, returns, a cancellation and adjustments migrates forward with
every shelf unchanged and `check_ledgers` clean, and back again likewise."""

from io import StringIO

import pytest
from django.core.management import call_command

from medicine.models import Lot, SaleItemLot, Stock
from medicine.services import stock_adjust
from pos_project.actors import Actor
from sales.services import sale_cancel, sale_return
from tests.factories.kernel import StorefrontFactory
from tests.factories.medicine import MedicineFactory
from tests.factories.sales import complete_sale
from tests.receivables.test_move_migration import migrate_to

BEFORE_LOTS = [("medicine", "0003_names_in_the_readers_language")]


def _shelves(model) -> dict:
    return {
        (row.medicine_id, row.storefront_id): row.quantity
        for row in model.objects.all()
        if row.quantity
    }


@pytest.mark.django_db(transaction=True)
def test_a_shop_with_sales_returns_and_adjustments_keeps_every_shelf(storefront, cashier, manager):
    # given a shop at two storefronts that sold, took back, cancelled and adjusted
    business = storefront.business
    annex = StorefrontFactory(business=business, name="Annex")
    doliprane, smecta, empty = MedicineFactory.create_batch(3, business=business)
    boss = Actor.for_user(manager)
    sold = complete_sale(
        storefront=storefront, actor_user=cashier, lines=[(doliprane, 4), (smecta, 2)], stock=20
    )
    sale_return(
        sale=sold,
        lines=[{"item": sold.items.get(medicine=smecta).pk, "quantity": 1}],
        reason="Wrong box",
        actor=boss,
    )
    cancelled = complete_sale(
        storefront=storefront, actor_user=cashier, lines=[(doliprane, 3)], stock=None
    )
    sale_cancel(sale=cancelled, reason="Mistake", actor=boss)
    for medicine, at, delta in ((doliprane, annex, 9), (smecta, storefront, -5), (empty, annex, 2)):
        stock_adjust(
            medicine=medicine, storefront=at, quantity_delta=delta, reason="Count", actor=boss
        )
    stock_adjust(medicine=empty, storefront=annex, quantity_delta=-2, reason="Count", actor=boss)
    # the database as it was before lots: each shelf one number
    old_apps = migrate_to(BEFORE_LOTS)
    before = _shelves(old_apps.get_model("medicine", "Stock"))
    assert before == {
        (doliprane.pk, storefront.pk): 16,
        (smecta.pk, storefront.pk): 14,
        (doliprane.pk, annex.pk): 9,
    }

    # when it migrates forward
    migrate_to()

    # then every shelf holds what it held, as one lot without number or expiry
    assert _shelves(Stock) == before
    assert {
        (lot.medicine_id, lot.storefront_id): lot.quantity for lot in Lot.objects.all()
    } == before
    assert not Lot.objects.exclude(lot_number=None).exists()
    assert not Lot.objects.exclude(expiry_date=None).exists()
    out = StringIO()
    call_command("check_ledgers", stdout=out)  # raises CommandError on any difference
    assert "Checked 4 stock rows against their lots" in out.getvalue()

    # and a return of a sale from before lots goes into the lot without number
    sale_return(
        sale=sold,
        lines=[{"item": sold.items.get(medicine=doliprane).pk, "quantity": 2}],
        reason="Not needed",
        actor=boss,
    )
    assert Lot.objects.get(medicine=doliprane, storefront=storefront).quantity == 18
    assert not SaleItemLot.objects.exists()

    # and migrating back leaves each shelf the sum of its lots
    old_apps = migrate_to(BEFORE_LOTS)
    assert _shelves(old_apps.get_model("medicine", "Stock")) == {
        **before,
        (doliprane.pk, storefront.pk): 18,
    }
    migrate_to()
