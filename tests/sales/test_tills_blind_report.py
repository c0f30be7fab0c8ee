"""The cashier's X report is blind: while the session is open it shows nothing the drawer's
expected cash could be added up from, as JSON, as the printable page and in the session
itself. The count of sales and the non-cash tenders stay; after the count the Z report
shows every figure."""

from decimal import Decimal

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from sales.till_report import BLIND_FIELDS
from tests.sales.test_tills_api import close, complete, move, opened, session_url

pytestmark = pytest.mark.django_db

CASH_TERMS = ["200.00", "150.00", "40.00", "20.00", "10.00", "25.00", "315.00", "215.50"]


@pytest.fixture
def busy_session(cashier_client, till, customer, ring_up):
    """A float of 200.00, cash, card, mobile and on-account sales, a cash debt payment, a
    pay-out and a pay-in: expected cash 315.00."""
    session = opened(cashier_client, till, "200.00")
    complete(cashier_client, ring_up("60.00"), ("CASH", "100.00"))  # 40.00 change
    complete(cashier_client, ring_up("45.50"), ("CARD", "45.50"))
    complete(cashier_client, ring_up("30.00"), ("MOBILE_MONEY", "30.00"))
    split = ring_up("80.00")
    split.customer = customer
    split.save(update_fields=["customer"])
    complete(cashier_client, split, ("CASH", "50.00"), ("ON_ACCOUNT", "30.00"))
    cashier_client.post(
        reverse("customer-record-payment", kwargs={"pk": customer.pk}),
        {"amount": "20.00", "method": "CASH"},
        format="json",
    )
    move(cashier_client, session, {"type": "PAY_OUT", "amount": "25.00", "reason": "Taxi"})
    move(cashier_client, session, {"type": "PAY_IN", "amount": "10.00", "reason": "Coins"})
    return session


def _field(report: dict, name: str):
    for part in name.split("."):
        report = report[part]
    return report


def test_a_cashiers_x_report_leaves_out_every_term_of_expected_cash(cashier_client, busy_session):
    report = cashier_client.get(session_url(busy_session, "till-session-report")).json()

    assert report["blind"] is True
    assert {name: _field(report, name) for name in BLIND_FIELDS} == dict.fromkeys(BLIND_FIELDS)
    # what stays: how many sales, and what did not go into the drawer
    assert report["sales"]["count"] == 4
    assert (report["tenders"]["card"], report["tenders"]["mobile_money"]) == ("45.50", "30.00")
    assert report["tenders"]["on_account"] == "30.00"
    assert report["debt_payments"]["card"] == "0.00"


def test_the_session_itself_is_blind_to_its_cashier(cashier_client, busy_session):
    session = cashier_client.get(session_url(busy_session)).json()

    assert session["opening_float"] is None
    assert session["movements"] == []
    assert session["report"]["blind"] is True
    assert session["report"]["pay_ins"] is None


def test_the_session_list_shows_a_cashier_no_float_until_the_count(
    cashier_client, manager_client, busy_session
):
    sessions = reverse("till-session-list")
    (blind,) = cashier_client.get(sessions).json()["results"]
    (whole,) = manager_client.get(sessions).json()["results"]
    close(cashier_client, busy_session, "315.00")
    (closed,) = cashier_client.get(sessions).json()["results"]

    assert (blind["opening_float"], whole["opening_float"]) == (None, "200.00")
    assert (closed["opening_float"], closed["expected_cash"]) == ("200.00", "315.00")


def test_the_printable_x_report_is_blind_alike(cashier_client, busy_session):
    response = cashier_client.get(
        session_url(busy_session, "till-session-report"), {"format": "html"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "shown after the count" in page
    assert [term for term in CASH_TERMS if term in page] == []
    assert "45.50" in page


def test_a_manager_sees_the_x_report_whole(manager_client, busy_session):
    report = manager_client.get(session_url(busy_session, "till-session-report")).json()

    assert report["blind"] is False
    assert report["expected_cash"] == "315.00"
    assert report["opening_float"] == "200.00"
    assert (report["pay_ins"], report["pay_outs"]) == ("10.00", "25.00")


def test_after_the_count_the_cashier_sees_the_z_report_whole(cashier_client, busy_session):
    closed = close(cashier_client, busy_session, "315.00")
    z_report = cashier_client.get(session_url(busy_session, "till-session-report")).json()
    page = cashier_client.get(
        session_url(busy_session, "till-session-report"), {"format": "html"}
    ).content.decode()

    assert closed.status_code == 200, closed.content
    assert z_report["blind"] is False
    assert None not in [_field(z_report, name) for name in BLIND_FIELDS]
    assert Decimal(z_report["expected_cash"]) == Decimal("315.00")
    assert [term for term in CASH_TERMS if term not in page] == []


def test_the_schema_names_what_a_blind_report_leaves_out():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    report = schema["components"]["schemas"]["TillReport"]["properties"]

    description = report["blind"]["description"]
    assert [name for name in BLIND_FIELDS if f"`{name}`" not in description] == []
    assert report["expected_cash"]["nullable"] is True
    assert report["pay_ins"]["nullable"] is True
