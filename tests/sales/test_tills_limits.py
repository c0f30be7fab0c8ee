"""Tills at the edges: cash movements and closes whose report would no longer fit the money
columns, a reason longer than its column, a session without a person, and a rename that
loses the race for a name. Each is a clear 4xx that changes nothing, never a 500."""

from decimal import Decimal

import pytest
from django.db.models.query import QuerySet

from pos_project.actors import Actor
from pos_project.errors import DomainError
from pos_project.money import LARGEST_AMOUNT
from sales.models import CashMovement, CashMovementType, TillSession, TillSessionStatus
from sales.services.tills import till_cash_move, till_session_open
from tests.contracts import assert_error
from tests.factories.tills import TillFactory
from tests.sales.test_tills_api import close, move, opened, session_url, till_url

LARGEST = str(LARGEST_AMOUNT)


def _stored_movement(session: dict, type: str, amount: Decimal) -> None:
    """A movement already in the session, as a sum of movements that each fit a column."""
    stored = TillSession.objects.get(pk=session["id"])
    CashMovement.objects.create(
        session=stored,
        type=type,
        amount=amount,
        reason="Bank run",
        created_by=stored.opened_by,
        created_by_name="Cashier",
    )


def test_a_pay_in_taking_expected_cash_past_the_limit_is_a_400(manager_client, till):
    session = opened(manager_client, till, LARGEST)

    body = assert_error(
        move(manager_client, session, {"type": "PAY_IN", "amount": "0.01", "reason": "Bank"}),
        400,
    )

    assert body["code"] == "amount_too_large"
    assert "expected cash" in body["fields"]["amount"][0]
    assert not CashMovement.objects.exists()
    assert manager_client.get(session_url(session, "till-session-report")).status_code == 200


def test_pay_outs_adding_up_past_the_limit_are_a_400(manager_client, till):
    # The drawer never gives out more than it holds: each pay-out is covered.
    session = opened(manager_client, till, LARGEST)
    body = {"type": "PAY_OUT", "amount": LARGEST, "reason": "Safe"}
    assert move(manager_client, session, body).status_code == 201
    refill = {"type": "PAY_IN", "amount": LARGEST, "reason": "Safe"}
    assert move(manager_client, session, refill).status_code == 201

    refused = assert_error(move(manager_client, session, body), 400)

    assert refused["code"] == "amount_too_large"
    assert "pay outs" in refused["fields"]["amount"][0]
    assert CashMovement.objects.count() == 2


def test_a_close_whose_totals_would_not_fit_is_a_400_and_stays_open(manager_client, till):
    session = opened(manager_client, till, LARGEST)
    _stored_movement(session, CashMovementType.PAY_IN, LARGEST_AMOUNT)

    body = assert_error(close(manager_client, session, "0.00"), 400)

    assert body["code"] == "amount_too_large"
    assert "counted_cash" in body["fields"]
    stored = TillSession.objects.get()
    assert (stored.status, stored.z_sequence, stored.expected_cash) == (
        TillSessionStatus.OPEN,
        None,
        None,
    )
    assert manager_client.get(session_url(session)).status_code == 200


def test_a_variance_that_would_not_fit_is_a_400(manager_client, till):
    # A drawer below zero, as one could be before pay-outs were bounded by the cash held.
    session = opened(manager_client, till, "1.00")
    _stored_movement(session, CashMovementType.PAY_OUT, LARGEST_AMOUNT)

    body = assert_error(close(manager_client, session, LARGEST), 400)

    assert body["code"] == "amount_too_large"
    assert "variance" in body["message"]
    assert TillSession.objects.get().status == TillSessionStatus.OPEN


def test_a_reason_longer_than_its_column_is_refused_not_cut(cashier, cashier_client, till):
    session = opened(cashier_client, till)
    body = {"type": "PAY_IN", "amount": "5.00", "reason": "x" * 256}

    assert "reason" in assert_error(move(cashier_client, session, body), 400)["fields"]
    with pytest.raises(DomainError) as refused:
        till_cash_move(
            session=TillSession.objects.get(),
            type=CashMovementType.PAY_IN,
            amount="5.00",
            reason="x" * 256,
            actor=Actor.for_user(cashier),
        )

    assert refused.value.code == "reason_too_long"
    assert "reason" in refused.value.details["fields"]
    assert not CashMovement.objects.exists()


def test_a_session_needs_a_person_behind_it(till):
    with pytest.raises(DomainError) as refused:
        till_session_open(till=till, opening_float="10.00", actor=Actor.system("import"))

    assert refused.value.code == "person_required"
    assert not TillSession.objects.exists()


def test_a_rename_losing_the_race_for_a_name_is_a_400(manager_client, till, monkeypatch):
    TillFactory(storefront=till.storefront, name="Front")
    # Another request took the name after this one checked: only the unique index sees it.
    monkeypatch.setattr(QuerySet, "exists", lambda self: False)

    body = assert_error(manager_client.patch(till_url(till), {"name": "Front"}, format="json"), 400)

    assert body["code"] == "till_name_taken"
    assert "name" in body["fields"]
    till.refresh_from_db()
    assert till.name == "Till 1"


@pytest.mark.parametrize("amount", [Decimal("1e30"), "1e30", Decimal("-1e30")])
def test_an_amount_past_any_column_sent_to_the_services_is_refused(cashier, till, amount):
    actor = Actor.for_user(cashier)
    with pytest.raises(DomainError) as refused_open:
        till_session_open(till=till, opening_float=amount, actor=actor)
    session = till_session_open(till=till, opening_float="10.00", actor=actor)
    with pytest.raises(DomainError) as refused_move:
        till_cash_move(
            session=session, type=CashMovementType.PAY_IN, amount=amount, reason="x", actor=actor
        )

    assert refused_open.value.code == refused_move.value.code == "amount_too_large"
    assert TillSession.objects.count() == 1
    assert not CashMovement.objects.exists()
