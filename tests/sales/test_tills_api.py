"""Tills and their sessions through the API, as the POS and a manager use them: opening with
a float, cash movements, the blind X report, the close and its Z report, and the money of
sales, cancellations and debt payments going into the caller's open session."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditLog
from medicine.models import Stock
from pos_project.actors import Actor
from pos_project.models import Business
from receivables.models import CustomerPayment
from sales.models import CashMovement, Sale, SaleStatus, TillSession, TillSessionStatus
from sales.services.tills import till_cash_move, till_session_open
from tests.conftest import client_for
from tests.contracts import assert_audited, assert_error, assert_flat_queries
from tests.factories.kernel import StaffMemberFactory, StorefrontFactory
from tests.factories.sales import complete_sale
from tests.factories.tills import TillFactory
from tests.sales.conftest import sale_url

TILLS = reverse("till-list")
SESSIONS = reverse("till-session-list")


def till_url(till, name="till-detail"):
    return reverse(name, kwargs={"pk": till.pk})


def session_url(session, name="till-session-detail"):
    pk = session["id"] if isinstance(session, dict) else session.pk
    return reverse(name, kwargs={"pk": pk})


def open_session(client, till, opening_float="200.00", **headers):
    return client.post(
        till_url(till, "till-open"), {"opening_float": opening_float}, format="json", **headers
    )


def opened(client, till, opening_float="200.00") -> dict:
    response = open_session(client, till, opening_float)
    assert response.status_code == 201, response.content
    return response.json()


def complete(client, sale, *payments, **headers):
    return client.post(
        sale_url(sale, "sale-complete"),
        {"payments": [{"method": m, "amount": a} for m, a in payments]},
        format="json",
        **headers,
    )


# --- tills --------------------------------------------------------------------------------


def test_everyone_lists_the_tills_of_their_business_only(cashier_client, till, other_storefront):
    TillFactory(storefront=other_storefront)

    body = cashier_client.get(TILLS).json()

    assert [row["name"] for row in body["results"]] == ["Till 1"]
    assert body["results"][0]["storefront_name"] == "Main"


def test_managers_set_up_tills_and_cashiers_may_not(manager_client, cashier_client, storefront):
    body = {"storefront": str(storefront.pk), "name": "Till 2"}

    assert_error(cashier_client.post(TILLS, body, format="json"), 403)
    created = manager_client.post(TILLS, body, format="json")

    assert created.status_code == 201, created.content
    assert created.json()["name"] == "Till 2"
    assert_audited("till.created")
    assert_error(manager_client.post(TILLS, body, format="json"), 400)


def test_a_till_of_another_storefront_business_is_refused(manager_client, other_storefront):
    response = manager_client.post(
        TILLS, {"storefront": str(other_storefront.pk), "name": "X"}, format="json"
    )

    assert_error(response, 400)


def test_a_till_with_an_open_session_cannot_be_deactivated(manager_client, cashier_client, till):
    opened(cashier_client, till)

    response = manager_client.patch(till_url(till), {"is_active": False}, format="json")

    assert assert_error(response, 409)["code"] == "till_has_open_session"
    till.refresh_from_db()
    assert till.is_active


# --- opening ------------------------------------------------------------------------------


def test_a_cashier_opens_a_till_with_a_float(cashier_client, cashier, till):
    response = open_session(cashier_client, till, "200.00")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "OPEN"
    assert body["opened_by"] == cashier.pk
    assert body["till_name"] == "Till 1"
    assert body["report"]["kind"] == "X"
    # A blind count: the cashier sees neither what the drawer should hold nor its float.
    assert body["report"]["blind"] is True
    assert body["report"]["expected_cash"] is None
    assert body["opening_float"] is None
    assert TillSession.objects.get(pk=body["id"]).opening_float == Decimal("200.00")
    entry = assert_audited("till.opened")
    assert entry.event_data["opening_float"] == "200.00"


def test_a_till_already_open_is_a_409_for_someone_else(cashier_client, manager_client, till):
    opened(cashier_client, till)

    body = assert_error(open_session(manager_client, till), 409)

    assert body["code"] == "till_already_open"
    assert TillSession.objects.count() == 1


def test_one_person_holds_one_open_session(cashier_client, till, storefront):
    opened(cashier_client, till)
    second = TillFactory(storefront=storefront, name="Till 2")

    body = assert_error(open_session(cashier_client, second), 409)

    assert body["code"] == "user_has_open_session"


@pytest.mark.parametrize("opening_float", ["-5.00", "-0.01", "abc", "1.234", "", None])
def test_a_bad_float_is_a_400_and_opens_nothing(cashier_client, till, opening_float):
    response = open_session(cashier_client, till, opening_float)

    assert_error(response, 400)
    assert not TillSession.objects.exists()


@pytest.mark.parametrize("opening_float", ["0", "0.00"])
def test_a_drawer_may_open_empty(cashier_client, manager_client, till, opening_float):
    session = opened(cashier_client, till, opening_float)

    # The cashier counts blind; a manager reads the float the drawer opened with.
    seen = manager_client.get(session_url(session, "till-session-detail")).json()
    assert seen["opening_float"] == "0.00"
    assert TillSession.objects.get().opening_float == Decimal("0.00")


def test_another_business_till_is_not_found(other_client, till):
    assert_error(open_session(other_client, till), 404)


def test_an_inactive_till_cannot_be_opened(cashier_client, till):
    till.is_active = False
    till.save()

    assert assert_error(open_session(cashier_client, till), 409)["code"] == "till_inactive"


def test_opening_with_the_same_key_opens_once(cashier_client, till):
    first = open_session(cashier_client, till, HTTP_IDEMPOTENCY_KEY="open-1")
    again = open_session(cashier_client, till, HTTP_IDEMPOTENCY_KEY="open-1")

    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert TillSession.objects.count() == 1


# --- cash movements -----------------------------------------------------------------------


def move(client, session, body, **headers):
    return client.post(
        session_url(session, "till-session-cash-movement"), body, format="json", **headers
    )


def test_a_pay_out_with_a_reason(cashier_client, till):
    session = opened(cashier_client, till)

    response = move(
        cashier_client, session, {"type": "PAY_OUT", "amount": "50.00", "reason": "Supplier"}
    )

    assert response.status_code == 201, response.content
    assert response.json()["amount"] == "50.00"
    entry = assert_audited("till.cash_moved")
    assert entry.event_data["type"] == "PAY_OUT"


@pytest.mark.parametrize(
    "body",
    [
        {"type": "PAY_OUT", "amount": "50.00"},
        {"type": "PAY_OUT", "amount": "50.00", "reason": "   "},
        {"type": "PAY_OUT", "amount": "0", "reason": "x"},
        {"type": "PAY_IN", "amount": "-5.00", "reason": "x"},
        {"type": "PAY_IN", "amount": "5.001", "reason": "x"},
        {"type": "REFUND", "amount": "5.00", "reason": "x"},
        {"type": "PAY_IN", "amount": "5.00", "reason": "x", "extra": 1},
    ],
)
def test_a_bad_movement_is_a_400_and_moves_nothing(cashier_client, till, body):
    session = opened(cashier_client, till)

    assert_error(move(cashier_client, session, body), 400)
    assert not CashMovement.objects.exists()


def test_a_movement_sent_twice_with_its_key_moves_once(cashier_client, till):
    session = opened(cashier_client, till)
    body = {"type": "PAY_IN", "amount": "20.00", "reason": "Change from the bank"}

    first = move(cashier_client, session, body, HTTP_IDEMPOTENCY_KEY="move-1")
    again = move(cashier_client, session, body, HTTP_IDEMPOTENCY_KEY="move-1")

    assert first.status_code == again.status_code == 201
    assert CashMovement.objects.count() == 1


# --- closing ------------------------------------------------------------------------------


def close(client, session, counted="200.00", **headers):
    return client.post(
        session_url(session, "till-session-close"),
        {"counted_cash": counted, "note": "end of day"},
        format="json",
        **headers,
    )


def test_closing_stores_the_z_report(cashier_client, till):
    session = opened(cashier_client, till)

    response = close(cashier_client, session, "195.50")

    assert response.status_code == 200, response.content
    report = response.json()
    assert report["kind"] == "Z"
    assert report["z_number"] == "Z-000001"
    assert report["expected_cash"] == "200.00"
    assert report["counted_cash"] == "195.50"
    assert report["variance"] == "-4.50"
    stored = TillSession.objects.get()
    assert stored.status == TillSessionStatus.CLOSED
    assert stored.variance == Decimal("-4.50")
    entry = assert_audited("till.closed")
    assert (entry.event_data["expected_cash"], entry.event_data["counted_cash"]) == (
        "200.00",
        "195.50",
    )
    assert entry.event_data["variance"] == "-4.50"


def test_z_numbers_are_sequential_per_business(cashier_client, manager_client, till, storefront):
    first = opened(cashier_client, till)
    close(cashier_client, first)
    second = opened(manager_client, TillFactory(storefront=storefront, name="Till 2"))

    assert close(manager_client, second).json()["z_number"] == "Z-000002"


def test_closing_twice_is_a_409(cashier_client, till):
    session = opened(cashier_client, till)
    close(cashier_client, session)

    body = assert_error(close(cashier_client, session, "10.00"), 409)

    assert body["code"] == "till_session_closed"
    assert TillSession.objects.get().counted_cash == Decimal("200.00")


def test_a_close_retried_with_its_key_closes_once(cashier_client, till):
    session = opened(cashier_client, till)

    first = close(cashier_client, session, HTTP_IDEMPOTENCY_KEY="close-1")
    again = close(cashier_client, session, HTTP_IDEMPOTENCY_KEY="close-1")

    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert AuditLog.objects.filter(event_type="till.closed").count() == 1


@pytest.mark.parametrize("counted", ["812.405", "-1.00", "abc", ""])
def test_a_bad_count_is_a_400_and_closes_nothing(cashier_client, till, counted):
    session = opened(cashier_client, till)

    assert_error(close(cashier_client, session, counted), 400)
    assert TillSession.objects.get().status == TillSessionStatus.OPEN


def test_another_business_cannot_close_a_session(cashier_client, other_client, till):
    session = opened(cashier_client, till)

    assert_error(close(other_client, session), 404)
    assert TillSession.objects.get().status == TillSessionStatus.OPEN


def test_a_cashier_cannot_close_someone_elses_session(cashier_client, business, till):
    session = opened(cashier_client, till)
    colleague = client_for(StaffMemberFactory(business=business).user)

    assert_error(close(colleague, session), 404)
    assert TillSession.objects.get().status == TillSessionStatus.OPEN


def test_a_manager_closes_a_session_a_cashier_left_open(cashier_client, manager_client, till):
    session = opened(cashier_client, till)

    response = close(manager_client, session, "200.00")

    assert response.status_code == 200
    assert response.json()["closed_by"]


# --- listing ------------------------------------------------------------------------------


def test_a_cashier_lists_their_own_sessions_and_managers_all(
    cashier_client, manager_client, business, storefront, till
):
    opened(cashier_client, till)
    opened(manager_client, TillFactory(storefront=storefront, name="Till 2"))

    mine = cashier_client.get(SESSIONS).json()
    everyone = manager_client.get(SESSIONS).json()
    open_at_till = manager_client.get(SESSIONS, {"till": str(till.pk), "status": "OPEN"}).json()

    assert mine["count"] == 1
    assert everyone["count"] == 2
    assert open_at_till["count"] == 1
    assert_error(manager_client.get(SESSIONS, {"status": "HALF"}), 400)


# --- money going into the session ---------------------------------------------------------


def test_a_sale_goes_into_the_callers_open_session(cashier_client, till, ring_up):
    session = opened(cashier_client, till)
    sale = ring_up("60.00")

    response = complete(cashier_client, sale, ("CASH", "100.00"))

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["till_session"] == session["id"]
    assert body["payments"][0]["till_session"] == session["id"]
    listed = cashier_client.get(reverse("sale-list")).json()["results"][0]
    assert listed["till_session"] == session["id"]


def test_with_cash_control_off_a_cash_sale_needs_no_session(cashier_client, ring_up):
    response = complete(cashier_client, ring_up("60.00"), ("CASH", "60.00"))

    assert response.status_code == 200
    assert response.json()["till_session"] is None


def test_with_cash_control_cash_without_a_session_is_a_409_and_nothing_changes(
    cash_control, cashier_client, ring_up, storefront
):
    sale = ring_up("60.00")

    body = assert_error(complete(cashier_client, sale, ("CASH", "60.00")), 409)

    assert body["code"] == "till_session_required"
    assert body["storefront"] == str(storefront.pk)
    assert "Main" in body["message"]
    sale.refresh_from_db()
    assert sale.status == SaleStatus.DRAFT
    assert Stock.objects.get().quantity == 10
    assert not AuditLog.objects.filter(event_type="sale.completed").exists()


def test_with_cash_control_a_session_at_another_storefront_does_not_take_the_cash(
    cash_control, cashier_client, business, ring_up
):
    elsewhere = StorefrontFactory(business=business, name="Annex")
    opened(cashier_client, TillFactory(storefront=elsewhere))

    body = assert_error(complete(cashier_client, ring_up("60.00"), ("CASH", "60.00")), 409)

    assert body["code"] == "till_session_required"


def test_with_cash_control_a_card_sale_needs_no_drawer(cash_control, cashier_client, ring_up):
    response = complete(cashier_client, ring_up("60.00"), ("CARD", "60.00"))

    assert response.status_code == 200
    assert response.json()["till_session"] is None


def test_cash_debt_payments_go_into_the_recorders_session(
    cash_control, cashier_client, cashier, customer, storefront, till
):
    complete_sale(storefront=storefront, actor_user=cashier, customer=customer, on_account=True)
    pay = reverse("customer-record-payment", kwargs={"pk": customer.pk})

    refused = cashier_client.post(pay, {"amount": "10.00", "method": "CASH"}, format="json")
    card = cashier_client.post(pay, {"amount": "5.00", "method": "CARD"}, format="json")
    session = opened(cashier_client, till)
    cash = cashier_client.post(pay, {"amount": "10.00", "method": "CASH"}, format="json")

    assert assert_error(refused, 409)["code"] == "till_session_required"
    assert card.status_code == 201 and card.json()["till_session"] is None
    assert cash.status_code == 201, cash.content
    assert cash.json()["till_session"] == session["id"]
    assert CustomerPayment.objects.count() == 2


def test_cancelling_a_cash_sale_gives_the_cash_back_from_the_managers_session(
    cash_control, cashier_client, manager_client, till, storefront, ring_up
):
    opened(cashier_client, till)
    sale = ring_up("60.00")
    complete(cashier_client, sale, ("CASH", "100.00"))
    cancel_url = sale_url(sale, "sale-cancel")

    refused = manager_client.post(cancel_url, {"reason": "Wrong item"}, format="json")
    manager_session = opened(manager_client, TillFactory(storefront=storefront, name="Till 2"))
    cancelled = manager_client.post(cancel_url, {"reason": "Wrong item"}, format="json")

    assert assert_error(refused, 409)["code"] == "till_session_required"
    assert cancelled.status_code == 200, cancelled.content
    assert cancelled.json()["cancellation_till_session"] == manager_session["id"]
    report = manager_client.get(session_url(manager_session, "till-session-report")).json()
    assert report["refunds"]["cash"] == "60.00"
    assert report["expected_cash"] == "140.00"


# --- the report -----------------------------------------------------------------------------

TOTALS = ["sales", "tenders", "change_given", "debt_payments", "refunds", "pay_ins", "pay_outs"]


def totals_of(report: dict) -> dict:
    return {key: report[key] for key in [*TOTALS, "opening_float", "expected_cash"]}


def test_a_day_at_the_till_adds_up(
    cashier_client, manager_client, cashier, till, customer, storefront, ring_up
):
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

    blind = cashier_client.get(session_url(session, "till-session-report")).json()
    x_report = manager_client.get(session_url(session, "till-session-report")).json()
    z_report = close(cashier_client, session, "350.00").json()

    assert blind["expected_cash"] is None
    # 200 + (100 + 50) - 40 + 20 + 10 - 25
    assert x_report["expected_cash"] == "315.00"
    assert x_report["sales"] == {
        "count": 4,
        "gross": "215.50",
        "discounts": "0.00",
        "net": "215.50",
    }
    assert x_report["tenders"] == {
        "cash": "150.00",
        "card": "45.50",
        "mobile_money": "30.00",
        "on_account": "30.00",
    }
    assert x_report["change_given"] == "40.00"
    assert x_report["debt_payments"]["cash"] == "20.00"
    assert (x_report["pay_ins"], x_report["pay_outs"]) == ("10.00", "25.00")
    assert z_report["expected_cash"] == "315.00"
    assert z_report["variance"] == "35.00"
    # The Z report stores exactly the figures the X report showed just before the count.
    assert totals_of(z_report) == totals_of(x_report)


def test_the_report_prints_as_an_80mm_page(cashier_client, till):
    session = opened(cashier_client, till)
    close(cashier_client, session, "200.00")

    response = cashier_client.get(session_url(session, "till-session-report") + "?format=html")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "80mm" in page
    assert "Z report Z-000001" in page
    assert "Expected cash" in page


def test_an_unknown_report_format_is_a_json_400(cashier_client, till):
    session = opened(cashier_client, till)

    response = cashier_client.get(session_url(session, "till-session-report") + "?format=pdf")

    assert_error(response, 400)


# --- settings, query count ----------------------------------------------------------------


def test_me_shows_cash_control(cash_control, cashier_client):
    assert cashier_client.get("/api/me/").json()["business"]["cash_control"] is True


def test_create_business_turns_cash_control_on(db):
    call_command(
        "create_business",
        "Pharmacie Nord",
        "--owner",
        "nord",
        "--password",
        "x-Y-z-123456",
        "--cash-control",
    )

    assert Business.objects.get(name="Pharmacie Nord").cash_control is True


# A cash checkout through the API: token, the savepoint, customer and sale locks, lines, the
# stock (one statement that locks and takes it), the receipt number (likewise), sale,
# payment, audit, answer, and the one that finds the caller's open session; and the lots
# (the takes recorded as the lots are locked and read, then the lots decremented).
CHECKOUT_QUERIES = 17


def test_checkout_gains_one_statement_for_the_session(
    django_assert_max_num_queries, cashier_client, till, ring_up
):
    opened(cashier_client, till)
    sale = ring_up("60.00")

    with CaptureQueriesContext(connection) as queries:
        response = complete(cashier_client, sale, ("CASH", "60.00"))

    assert response.status_code == 200
    session_statements = [q for q in queries.captured_queries if "sales_tillsession" in q["sql"]]
    assert len(session_statements) == 1
    other = ring_up("60.00")
    with django_assert_max_num_queries(CHECKOUT_QUERIES):
        assert complete(cashier_client, other, ("CASH", "60.00")).status_code == 200
    assert Sale.objects.filter(till_session__isnull=False).count() == 2


def test_the_session_list_costs_the_same_however_many_sessions(
    django_assert_max_num_queries, manager_client, business, storefront
):
    def grow(size):
        while TillSession.objects.count() < size:
            user = StaffMemberFactory(business=business).user
            till_session_open(
                till=TillFactory(storefront=storefront),
                opening_float="10.00",
                actor=Actor.for_user(user),
            )

    assert_flat_queries(
        django_assert_max_num_queries, lambda: manager_client.get(SESSIONS), grow, sizes=(2, 12)
    )


def test_a_session_with_a_busy_day_costs_the_same_to_read(
    django_assert_max_num_queries, cashier_client, cashier, storefront, till
):
    session = opened(cashier_client, till)
    actor = Actor.for_user(cashier)

    def grow(size):
        while Sale.objects.filter(till_session_id=session["id"]).count() < size:
            complete_sale(storefront=storefront, actor_user=cashier)
            till_cash_move(
                session=TillSession.objects.get(pk=session["id"]),
                type="PAY_IN",
                amount="1.00",
                reason="coins",
                actor=actor,
            )

    assert_flat_queries(
        django_assert_max_num_queries,
        lambda: cashier_client.get(session_url(session)),
        grow,
        sizes=(2, 12),
    )


def test_the_sales_list_filters_by_till_session(cashier_client, till, ring_up):
    session = opened(cashier_client, till)
    in_session = ring_up("60.00")
    complete(cashier_client, in_session, ("CARD", "60.00"))
    ring_up("10.00")

    body = cashier_client.get(reverse("sale-list"), {"till_session": session["id"]}).json()

    assert [row["id"] for row in body["results"]] == [str(in_session.pk)]


@pytest.mark.parametrize(
    ("opened_by", "status"),
    [("-1.7976931348623157e+308", 400), ("1.5", 400), ("abc", 400), ("99999999999999999999", 200)],
)
def test_a_malformed_or_impossible_opened_by_is_refused_or_matches_nobody(
    manager_client, till, cashier_client, opened_by, status
):
    opened(cashier_client, till)

    response = manager_client.get(SESSIONS, {"opened_by": opened_by})

    assert response.status_code == status, response.content
    if status == 200:
        assert response.json()["results"] == []
    else:
        assert "opened_by" in assert_error(response, 400)["fields"]


def test_sessions_filter_by_who_opened_them(manager_client, till, cashier_client, cashier):
    opened(cashier_client, till)

    mine = manager_client.get(SESSIONS, {"opened_by": cashier.pk}).json()["results"]
    nobody = manager_client.get(SESSIONS, {"opened_by": cashier.pk + 1000}).json()["results"]

    assert [session["opened_by"] for session in mine] == [cashier.pk]
    assert nobody == []
