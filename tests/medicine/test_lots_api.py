"""Lots through the API: receiving, finding by number, adjusting, writing off, recalling,
the sales that took from a lot, and what the catalogue says a storefront may sell today."""

from datetime import date, timedelta

import pytest

from medicine.models import Lot, Stock
from tests.contracts import assert_audited, assert_error
from tests.factories.customers import CustomerFactory
from tests.factories.kernel import StorefrontFactory
from tests.factories.medicine import LotFactory, MedicineFactory, StockFactory
from tests.factories.sales import complete_sale
from tests.medicine.helpers import adjust_url, detail_url

pytestmark = pytest.mark.django_db

LOTS = "/medicine/api/lots/"
TODAY = date.today()


def receive(client, medicine, storefront, number="A123", days=200, quantity=10):
    body = {
        "medicine": str(medicine.pk),
        "storefront": str(storefront.pk),
        "lot_number": number,
        "expiry_date": (TODAY + timedelta(days=days)).isoformat(),
        "quantity": quantity,
    }
    return client.post(LOTS, body, format="json")


def on_shelf(medicine, storefront) -> int:
    return Stock.objects.get(medicine=medicine, storefront=storefront).quantity


@pytest.fixture
def box(business):
    return MedicineFactory(business=business, name="Clamoxyl")


def test_a_manager_receives_a_lot_and_the_shelf_holds_it(manager_client, manager, box, storefront):
    response = receive(manager_client, box, storefront, quantity=12)

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["lot_number"], body["quantity"], body["recalled"]) == ("A123", 12, False)
    assert body["expiry_date"] == (TODAY + timedelta(days=200)).isoformat()
    assert on_shelf(box, storefront) == 12
    entry = assert_audited("stock.lot_received", business=box.business)
    assert entry.user == manager and entry.event_data["quantity"] == 12


def test_more_of_a_lot_adds_to_it_and_another_expiry_is_a_409_naming_both(
    manager_client, box, storefront
):
    receive(manager_client, box, storefront, quantity=5)
    again = receive(manager_client, box, storefront, quantity=3)
    assert again.status_code == 201 and again.json()["quantity"] == 8

    body = assert_error(receive(manager_client, box, storefront, days=100), 409)
    assert body["code"] == "lot_expiry_mismatch"
    assert body["expiry_date"] == (TODAY + timedelta(days=200)).isoformat()
    assert body["sent_expiry_date"] == (TODAY + timedelta(days=100)).isoformat()
    assert on_shelf(box, storefront) == 8


def test_an_expiry_in_the_past_is_a_400_and_changes_nothing(manager_client, box, storefront):
    body = assert_error(receive(manager_client, box, storefront, days=-3), 400)
    assert body["code"] == "expiry_in_past"
    assert "expiry_date" in body["fields"]
    assert not Lot.objects.exists()


def test_a_cashier_reads_lots_but_cannot_receive(cashier_client, box, storefront):
    assert_error(receive(cashier_client, box, storefront), 403)
    assert cashier_client.get(LOTS).status_code == 200


def test_another_business_sees_none_of_it(manager_client, other_client, box, storefront):
    lot = receive(manager_client, box, storefront).json()
    assert other_client.get(LOTS).json()["count"] == 0
    assert_error(other_client.get(f"{LOTS}{lot['id']}/"), 404)
    assert_error(other_client.post(f"{LOTS}{lot['id']}/recall/", {}, format="json"), 404)


def test_a_lot_is_found_by_its_number_without_its_medicine(
    cashier_client, manager_client, business, box, storefront
):
    receive(manager_client, box, storefront, number="ZX-9")
    receive(manager_client, MedicineFactory(business=business), storefront, number="OTHER")

    found = cashier_client.get(LOTS, {"lot_number": "zx-9"}).json()

    assert [(lot["medicine"], lot["lot_number"]) for lot in found["results"]] == [
        (str(box.pk), "ZX-9")
    ]
    both = cashier_client.get(LOTS, {"medicine": str(box.pk), "lot_number": "ZX-9"}).json()
    assert both["count"] == 1


def test_a_lot_is_adjusted_with_a_reason_and_never_below_zero(manager_client, box, storefront):
    lot = receive(manager_client, box, storefront, quantity=6).json()
    url = f"{LOTS}{lot['id']}/adjust/"

    damaged = manager_client.post(
        url, {"quantity_delta": -2, "reason": "DAMAGED", "note": "crushed"}, format="json"
    )
    assert damaged.status_code == 200 and damaged.json()["quantity"] == 4
    assert on_shelf(box, storefront) == 4
    assert_audited("stock.lot_adjusted", business=box.business)

    body = assert_error(
        manager_client.post(url, {"quantity_delta": -5, "reason": "DAMAGED"}, format="json"), 400
    )
    assert body["on_hand"] == 4
    assert_error(
        manager_client.post(url, {"quantity_delta": 1, "reason": "LOST"}, format="json"), 400
    )
    assert on_shelf(box, storefront) == 4


