"""Selling lot by lot, through both checkouts: the earliest expiry first, never an expired
or recalled box, the stock from before lots last; returns and cancellations put units back
into the lots they came from."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from medicine.models import Lot, SaleItemLot, Stock
from tests.contracts import assert_error
from tests.factories.medicine import LotFactory, MedicineFactory, StockFactory

pytestmark = pytest.mark.django_db

TODAY = date.today()


@pytest.fixture
def box(business):
    return MedicineFactory(business=business, name="Augmentin", strength="1 g", form="Sachet")


def lot(box, storefront, number, days, quantity, **kwargs):
    return LotFactory(
        medicine=box,
        storefront=storefront,
        lot_number=number,
        expiry_date=TODAY + timedelta(days=days),
        quantity=quantity,
        **kwargs,
    )


def held(*lots) -> list[int]:
    return [Lot.objects.get(pk=one.pk).quantity for one in lots]


def refused(response, code: str) -> dict:
    body = assert_error(response, 409)
    assert body["code"] == code, body
    return body


def shelf(box, storefront) -> int:
    return Stock.objects.get(medicine=box, storefront=storefront).quantity


def test_a_sale_takes_the_earliest_expiry_first_and_a_line_may_span_lots(
    cashier_client, flow, box, storefront
):
    # given three dated lots received out of order, and stock from before lots
    late = lot(box, storefront, "LATE", 300, 5)
    soon = lot(box, storefront, "SOON", 20, 2)
    middle = lot(box, storefront, "MID", 100, 2)
    Stock.objects.filter(medicine=box).update(quantity=9 + 4)
    Lot.objects.create(medicine=box, storefront=storefront, quantity=4)

    # when a till sells 3
    response = flow.checkout(cashier_client, [(box, 3)], ("CASH", "100.00"))

    # then the soonest lot goes first, the line spans it and the next, and both are recorded
    assert response.status_code == flow.completed_status, response.json()
    assert held(soon, middle, late) == [0, 1, 5]
    assert shelf(box, storefront) == 10
    item = response.json()["items"][0]["id"]
    takes = SaleItemLot.objects.filter(item_id=item).values_list("lot__lot_number", "quantity")
    assert sorted(takes) == [
        ("MID", 1),
        ("SOON", 2),
    ]


def test_the_stock_from_before_lots_sells_after_every_dated_lot(
    cashier_client, flow, box, storefront
):
    StockFactory(medicine=box, storefront=storefront, quantity=5)  # stock without lot
    dated = lot(box, storefront, "A1", 400, 2)

    response = flow.checkout(cashier_client, [(box, 3)], ("CASH", "100.00"))

    assert response.status_code == flow.completed_status, response.json()
    assert held(dated) == [0]
    assert Lot.objects.get(medicine=box, lot_number=None).quantity == 4


def test_an_expired_box_is_never_sold_and_the_refusal_names_the_lots(
    cashier_client, flow, box, storefront
):
    # given 4 units expired yesterday and 1 good one
    expired = lot(box, storefront, "OLD-7", -1, 4)
    good = lot(box, storefront, "NEW-1", 60, 1)

    # when a till asks for 2
    response = flow.checkout(cashier_client, [(box, 2)], ("CASH", "100.00"))

    # then 409 stock_expired names the medicine, the lot and its date; nothing changed
    body = refused(response, "stock_expired")
    [shortage] = body["shortages"]
    assert (shortage["medicine"], shortage["requested"], shortage["available"]) == (
        str(box.pk),
        2,
        1,
    )
    assert shortage["lots"] == [
        {
            "id": str(expired.pk),
            "lot_number": "OLD-7",
            "expiry_date": (TODAY - timedelta(days=1)).isoformat(),
            "quantity": 4,
            "recalled": False,
        }
    ]
    assert "Augmentin 1 g, Sachet" in body["message"] and "OLD-7" in body["message"]
    assert held(expired, good) == [4, 1]
    assert shelf(box, storefront) == 5
    assert not SaleItemLot.objects.exists()
    flow.untouched()


def test_a_box_expiring_today_still_sells_today(cashier_client, flow, box, storefront, business):
    # the business's local date decides; a lot expiring on it still sells
    from medicine.shelf import local_today

    today = local_today(business)
    last_day = LotFactory(medicine=box, storefront=storefront, expiry_date=today, quantity=1)

    response = flow.checkout(cashier_client, [(box, 1)], ("CASH", "100.00"))

    assert response.status_code == flow.completed_status, response.json()
    assert held(last_day) == [0]


def test_a_recalled_lot_is_never_sold_and_the_next_lot_serves(
    cashier_client, manager_client, flow, box, storefront
):
    recalled = lot(box, storefront, "R-13", 30, 3)
    later = lot(box, storefront, "R-14", 90, 1)
    answer = manager_client.post(
        reverse("lot-recall", kwargs={"pk": recalled.pk}),
        {"reference": "AMMPS 2026-114", "date": TODAY.isoformat()},
        format="json",
    )
    assert answer.status_code == 200, answer.json()

    served = flow.checkout(cashier_client, [(box, 1)], ("CASH", "100.00"))
    assert served.status_code == flow.completed_status, served.json()
    assert held(recalled, later) == [3, 0]

    again = flow.checkout(cashier_client, [(box, 1)], ("CASH", "100.00"))
    body = refused(again, "stock_recalled")
    assert body["shortages"][0]["lots"][0]["recalled"] is True
    assert "R-13" in body["message"]
    assert held(recalled) == [3]


def test_more_than_the_shelf_holds_is_still_insufficient_stock(
    cashier_client, flow, box, storefront
):
    lot(box, storefront, "A", 30, 2)

    response = flow.checkout(cashier_client, [(box, 3)], ("CASH", "100.00"))

    body = refused(response, "insufficient_stock")
    assert body["shortages"][0]["available"] == 2


def test_a_return_goes_back_into_the_lots_the_units_came_from(
    cashier_client, manager_client, flow, box, storefront
):
    soon, late = lot(box, storefront, "S", 10, 2), lot(box, storefront, "L", 200, 5)
    sold = flow.checkout(cashier_client, [(box, 4)], ("CASH", "200.00")).json()
    assert held(soon, late) == [0, 3]

    # one unit comes back: into the lot the line took last; one more, damaged, stays off
    response = manager_client.post(
        reverse("sale-returns", kwargs={"pk": sold["id"]}),
        {
            "items": [{"item": sold["items"][0]["id"], "quantity": 1}],
            "reason": "Not needed",
            "refund_method": "CARD",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    damaged = manager_client.post(
        reverse("sale-returns", kwargs={"pk": sold["id"]}),
        {
            "items": [{"item": sold["items"][0]["id"], "quantity": 1, "restock": False}],
            "reason": "Box crushed",
            "refund_method": "CARD",
        },
        format="json",
    )
    assert damaged.status_code == 201, damaged.json()

    assert held(soon, late) == [0, 4]
    assert shelf(box, storefront) == 4
    came_back = dict(SaleItemLot.objects.values_list("lot__lot_number", "returned_quantity"))
    assert came_back == {"S": 0, "L": 2}


def test_a_cancelled_sale_puts_every_unit_back_into_its_lot(
    cashier_client, manager_client, flow, box, storefront
):
    soon, late = lot(box, storefront, "S", 10, 2), lot(box, storefront, "L", 200, 5)
    sold = flow.checkout(cashier_client, [(box, 3)], ("CASH", "100.00")).json()

    response = manager_client.post(
        reverse("sale-cancel", kwargs={"pk": sold["id"]}), {"reason": "Mistake"}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert held(soon, late) == [2, 5]
    assert shelf(box, storefront) == 7
    assert set(SaleItemLot.objects.values_list("quantity", "returned_quantity")) == {
        (2, 2),
        (1, 1),
    }
