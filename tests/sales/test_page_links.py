"""The printable pages a front end opens: a return's `slip_url` and a till report's
`report_url` open without a token as a sale's `receipt_url` does, and each page is also an
operation of its own that answers `text/html` only, for clients generated from the schema."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.contracts import assert_error
from tests.factories.medicine import MedicineFactory
from tests.factories.sales import complete_sale
from tests.sales.conftest import sale_url
from tests.sales.test_tills_api import close, opened, session_url


@pytest.fixture
def sale(business, storefront, cashier, customer):
    box = MedicineFactory(business=business, prix_br=Decimal("30.00"), name="Doliprane 1g")
    return complete_sale(storefront=storefront, actor_user=cashier, lines=[(box, 2)])


def opened_without_token(anon_client, url):
    assert url.startswith("http://testserver/")
    return anon_client.get(url.removeprefix("http://testserver"))


def test_a_return_carries_a_slip_link_that_opens_without_a_token(manager_client, anon_client, sale):
    body = {"items": [{"item": str(sale.items.get().pk), "quantity": 1}], "reason": "Wrong"}
    created = manager_client.post(sale_url(sale, "sale-returns"), body, format="json").json()

    page = opened_without_token(anon_client, created["slip_url"])
    listed = manager_client.get(reverse("return-list")).json()["results"][0]

    assert page.status_code == 200
    assert page["Content-Type"] == "text/html; charset=utf-8"
    assert page["Cache-Control"] == "private, no-store"
    assert created["number"] in page.content.decode()
    assert opened_without_token(anon_client, listed["slip_url"]).status_code == 200


def test_a_till_report_carries_a_link_that_shows_what_the_report_shows(
    cashier_client, manager_client, anon_client, till
):
    session = opened(cashier_client, till, "150.00")
    blind = cashier_client.get(session_url(session, "till-session-report")).json()
    seen = manager_client.get(session_url(session, "till-session-report")).json()

    blind_page = opened_without_token(anon_client, blind["report_url"]).content.decode()
    seen_page = opened_without_token(anon_client, seen["report_url"]).content.decode()
    z_report = close(cashier_client, session, "150.00").json()
    z_page = opened_without_token(anon_client, z_report["report_url"])

    assert blind["blind"] and not seen["blind"]
    assert "Cash figures and expected cash are shown after the count" in blind_page
    assert "<td>Expected cash</td>" in seen_page
    assert z_page.status_code == 200 and z_report["z_number"] in z_page.content.decode()
    assert session["report"]["report_url"].startswith("http://testserver/")


def test_a_tampered_link_shows_nothing(anon_client, cashier_client, till):
    session = opened(cashier_client, till)
    url = session["report"]["report_url"]

    page = opened_without_token(anon_client, url[:-3] + "xyz/")

    assert page.status_code == 404
    assert "not valid" in page.content.decode()


def test_each_printable_page_is_an_operation_that_answers_html(
    cashier_client, manager_client, other_client, sale, till
):
    session = opened(cashier_client, till)
    body = {"items": [{"item": str(sale.items.get().pk), "quantity": 1}], "reason": "Wrong"}
    sale_return = manager_client.post(sale_url(sale, "sale-returns"), body, format="json").json()

    receipt = cashier_client.get(sale_url(sale, "sale-receipt-page"))
    slip = manager_client.get(reverse("return-receipt-page", kwargs={"pk": sale_return["id"]}))
    report = cashier_client.get(session_url(session, "till-session-report-page"))

    for page in (receipt, slip, report):
        assert page.status_code == 200
        assert page["Content-Type"] == "text/html; charset=utf-8"
    assert sale.receipt_number in receipt.content.decode()
    assert sale_return["number"] in slip.content.decode()
    assert "Cash figures and expected cash are shown after the count" in report.content.decode()
    assert_error(other_client.get(sale_url(sale, "sale-receipt-page")), 404)


def test_the_schema_declares_each_page_as_html_only(anon_client):
    paths = anon_client.get("/api/schema/?format=json").json()["paths"]

    for path in (
        "/sales/api/sales/{id}/receipt/page/",
        "/sales/api/returns/{id}/receipt/page/",
        "/sales/api/till-sessions/{id}/report/page/",
    ):
        responses = paths[path]["get"]["responses"]
        assert list(responses["200"]["content"]) == ["text/html"]
        assert list(responses["404"]["content"]) == ["application/json"]
