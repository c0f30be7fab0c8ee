"""Tills under races, on PostgreSQL with real threads and real connections: opening a till
twice at once, one person opening two tills at once, and completions and debt payments
racing the close of their session. The figures printed (run with -s) are the ones quoted in
the closing note."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction

from pos_project.actors import Actor
from pos_project.errors import DomainError
from pos_project.models import Role
from receivables.models import CustomerPayment
from receivables.services import customer_record_payment
from sales.locks import till_lock
from sales.models import Sale, SaleStatus, TillSession, TillSessionStatus
from sales.services import sale_complete, sale_create, sale_item_add
from sales.services.tills import till_session_close, till_session_open
from sales.till_totals import TillTotals, till_session_totals
from tests.concurrency import race, report
from tests.conftest import requires_postgres
from tests.factories.customers import CustomerFactory
from tests.factories.kernel import BusinessFactory, StaffMemberFactory, StorefrontFactory
from tests.factories.medicine import MedicineFactory, StockFactory
from tests.factories.sales import complete_sale
from tests.factories.tills import TillFactory

pytestmark = [requires_postgres, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROUNDS = 5


@pytest.fixture
def shop():
    business = BusinessFactory(cash_control=True)
    storefront = StorefrontFactory(business=business, name="Main")
    return business, storefront


def _actors(business, count, role=Role.CASHIER):
    return [
        Actor.for_user(StaffMemberFactory(business=business, role=role).user) for _ in range(count)
    ]


def test_people_racing_to_open_one_till_one_wins(shop):
    business, storefront = shop
    wins = refusals = 0
    for round_number in range(ROUNDS):
        till = TillFactory(storefront=storefront, name=f"Race {round_number}")
        actors = _actors(business, 4)

        outcomes = race(
            [
                lambda actor=actor, till=till: till_session_open(
                    till=till, opening_float="100.00", actor=actor
                )
                for actor in actors
            ]
        )

        assert [o[0] for o in outcomes].count("ok") == 1, outcomes
        assert sorted(o for o in outcomes if o[0] != "ok") == [("refused", "till_already_open")] * 3
        assert TillSession.objects.filter(till=till, status=TillSessionStatus.OPEN).count() == 1
        wins += 1
        refusals += 3
    report(f"open race: {ROUNDS} rounds of 4 people on one till: {wins} opened, {refusals} 409s")


def test_one_person_racing_to_open_two_tills_holds_one(shop):
    business, storefront = shop
    for round_number in range(ROUNDS):
        tills = [
            TillFactory(storefront=storefront, name=f"Pair {round_number}-{i}") for i in range(3)
        ]
        (actor,) = _actors(business, 1)

        outcomes = race(
            [
                lambda till=till, actor=actor: till_session_open(
                    till=till, opening_float="50.00", actor=actor
                )
                for till in tills
            ]
        )

        assert [o[0] for o in outcomes].count("ok") == 1, outcomes
        assert (
            sorted(o for o in outcomes if o[0] != "ok")
            == [("refused", "user_has_open_session")] * 2
        )
        assert TillSession.objects.filter(opened_by=actor.user, status="OPEN").count() == 1
    report(f"one person, three tills at once: {ROUNDS} rounds, one session each time")


def _drafts(business, storefront, actor, count):
    medicine = MedicineFactory(business=business, prix_br=Decimal("12.30"))
    StockFactory(medicine=medicine, storefront=storefront, quantity=1000)
    drafts = []
    for _ in range(count):
        sale = sale_create(business=business, storefront=storefront, actor=actor)
        sale_item_add(sale=sale, medicine=medicine, quantity=1)
        sale.refresh_from_db()
        drafts.append(sale)
    return drafts


def test_completions_racing_the_close_are_in_the_z_report_or_refused(shop):
    business, storefront = shop
    in_report = refused = 0
    for round_number in range(ROUNDS):
        till = TillFactory(storefront=storefront, name=f"Close race {round_number}")
        (actor,) = _actors(business, 1)
        session = till_session_open(till=till, opening_float="100.00", actor=actor)
        drafts = _drafts(business, storefront, actor, 8)
        workers = [
            lambda sale=sale, actor=actor: sale_complete(
                sale=sale, payments=[{"method": "CASH", "amount": "20.00"}], actor=actor
            )
            for sale in drafts
        ]
        # The close runs in the middle of the completions.
        workers.insert(
            4,
            lambda session=session, actor=actor: till_session_close(
                session=session, counted_cash="0", actor=actor
            ),
        )

        outcomes = race(workers)

        assert all(o[0] in ("ok", "refused") for o in outcomes), outcomes
        closed = TillSession.objects.get(pk=session.pk)
        assert closed.status == TillSessionStatus.CLOSED
        completed = Sale.objects.filter(pk__in=[d.pk for d in drafts], status=SaleStatus.COMPLETED)
        # Every completed sale went into the session, and the stored report counts each.
        assert set(completed.values_list("till_session_id", flat=True)) <= {session.pk}
        assert closed.sales_count == completed.count()
        assert closed.expected_cash == Decimal("100.00") + closed.sales_count * Decimal("12.30")
        assert TillTotals.stored(closed) == till_session_totals(closed)
        # The rest were refused, and nothing of them changed.
        codes = [o[1] for o in outcomes if o[0] == "refused"]
        assert codes == ["till_session_required"] * (len(drafts) - completed.count())
        assert (
            Sale.objects.filter(pk__in=[d.pk for d in drafts], status=SaleStatus.DRAFT).count()
            == len(drafts) - completed.count()
        )
        in_report += completed.count()
        refused += len(codes)
    report(
        f"completion vs close: {ROUNDS} rounds of 8 cash sales racing the close: "
        f"{in_report} in the stored Z reports, {refused} refused with till_session_required, "
        "none in a session after its report was stored"
    )


def test_debt_payments_racing_the_close_are_in_the_z_report_or_refused(shop):
    business, storefront = shop
    (actor,) = _actors(business, 1)
    customers = [CustomerFactory(business=business, credit_limit=None) for _ in range(6)]
    for customer in customers:
        complete_sale(
            storefront=storefront, actor_user=actor.user, customer=customer, on_account=True
        )
    session = till_session_open(
        till=TillFactory(storefront=storefront), opening_float="100.00", actor=actor
    )
    workers = [
        lambda customer=customer: customer_record_payment(
            customer=customer, amount="5.00", method="CASH", actor=actor
        )
        for customer in customers
    ]
    workers.insert(3, lambda: till_session_close(session=session, counted_cash="0", actor=actor))

    outcomes = race(workers)

    closed = TillSession.objects.get(pk=session.pk)
    taken = CustomerPayment.objects.filter(till_session=closed).count()
    assert closed.debt_payments_cash == taken * Decimal("5.00")
    assert not CustomerPayment.objects.filter(till_session__isnull=True).exists()
    assert [o[1] for o in outcomes if o[0] == "refused"] == ["till_session_required"] * (6 - taken)
    assert TillTotals.stored(closed) == till_session_totals(closed)
    report(f"debt payment vs close: {taken} in the Z report, {6 - taken} refused")


def test_a_deactivation_holding_the_till_keeps_a_new_session_out(shop):
    business, storefront = shop
    till = TillFactory(storefront=storefront, name="Deactivated")
    (actor,) = _actors(business, 1)
    outcomes = []

    def open_it():
        try:
            outcomes.append(("ok", till_session_open(till=till, opening_float="10", actor=actor)))
        except DomainError as error:
            outcomes.append(("refused", error.code))
        finally:
            connection.close()

    opener = threading.Thread(target=open_it)
    with transaction.atomic():
        locked = till_lock(till)
        opener.start()
        opener.join(timeout=1)
        # The open waits for the till, as it would for `till_update` deactivating it.
        assert opener.is_alive(), outcomes
        locked.is_active = False
        locked.save(update_fields=["is_active"])
    opener.join(timeout=30)

    assert outcomes == [("refused", "till_inactive")]
    assert not TillSession.objects.filter(till=till).exists()
