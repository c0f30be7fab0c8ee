"""The lots a sale took, where a customer and the shop read them: under each line of the
printed receipt (for a recall), in the sale's detail and receipt answers, and on the sale's
back-office page. The completion answers leave them out, to keep the checkout's budget."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pos_project.bidi import isolate
from tests.factories.kernel import printed_in
from tests.sales.conftest import sale_url
from tests.sales.lots import LATE, SOON, boxed, plain, sold

pytestmark = pytest.mark.django_db


def receipt_page(client, sale) -> str:
    response = client.get(sale_url(sale, "sale-receipt") + "?format=html")
    assert response.status_code == 200
    return plain(response.content.decode())


@pytest.mark.parametrize(
    ("language", "printed"),
    [("en", "Lot A123 · exp. 03/2031"), ("fr", "Lot A123 · pér. 03/2031")],
)
def test_the_receipt_prints_the_lot_and_its_expiry_under_the_line(
    cashier_client, business, storefront, cashier, language, printed
):
    box = boxed(business, storefront, ("A123", date(2031, 3, 31), 10))
    sale = sold(storefront, cashier, (box, 3))
    printed_in(business, language)

    page = receipt_page(cashier_client, sale)

    assert printed in page
    # One lot holds all of the line's units: no count before it.
    assert f"3 x {printed}" not in page


def test_a_line_spanning_two_lots_prints_both_with_their_units(
    cashier_client, business, storefront, cashier
):
    box = boxed(business, storefront, ("LATE1", LATE, 5), ("SOON1", SOON, 2))
    sale = sold(storefront, cashier, (box, 3))

    page = receipt_page(cashier_client, sale)

    soon = page.index("2 x Lot SOON1 · exp. 01/2030")
    late = page.index("1 x Lot LATE1 · exp. 06/2031")
    assert soon < late  # earliest expiry first, as they were taken


def test_stock_without_a_lot_number_prints_nothing_and_a_part_of_a_line_says_how_many(
    cashier_client, business, storefront, cashier
):
    untracked = boxed(business, storefront, unnumbered=10)
    partly = boxed(business, storefront, ("B7", SOON, 2), unnumbered=10)
    sale = sold(storefront, cashier, (untracked, 1), (partly, 3))

    page = receipt_page(cashier_client, sale)

    assert page.count("Lot ") == 1
    assert "2 x Lot B7 · exp. 01/2030" in page


def test_the_arabic_receipt_keeps_the_lot_and_its_date_left_to_right(
    cashier_client, business, storefront, cashier
):
    box = boxed(business, storefront, ("A123", date(2031, 3, 31), 10))
    sale = sold(storefront, cashier, (box, 1))
    printed_in(business, "ar")

    response = cashier_client.get(sale_url(sale, "sale-receipt") + "?format=html")
    page = response.content.decode()

    assert '<html lang="ar" dir="rtl">' in page
    assert f"الدفعة {isolate('A123')} · صالح حتى {isolate('03/2031')}" in page


def test_the_sale_detail_and_the_receipt_answer_each_lines_lots(
    cashier_client, business, storefront, cashier
):
    box = boxed(business, storefront, ("LATE1", LATE, 5), ("SOON1", SOON, 2), unnumbered=4)
    untracked = boxed(business, storefront, unnumbered=3)
    sale = sold(storefront, cashier, (box, 3), (untracked, 1))
    expected = [
        {"lot_number": "SOON1", "expiry_date": "2030-01-20", "quantity": 2},
        {"lot_number": "LATE1", "expiry_date": "2031-06-05", "quantity": 1},
    ]

    detail = cashier_client.get(sale_url(sale)).json()
    receipt = cashier_client.get(sale_url(sale, "sale-receipt")).json()

    assert [line["lots"] for line in detail["items"]] == [expected, []]
    assert [line["lots"] for line in receipt["lines"]] == [expected, []]


def test_a_drafts_lines_have_no_lots_yet(cashier_client, draft_with_items):
    body = cashier_client.get(sale_url(draft_with_items)).json()

    assert [line["lots"] for line in body["items"]] == [[], []]


def test_the_completion_answers_leave_the_lots_out(cashier_client, flow, business, storefront):
    box = boxed(business, storefront, ("A123", SOON, 10))

    response = flow.checkout(cashier_client, [(box, 2)], ("CASH", "100.00"))

    assert response.status_code == flow.completed_status, response.json()
    line = response.json()["items"][0]
    assert line["quantity"] == 2 and "lots" not in line
    shown = cashier_client.get(f"/sales/api/sales/{response.json()['id']}/").json()
    assert shown["items"][0]["lots"][0]["lot_number"] == "A123"


def _cost(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


@pytest.mark.parametrize("page", ["sale-detail", "sale-receipt"])
def test_lots_cost_one_statement_whatever_the_lines(
    cashier_client, business, storefront, cashier, page
):
    def sale_of(count):
        boxes = [
            boxed(business, storefront, (f"S{count}{n}", SOON, 1), (f"L{count}{n}", LATE, 5))
            for n in range(count)
        ]
        return sold(storefront, cashier, *((box, 2) for box in boxes))

    one, five = sale_of(1), sale_of(5)

    assert _cost(cashier_client, sale_url(five, page)) == _cost(cashier_client, sale_url(one, page))
    body = cashier_client.get(sale_url(five, page)).json()
    lines = body.get("items") or body["lines"]
    assert [len(line["lots"]) for line in lines] == [2] * 5


def test_the_back_office_sale_page_shows_each_lines_lots(
    manager_admin, business, storefront, cashier
):
    box = boxed(business, storefront, ("LATE1", LATE, 5), ("SOON1", SOON, 2))
    sale = sold(storefront, cashier, (box, 3))

    page = manager_admin.get(reverse("admin:sales_sale_change", args=[sale.pk]))

    assert page.status_code == 200
    text = plain(page.content.decode())
    assert "2 x Lot SOON1 · exp. 01/2030" in text
    assert "1 x Lot LATE1 · exp. 06/2031" in text
