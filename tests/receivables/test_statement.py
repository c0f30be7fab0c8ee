"""The statement of account: from the API (JSON, HTML, signed link) and from the profile."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from pos_project.actors import Actor
from receivables.models import CustomerLedgerEntry
from receivables.services import customer_adjust_credit, customer_record_payment
from receivables.statements import EARLIEST_DAY, LATEST_DAY
from tests.conftest import admin_client_for
from tests.contracts import assert_error
from tests.factories.customers import CustomerFactory
from tests.receivables.test_receivables_service import sell_on_account

pytestmark = pytest.mark.django_db


def D(value) -> Decimal:
    return Decimal(value)


@pytest.fixture
def history(business, storefront, cashier, manager):
    """Chaïmae: 100.00 on account 40 days ago, then 60.00, a 50.00 payment, 5.00 of credit."""
    customer = CustomerFactory(business=business, name="Chaïmae Alami", phone="+212612345678")
    now = timezone.now()
    old = sell_on_account(
        storefront=storefront,
        user=cashier,
        customer=customer,
        amount="100.00",
        completed_at=now - timedelta(days=40),
    )
    CustomerLedgerEntry.objects.filter(sale=old).update(created_at=now - timedelta(days=40))
    sell_on_account(storefront=storefront, user=cashier, customer=customer, amount="60.00")
    actor = Actor.for_user(manager)
    customer_record_payment(customer=customer, amount=D("50.00"), method="CASH", actor=actor)
    customer_adjust_credit(
        customer=customer, type="add", amount=D("5.00"), reason="Goodwill", actor=actor
    )
    customer.refresh_from_db()
    return customer


def url(customer) -> str:
    return f"/customers/api/customers/{customer.pk}/statement/"


def test_the_json_statement_has_opening_lines_closing_and_ages(manager_client, history):
    body = manager_client.get(url(history)).json()

    assert body["opening_balance"] == "0.00"
    assert [D(entry["amount"]) for entry in body["entries"]] == [
        D("100.00"),
        D("60.00"),
        D("-50.00"),
        D("-5.00"),
    ]
    assert body["closing_balance"] == "105.00" == str(history.outstanding_balance)
    # The payment and the credit settled the oldest sale first.
    assert body["due_by_age"] == {
        "owed_0_30": "60.00",
        "owed_31_60": "45.00",
        "owed_61_90": "0.00",
        "owed_over_90": "0.00",
    }
    assert body["currency"] == "MAD"
    assert "/customers/api/statements/" in body["statement_url"]


def test_a_range_starts_from_the_balance_before_it(manager_client, history, business):
    today = timezone.localdate(timezone.now(), business.zone)
    since = (today - timedelta(days=10)).isoformat()

    body = manager_client.get(url(history), {"since": since}).json()

    assert body["opening_balance"] == "100.00"
    assert len(body["entries"]) == 3
    assert body["closing_balance"] == "105.00"
    assert D(body["opening_balance"]) + sum(D(e["amount"]) for e in body["entries"]) == D(
        body["closing_balance"]
    )


def test_the_html_statement_is_a_printable_a4_page(manager_client, history):
    response = manager_client.get(url(history), {"format": "html"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "size: A4" in page and "@media print" in page
    assert "Pharmacie" in page or history.business.name in page
    assert "Chaïmae Alami" in page and "0612-345678" in page
    assert re.search(r'id="opening-balance".*0\.00 DH', page)
    assert re.search(r'id="closing-balance".*105\.00 DH', page)
    assert "Amount due: 105.00 DH" in page
    assert 'id="how-to-pay"' in page
    # No back-office chrome: no admin header, no stylesheet from elsewhere, no script file.
    assert 'id="header"' not in page and "<link" not in page and "<script" not in page


def test_the_signed_link_opens_the_page_without_a_token(manager_client, anon_client, history):
    link = manager_client.get(url(history)).json()["statement_url"]

    response = anon_client.get(link)

    assert response.status_code == 200
    assert "Chaïmae Alami" in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"
    tampered = anon_client.get(link.rstrip("/")[:-3] + "xyz/")
    assert tampered.status_code == 404
    assert "Chaïmae" not in tampered.content.decode()


def test_bad_input_is_a_json_400(manager_client, history):
    for params in ({"format": "xml"}, {"since": "yesterday"}, {"format": "html", "since": "x"}):
        response = manager_client.get(url(history), params)
        assert_error(response, 400)
        assert response["Content-Type"].startswith("application/json")


def test_another_business_gets_a_404(other_client, history):
    assert_error(other_client.get(url(history)), 404)
    assert_error(other_client.get(url(history), {"format": "html"}), 404)


def test_the_profile_prints_the_statement_with_a_way_back(manager, history):
    client = admin_client_for(manager)
    profile = reverse("admin:customers_customer_change", args=[history.pk])
    statement = reverse("admin:customers_customer_statement", args=[history.pk])

    assert statement in client.get(profile).content.decode()
    page = client.get(statement).content.decode()
    assert f'href="{profile}" id="statement-back"' in page
    assert "Closing balance" in page and "105.00 DH" in page
    assert client.get(statement, {"since": "nonsense"}).status_code == 400


@pytest.mark.parametrize(
    "dates",
    [
        {"since": "0001-01-01"},
        {"until": "9999-12-31"},
        {"since": "0001-01-01", "until": "0001-01-02"},
        {"since": "1899-12-31"},
        {"until": "9001-01-01"},
    ],
)
def test_a_day_outside_the_statement_range_is_refused(manager, manager_client, history, dates):
    body = assert_error(manager_client.get(url(history), dates), 400)
    assert set(body["fields"]) == set(dates)
    assert_error(manager_client.get(url(history), {**dates, "format": "html"}), 400)

    statement = reverse("admin:customers_customer_statement", args=[history.pk])
    page = admin_client_for(manager).get(statement, dates)
    assert page.status_code == 400
    assert "1900-01-01" in page.content.decode() or "9000-12-31" in page.content.decode()


def test_the_first_and_last_days_of_the_range_are_accepted(manager, manager_client, history):
    dates = {"since": EARLIEST_DAY.isoformat(), "until": LATEST_DAY.isoformat()}

    assert manager_client.get(url(history), dates).status_code == 200
    statement = reverse("admin:customers_customer_statement", args=[history.pk])
    assert admin_client_for(manager).get(statement, dates).status_code == 200
