"""Cash leaving one drawer from two counters at once, on PostgreSQL with real threads and
real connections: a refund, a cancellation and a pay-out each see the cash the others left,
so the drawer never holds less than nothing and `check_ledgers` stays clean."""

from decimal import Decimal

import pytest

from pos_project.actors import Actor
from pos_project.models import Business
from sales.models import Return, SaleStatus
from sales.services import sale_cancel, sale_return
from sales.services.tills import till_cash_move, till_session_close, till_session_open
from sales.till_checks import till_sessions_check
from sales.till_totals import till_session_totals
from tests.concurrency import race, report
from tests.conftest import requires_postgres
from tests.factories.kernel import BusinessFactory, StaffMemberFactory, StorefrontFactory
from tests.factories.medicine import MedicineFactory
from tests.factories.sales import complete_sale
from tests.factories.tills import TillFactory

pytestmark = [requires_postgres, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROUNDS = 5


@pytest.fixture
def shop():
    business = BusinessFactory(cash_control=True)
    storefront = StorefrontFactory(business=business, name="Main")
    manager = Actor.for_user(StaffMemberFactory(business=business, role="MANAGER").user)
    seller = StaffMemberFactory(business=business, role="CASHIER").user
    medicine = MedicineFactory(business=business, prix_br=Decimal("102.90"))
    return business, storefront, manager, seller, medicine


def _cash_sales(storefront, seller, medicine, count):
    """`count` sales of one unit paid in cash, in a shift at another counter, since closed."""
    shift = till_session_open(
        till=TillFactory(storefront=storefront),
        opening_float="0.00",
        actor=Actor.for_user(seller),
    )
    sales = [
        complete_sale(storefront=storefront, actor_user=seller, lines=[(medicine, 1)])
        for _ in range(count)
    ]
    till_session_close(
        session=shift, counted_cash=str(Decimal("102.90") * count), actor=Actor.for_user(seller)
    )
    return sales


def _checked(business):
    check = till_sessions_check(businesses=Business.objects.filter(pk=business.pk))
    assert check.differences == []


def test_two_cash_refunds_from_one_drawer_never_take_it_below_zero(shop):
    business, storefront, manager, seller, medicine = shop
    outcomes_seen = []
    for _ in range(ROUNDS):
        first, second = _cash_sales(storefront, seller, medicine, 2)
        session = till_session_open(
            till=TillFactory(storefront=storefront), opening_float="150.00", actor=manager
        )

        def give_back(sale):
            return lambda: sale_return(
                sale=sale,
                lines=[{"item": sale.items.get().pk, "quantity": 1}],
                reason="Two counters",
                refund_method="CASH",
                actor=manager,
            ).number

        outcomes = race([give_back(first), give_back(second)])
        kinds = sorted(kind for kind, _ in outcomes)
        assert kinds == ["ok", "refused"], outcomes
        assert [value for kind, value in outcomes if kind == "refused"] == ["not_enough_cash"]
        assert Return.objects.filter(till_session=session).count() == 1
        assert till_session_totals(session).expected_cash == Decimal("47.10")
        till_session_close(session=session, counted_cash="47.10", actor=manager)
        outcomes_seen.append(kinds)
    _checked(business)
    report(f"two cash refunds of 102.90 from a drawer of 150.00, {ROUNDS} rounds: {outcomes_seen}")


def test_a_cancellation_and_a_pay_out_racing_for_the_last_cash(shop):
    business, storefront, manager, seller, medicine = shop
    for _ in range(ROUNDS):
        (sale,) = _cash_sales(storefront, seller, medicine, 1)
        session = till_session_open(
            till=TillFactory(storefront=storefront), opening_float="120.00", actor=manager
        )
        outcomes = race(
            [
                lambda sale=sale: sale_cancel(sale=sale, reason="Two counters", actor=manager),
                lambda session=session: till_cash_move(
                    session=session, type="PAY_OUT", amount="50.00", reason="Bank", actor=manager
                ),
            ]
        )
        assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"], outcomes
        assert [value for kind, value in outcomes if kind == "refused"] == ["not_enough_cash"]
        expected = till_session_totals(session).expected_cash
        sale.refresh_from_db()
        assert expected == (
            Decimal("17.10") if sale.status == SaleStatus.CANCELLED else Decimal("70.00")
        )
        till_session_close(session=session, counted_cash=str(expected), actor=manager)
    _checked(business)