def test_an_expired_lot_is_written_off_and_a_good_one_is_not(manager_client, box, storefront):
    expired = LotFactory(medicine=box, storefront=storefront, expiry_date=TODAY - timedelta(days=2))
    good = LotFactory(medicine=box, storefront=storefront, quantity=3)

    response = manager_client.post(
        f"{LOTS}{expired.pk}/write_off/", {"note": "Out of date"}, format="json"
    )

    assert response.status_code == 200 and response.json()["quantity"] == 0
    entry = assert_audited("stock.lot_written_off", business=box.business)
    assert entry.event_data["quantity_delta"] == -10
    body = assert_error(manager_client.post(f"{LOTS}{good.pk}/write_off/", {}, format="json"), 409)
    assert body["code"] == "lot_not_expired"
    assert on_shelf(box, storefront) == 3


def test_adjust_stock_without_lots_still_works(manager_client, box, storefront):
    soon = LotFactory(medicine=box, storefront=storefront, expiry_date=TODAY + timedelta(days=5))
    expired = LotFactory(medicine=box, storefront=storefront, expiry_date=TODAY - timedelta(days=5))

    added = manager_client.post(
        adjust_url(box),
        {"storefront": str(storefront.pk), "quantity_delta": 4, "reason": "Delivery"},
        format="json",
    )
    assert added.status_code == 200, added.json()
    assert Lot.objects.get(medicine=box, lot_number=None).quantity == 4

    # a removal comes out as a sale would take it: the soonest sellable lot first
    removed = manager_client.post(
        adjust_url(box),
        {"storefront": str(storefront.pk), "quantity_delta": -12, "reason": "Count"},
        format="json",
    )
    assert removed.status_code == 200, removed.json()
    soon.refresh_from_db()
    expired.refresh_from_db()
    assert (soon.quantity, expired.quantity) == (0, 10)
    assert Lot.objects.get(medicine=box, lot_number=None).quantity == 2
    assert on_shelf(box, storefront) == 12

    body = assert_error(
        manager_client.post(
            adjust_url(box),
            {"storefront": str(storefront.pk), "quantity_delta": -3, "reason": "Count"},
            format="json",
        ),
        400,
    )
    assert (body["sellable"], body["on_hand"]) == (2, 12)


def test_a_recall_reaches_every_storefront_and_lists_whom_to_call(
    manager_client, cashier, business, box, storefront
):
    # given a lot at two storefronts, sold to a known customer and to a walk-in
    annex = StorefrontFactory(business=business, name="Annex")
    lot = LotFactory(medicine=box, storefront=storefront, lot_number="B-77", quantity=5)
    LotFactory(
        medicine=box, storefront=annex, lot_number="B-77", quantity=4, expiry_date=lot.expiry_date
    )
    fatima = CustomerFactory(business=business, name="Fatima", phone="+212612345678")
    to_fatima = complete_sale(
        storefront=storefront, actor_user=cashier, lines=[(box, 2)], customer=fatima, stock=None
    )
    complete_sale(storefront=storefront, actor_user=cashier, lines=[(box, 1)], stock=None)

    # when a manager recalls it
    response = manager_client.post(
        f"{LOTS}{lot.pk}/recall/",
        {"reference": "AMMPS 2026-114", "date": TODAY.isoformat()},
        format="json",
    )

    # then both storefronts' lots are recalled, audited once, and the sales are listed
    assert response.status_code == 200, response.json()
    assert response.json()["recalled"] is True
    assert Lot.objects.filter(lot_number="B-77", recalled_at__isnull=False).count() == 2
    assert_audited("stock.lot_recalled", business=business)
    sales = manager_client.get(f"{LOTS}{lot.pk}/sales/").json()
    assert (sales["on_shelf"], sales["sold"], sales["recovered"]) == (6, 3, 0)
    rows = {row["receipt_number"]: row for row in sales["results"]}
    assert rows[to_fatima.receipt_number]["customer_name"] == "Fatima"
    assert rows[to_fatima.receipt_number]["customer_phone"] == "+212612345678"
    assert rows[to_fatima.receipt_number]["quantity"] == 2
    assert len(rows) == 2
    again = manager_client.post(
        f"{LOTS}{lot.pk}/recall/", {"reference": "again", "date": TODAY.isoformat()}, format="json"
    )
    assert assert_error(again, 409)["code"] == "lot_recalled"


def test_the_catalogue_gives_what_sells_today_and_the_nearest_expiry(
    cashier_client, box, storefront
):
    StockFactory(medicine=box, storefront=storefront, quantity=2)  # stock without lot
    LotFactory(medicine=box, storefront=storefront, expiry_date=TODAY - timedelta(days=1))
    LotFactory(
        medicine=box, storefront=storefront, expiry_date=TODAY + timedelta(days=40), quantity=3
    )
    LotFactory(
        medicine=box, storefront=storefront, expiry_date=TODAY + timedelta(days=90), quantity=1
    )

    [level] = cashier_client.get(detail_url(box)).json()["stock"]

    assert (level["quantity"], level["sellable"]) == (16, 6)
    assert level["nearest_expiry"] == (TODAY + timedelta(days=40)).isoformat()
