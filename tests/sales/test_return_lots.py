"""The lots a return's units went back into: recorded per returned line in the return's own
transaction (the reverse of the order the sale took them), printed under each line of the
return slip as the receipt prints a sale's, given in the return's answers and shown on its
back-office page. A recall reaches a returned box through them."""

import uuid
from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from medicine.models import Lot, ReturnItemLot, SaleItemLot
from tests.factories.kernel import printed_in
from tests.factories.medicine import LotFactory, MedicineFactory
from tests.sales.conftest import sale_url
from tests.sales.lots import LATE, SOON, boxed, plain, sold

pytestmark = pytest.mark.django_db


def take_back(client, sale, *lines, status=201) -> dict:
    """A return of `lines` ((medicine, units) or (medicine, units, restock)) of `sale`."""
    items = {item.medicine_id: item for item in sale.items.all()}
    body = {
        "items": [
            {"item": str(items[line[0].pk].pk), "quantity": line[1], "restock": line[2]}
            if len(line) == 3
            else {"item": str(items[line[0].pk].pk), "quantity": line[1]}
            for line in lines
        ],
        "reason": "Wrong strength",
    }
    response = client.post(sale_url(sale, "sale-returns"), body, format="json")
    assert response.status_code == status, response.json()
    return response.json()


def lots_of(answer) -> list[list[tuple]]:
    return [
        [(lot["lot_number"], lot["expiry_date"], lot["quantity"]) for lot in line["lots"]]
        for line in answer["items"]
    ]


def on_shelf(medicine) -> dict:
    return dict(Lot.objects.filter(medicine=medicine).values_list("lot_number", "quantity"))


def recorded(answer) -> dict:
    """What the return recorded for its one line: lot number (None: without) to units."""
    return dict(
        ReturnItemLot.objects.filter(return_item_id=answer["items"][0]["id"]).values_list(
            "lot__lot_number", "quantity"
        )
    )


def slip_url(answer) -> str:
    return reverse("return-receipt", kwargs={"pk": answer["id"]})


def slip_page(client, answer) -> str:
    response = client.get(slip_url(answer), {"format": "html"})
    assert response.status_code == 200
    return plain(response.content.decode())


def test_a_line_that_took_two_lots_comes_back_into_both_the_last_taken_first(
    manager_client, business, storefront, cashier
):
    box = boxed(business, storefront, ("LATE1", LATE, 5), ("SOON1", SOON, 2))
    sale = sold(storefront, cashier, (box, 3))  # 2 of SOON1, then 1 of LATE1

    created = take_back(manager_client, sale, (box, 2))

    # Earliest expiry first, as the receipt lists them.
    assert lots_of(created) == [[("SOON1", "2030-01-20", 1), ("LATE1", "2031-06-05", 1)]]
    assert recorded(created) == {"SOON1": 1, "LATE1": 1}
    assert on_shelf(box) == {"SOON1": 1, "LATE1": 5}


def test_a_partial_return_then_the_rest_each_name_their_own_lots(
    manager_client, business, storefront, cashier
):
    box = boxed(business, storefront, ("LATE1", LATE, 5), ("SOON1", SOON, 2))
    sale = sold(storefront, cashier, (box, 3))

    first = take_back(manager_client, sale, (box, 1))
    rest = take_back(manager_client, sale, (box, 2))

    assert lots_of(first) == [[("LATE1", "2031-06-05", 1)]]
    assert lots_of(rest) == [[("SOON1", "2030-01-20", 2)]]
    assert on_shelf(box) == {"SOON1": 2, "LATE1": 5}
    shown = manager_client.get(reverse("return-detail", kwargs={"pk": first["id"]})).json()
    assert lots_of(shown) == lots_of(first)


def test_a_line_kept_off_the_shelf_names_the_lots_it_was_sold_from(
    manager_client, business, storefront, cashier
):
    box = boxed(business, storefront, ("LATE1", LATE, 5), ("SOON1", SOON, 2))
    sale = sold(storefront, cashier, (box, 3))

    created = take_back(manager_client, sale, (box, 2, False))

    assert lots_of(created) == [[("SOON1", "2030-01-20", 1), ("LATE1", "2031-06-05", 1)]]
    assert on_shelf(box) == {"SOON1": 0, "LATE1": 4}
    # Counted against the takes all the same: the next return matches what is left.
    rest = take_back(manager_client, sale, (box, 1))
    assert lots_of(rest) == [[("SOON1", "2030-01-20", 1)]]


def test_units_from_stock_without_a_lot_number_are_recorded_but_not_shown(
    manager_client, business, storefront, cashier
):
    box = boxed(business, storefront, ("B7", SOON, 2), unnumbered=4)
    sale = sold(storefront, cashier, (box, 3))  # 2 of B7, then 1 without a lot number

    created = take_back(manager_client, sale, (box, 3))

    assert recorded(created) == {None: 1, "B7": 2}
    assert lots_of(created) == [[("B7", "2030-01-20", 2)]]
    assert "2 x Lot B7 · exp. 01/2030" in slip_page(manager_client, created)


