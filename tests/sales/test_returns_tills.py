"""A return's refund through the till: the money that leaves a drawer comes out of the
manager's open session at the sale's storefront, shows in its X and Z reports, and needs a
session under cash control."""

from decimal import Decimal

import pytest

from medicine.models import Stock
from pos_project.actors import Actor
from pos_project.errors import Conflict
from sales.models import RefundMethod, Return
from sales.services import sale_return
from sales.services.tills import till_session_close, till_session_open
from sales.till_checks import till_sessions_check
from sales.till_totals import till_session_totals
from tests.contracts import assert_audited
from tests.factories.medicine import MedicineFactory
from tests.factories.sales import complete_sale


@pytest.fixture
def box(business):
    return MedicineFactory(business=business, prix_br=Decimal("30.00"), name="Doliprane 1g")


@pytest.fixture
def cash_sale(storefront, cashier, box):
    # 3 x 30.00, paid in cash at the till.
    return complete_sale(storefront=storefront, actor_user=cashier, lines=[(box, 3)])


@pytest.fixture
def managers_session(till, manager):
    return till_session_open(till=till, opening_float="100.00", actor=Actor.for_user(manager))


def _return(sale, manager, *, quantity=1, refund_method=RefundMethod.CASH):
    return sale_return(
        sale=sale,
        lines=[{"item": sale.items.get().pk, "quantity": quantity}],
        reason="Wrong strength",
        refund_method=refund_method,
        actor=Actor.for_user(manager),
    )


def test_a_cash_refund_comes_out_of_the_managers_open_session(cash_sale, manager, managers_session):
    taken = _return(cash_sale, manager)

    assert taken.till_session == managers_session
    totals = till_session_totals(managers_session)
    assert totals.refunds_cash == Decimal("30.00")
    assert totals.expected_cash == Decimal("70.00")
    assert assert_audited("sale.returned").event_data["till_session"] == str(managers_session.pk)


def test_a_card_refund_shows_in_the_report_and_leaves_the_cash_alone(
    cash_sale, manager, managers_session
):
    _return(cash_sale, manager, quantity=2, refund_method=RefundMethod.CARD)

    totals = till_session_totals(managers_session)
    assert (totals.refunds_card, totals.refunds_cash) == (Decimal("60.00"), Decimal("0.00"))
    assert totals.expected_cash == Decimal("100.00")


def test_the_z_report_stores_the_refund_and_check_ledgers_proves_it(
    business, cash_sale, manager, managers_session
):
    _return(cash_sale, manager)

    closed = till_session_close(
        session=managers_session, counted_cash="70.00", actor=Actor.for_user(manager)
    )

    assert (closed.refunds_cash, closed.expected_cash, closed.variance) == (
        Decimal("30.00"),
        Decimal("70.00"),
        Decimal("0.00"),
    )
    check = till_sessions_check(businesses=type(business).objects.filter(pk=business.pk))
    assert (check.checked, check.differences) == (1, [])


def test_without_cash_control_a_refund_needs_no_session(cash_sale, manager):
    assert _return(cash_sale, manager).till_session is None


def _cash_control_on(business):
    # After the sale: it was rung up before the shop took cash only through its tills.
    business.cash_control = True
    business.save(update_fields=["cash_control"])


def test_under_cash_control_a_cash_refund_without_a_session_changes_nothing(
    business, cash_sale, manager, box, storefront
):
    _cash_control_on(business)
    shelf = Stock.objects.get(medicine=box, storefront=storefront).quantity

    with pytest.raises(Conflict) as refused:
        _return(cash_sale, manager)

    assert refused.value.code == "till_session_required"
    assert refused.value.details["storefront"] == str(storefront.pk)
    assert not Return.objects.exists()
    cash_sale.refresh_from_db()
    assert cash_sale.returned_total == Decimal("0.00")
    assert Stock.objects.get(medicine=box, storefront=storefront).quantity == shelf


def test_under_cash_control_a_card_refund_needs_no_session(business, cash_sale, manager):
    _cash_control_on(business)
    taken = _return(cash_sale, manager, refund_method=RefundMethod.CARD)

    assert taken.till_session is None
    assert taken.refunds.get().method == RefundMethod.CARD
