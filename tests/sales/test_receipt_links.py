"""A sale's signed `receipt_url`: the printable receipt for a till that opens it with
window.open, which sends no token."""

from decimal import Decimal

import pytest
from django.core import signing

from sales.receipt_links import RECEIPT_LINK_SALT
from tests.factories.medicine import MedicineFactory
from tests.factories.sales import complete_sale
from tests.sales.conftest import sale_url


@pytest.fixture
def sale(business, storefront, cashier, customer):
    medicine = MedicineFactory(business=business, prix_br=Decimal("30.00"))
    return complete_sale(
        storefront=storefront, actor_user=cashier, lines=[(medicine, 2)], customer=customer
    )


def opened(anon_client, url):
    return anon_client.get(url.removeprefix("http://testserver"))


def test_a_completed_sale_carries_a_link_that_opens_its_receipt_without_a_token(
    cashier_client, anon_client, sale
):
    detail = cashier_client.get(sale_url(sale)).json()
    assert detail["receipt_url"].startswith("http://testserver/")

    page = opened(anon_client, detail["receipt_url"])

    assert page.status_code == 200
    assert page["Content-Type"] == "text/html; charset=utf-8"
    assert sale.receipt_number in page.content.decode()
    assert page["Cache-Control"] == "private, no-store"


def test_completing_a_sale_answers_with_its_receipt_link(
    cashier_client, anon_client, draft_with_items
):
    assert cashier_client.get(sale_url(draft_with_items)).json()["receipt_url"] is None

    completed = cashier_client.post(
        sale_url(draft_with_items, "sale-complete"),
        {"payments": [{"method": "CASH", "amount": "60.80"}]},
        format="json",
    ).json()

    assert completed["status"] == "COMPLETED"
    assert opened(anon_client, completed["receipt_url"]).status_code == 200


def test_the_sales_list_carries_the_links_too(cashier_client, anon_client, sale, draft):
    rows = {row["id"]: row for row in cashier_client.get("/sales/api/sales/").json()["results"]}

    assert rows[str(draft.pk)]["receipt_url"] is None
    assert opened(anon_client, rows[str(sale.pk)]["receipt_url"]).status_code == 200


def test_a_tampered_link_is_a_plain_page_with_nothing_of_the_sale(
    cashier_client, anon_client, sale, customer
):
    link = cashier_client.get(sale_url(sale)).json()["receipt_url"]
    tampered = link[:-6] + ("A" if link[-6] != "A" else "B") + link[-5:]

    page = opened(anon_client, tampered)

    assert page.status_code == 404
    text = page.content.decode()
    assert "not valid" in text
    for secret in (sale.receipt_number, customer.name, "60.00", str(sale.pk)):
        assert secret not in text


def test_a_link_opens_only_the_receipt_it_was_signed_for(anon_client, sale, other_business):
    forged_business = signing.dumps(
        {"sale": str(sale.pk), "business": str(other_business.pk)}, salt=RECEIPT_LINK_SALT
    )
    other_purpose = signing.dumps({"sale": str(sale.pk), "business": str(sale.business_id)})

    for token in (forged_business, other_purpose):
        page = anon_client.get(f"/sales/api/receipts/{token}/")
        assert page.status_code == 404
        assert sale.receipt_number not in page.content.decode()


def test_an_expired_link_is_refused(cashier_client, anon_client, sale, settings):
    link = cashier_client.get(sale_url(sale)).json()["receipt_url"]
    settings.RECEIPT_LINK_MAX_AGE = -1

    page = opened(anon_client, link)

    assert page.status_code == 410
    assert "expired" in page.content.decode()
    assert sale.receipt_number not in page.content.decode()