def test_units_sold_before_lots_were_tracked_go_into_the_lot_without_number(
    manager_client, business, storefront, cashier
):
    box = boxed(business, storefront, ("A1", SOON, 5))
    sale = sold(storefront, cashier, (box, 2))
    # A sale from before lots: it recorded no take.
    SaleItemLot.objects.filter(item__sale=sale).delete()

    created = take_back(manager_client, sale, (box, 2))

    assert recorded(created) == {None: 2}
    assert lots_of(created) == [[]]
    assert on_shelf(box) == {"A1": 3, None: 2}


@pytest.mark.parametrize(
    ("language", "printed"),
    [("en", "Lot A123 · exp. 03/2031"), ("fr", "Lot A123 · pér. 03/2031")],
)
def test_the_slip_prints_the_lot_and_its_expiry_under_the_line(
    manager_client, business, storefront, cashier, language, printed
):
    box = boxed(business, storefront, ("A123", date(2031, 3, 31), 10))
    sale = sold(storefront, cashier, (box, 3))
    created = take_back(manager_client, sale, (box, 2))
    printed_in(business, language)

    page = slip_page(manager_client, created)

    assert printed in page
    # One lot holds all of the line's units: no count before it.
    assert f"2 x {printed}" not in page


def test_the_slip_of_a_line_back_into_two_lots_prints_both_with_their_units(
    manager_client, business, storefront, cashier
):
    box = boxed(business, storefront, ("LATE1", LATE, 5), ("SOON1", SOON, 2))
    sale = sold(storefront, cashier, (box, 3))
    created = take_back(manager_client, sale, (box, 3))

    page = slip_page(manager_client, created)
    slip = manager_client.get(slip_url(created)).json()

    soon = page.index("2 x Lot SOON1 · exp. 01/2030")
    late = page.index("1 x Lot LATE1 · exp. 06/2031")
    assert soon < late  # earliest expiry first
    assert slip["lines"][0]["lots"] == [
        {"lot_number": "SOON1", "expiry_date": "2030-01-20", "quantity": 2},
        {"lot_number": "LATE1", "expiry_date": "2031-06-05", "quantity": 1},
    ]


def _cost(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries.captured_queries)


@pytest.mark.parametrize(
    ("page", "params"),
    [("return-detail", {}), ("return-receipt", {}), ("return-receipt", {"format": "html"})],
)
def test_lots_cost_one_statement_whatever_the_lines(
    manager_client, business, storefront, cashier, page, params
):
    def return_of(count):
        boxes = [
            boxed(business, storefront, (f"S{count}{n}", SOON, 1), (f"L{count}{n}", LATE, 5))
            for n in range(count)
        ]
        sale = sold(storefront, cashier, *((box, 2) for box in boxes))
        return take_back(manager_client, sale, *((box, 2) for box in boxes))

    one, five = return_of(1), return_of(5)

    def url(answer):
        return reverse(page, kwargs={"pk": answer["id"]})

    assert _cost(manager_client, url(five), **params) == _cost(manager_client, url(one), **params)
    assert [len(lots) for lots in lots_of(five)] == [2] * 5
    slip = manager_client.get(slip_url(five)).json()
    assert [len(line["lots"]) for line in slip["lines"]] == [2] * 5


def test_the_back_office_return_page_shows_each_lines_lots(
    manager_client, manager_admin, business, storefront, cashier
):
    box = boxed(business, storefront, ("LATE1", LATE, 5), ("SOON1", SOON, 2))
    sale = sold(storefront, cashier, (box, 3))
    created = take_back(manager_client, sale, (box, 3))

    page = manager_admin.get(reverse("admin:sales_return_change", args=[created["id"]]))

    assert page.status_code == 200
    text = plain(page.content.decode())
    assert "2 x Lot SOON1 · exp. 01/2030" in text
    assert "1 x Lot LATE1 · exp. 06/2031" in text


def test_lots_of_one_expiry_take_back_the_units_of_the_last_one_taken(
    manager_client, business, storefront, cashier
):
    # Two deliveries with the same expiry: the sale took the earlier one first (FEFO breaks
    # the tie by delivery), so a return goes into the later one, whatever order the
    # database lists the takes in (here the earlier lot's key sorts first).
    box = MedicineFactory(business=business)
    for key, number, received, units in ((1, "FIRST", 1, 2), (2, "SECOND", 2, 5)):
        LotFactory(
            id=uuid.UUID(int=key),
            medicine=box,
            storefront=storefront,
            lot_number=number,
            expiry_date=SOON,
            quantity=units,
            received_at=datetime(2026, 1, received, tzinfo=UTC),
        )
    sale = sold(storefront, cashier, (box, 3))  # 2 of FIRST, then 1 of SECOND

    created = take_back(manager_client, sale, (box, 1))

    assert recorded(created) == {"SECOND": 1}
    assert on_shelf(box) == {"FIRST": 0, "SECOND": 5}
