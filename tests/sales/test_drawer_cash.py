"""A drawer never gives back more cash than it holds, and the back office names the drawer
cash goes into or out of: the manager's own open session, or one chosen among the open
sessions at the storefront. Through the API, as a till would send it, and the services."""

from decimal import Decimal

import pytest

from audit.models import AuditLog
from medicine.models import Stock
from pos_project.actors import Actor, display_name
from pos_project.errors import DomainError
from receivables.models import CustomerPayment
from receivables.services import customer_record_payment
from sales.models import CashMovement, Return, SaleStatus
from sales.services import sale_cancel, sale_return
from sales.services.tills import till_session_close, till_session_open
from sales.till_sessions import drawers_to_choose
from sales.till_totals import till_session_totals
from tests.contracts import assert_error
from tests.factories.customers import CustomerFactory
from tests.factories.kernel import StaffMemberFactory, StorefrontFactory
from tests.factories.medicine import MedicineFactory
from tests.factories.sales import complete_sale
from tests.factories.tills import TillFactory
from tests.sales.conftest import sale_url

pytestmark = pytest.mark.usefixtures("cash_control")


@pytest.fixture
def box(business):
    return MedicineFactory(business=business, prix_br=Decimal("102.90"), name="Augmentin")


@pytest.fixture
def cash_sale(storefront, business, box):
    # Sold in cash during an earlier shift, at another counter, since closed.
    earlier = StaffMemberFactory(business=business, role="CASHIER").user
    shift = _open(TillFactory(storefront=storefront, name="Counter"), earlier, "0.00")
    sale = complete_sale(storefront=storefront, actor_user=earlier, lines=[(box, 2)])
    till_session_close(session=shift, counted_cash="205.80", actor=Actor.for_user(earlier))
    return sale


def _open(till, user, opening_float="50.00"):
    return till_session_open(till=till, opening_float=opening_float, actor=Actor.for_user(user))


def _session_url(session, action):
    return f"/sales/api/till-sessions/{session.pk}/{action}/"


def test_a_cash_refund_larger_than_the_drawer_is_a_409_and_changes_nothing(
    manager_client, manager, till, cash_sale
):
    session = _open(till, manager)
    stock_before = Stock.objects.get(medicine=cash_sale.items.get().medicine_id).quantity
    body = {
        "items": [{"item": str(cash_sale.items.get().pk), "quantity": 1}],
        "reason": "Wrong strength",
        "refund_method": "CASH",
    }

    refused = assert_error(
        manager_client.post(sale_url(cash_sale, "sale-returns"), body, format="json"), 409
    )

    assert refused["code"] == "not_enough_cash"
    assert refused["expected_cash"] == "50.00"
    assert "50.00" in refused["message"] and "pay-in" in refused["message"]
    assert not Return.objects.exists()
    cash_sale.refresh_from_db()
    assert cash_sale.returned_total == Decimal("0.00")
    assert Stock.objects.get(medicine=cash_sale.items.get().medicine_id).quantity == stock_before
    assert till_session_totals(session).expected_cash == Decimal("50.00")


def test_after_a_pay_in_from_the_safe_the_same_refund_goes_through(
    manager_client, manager, till, cash_sale
):
    session = _open(till, manager)
    moved = manager_client.post(
        _session_url(session, "cash_movement"),
        {"type": "PAY_IN", "amount": "60.00", "reason": "From the safe"},
        format="json",
    )
    assert moved.status_code == 201, moved.content

    taken = sale_return(
        sale=cash_sale,
        lines=[{"item": cash_sale.items.get().pk, "quantity": 1}],
        reason="Wrong strength",
        refund_method="CASH",
        actor=Actor.for_user(manager),
    )

    assert taken.till_session == session
    assert till_session_totals(session).expected_cash == Decimal("7.10")


def test_cancelling_a_cash_sale_larger_than_the_drawer_is_a_409(
    manager_client, manager, till, cash_sale
):
    _open(till, manager)

    refused = assert_error(
        manager_client.post(
            sale_url(cash_sale, "sale-cancel"), {"reason": "Never taken"}, format="json"
        ),
        409,
    )

    assert refused["code"] == "not_enough_cash"
    cash_sale.refresh_from_db()
    assert cash_sale.status == SaleStatus.COMPLETED


def test_a_pay_out_larger_than_the_drawer_is_a_409(cashier_client, cashier, till):
    session = _open(till, cashier, "20.00")

    refused = assert_error(
        cashier_client.post(
            _session_url(session, "cash_movement"),
            {"type": "PAY_OUT", "amount": "20.01", "reason": "Bank"},
            format="json",
        ),
        409,
    )

    assert refused["code"] == "not_enough_cash"
    # The cashier counts the drawer blind: the refusal names what was asked, not what the
    # drawer should hold.
    assert "expected_cash" not in refused
    assert "20.01" in refused["message"] and "20.00" not in refused["message"]
    assert not CashMovement.objects.exists()


def test_a_managers_pay_out_refusal_names_the_expected_cash(manager_client, cashier, manager, till):
    session = _open(till, cashier, "20.00")

    refused = assert_error(
        manager_client.post(
            _session_url(session, "cash_movement"),
            {"type": "PAY_OUT", "amount": "20.01", "reason": "Bank"},
            format="json",
        ),
        409,
    )

    assert (refused["code"], refused["expected_cash"]) == ("not_enough_cash", "20.00")
    assert "expected to hold 20.00" in refused["message"]
    assert not CashMovement.objects.exists()


def test_a_drawer_opened_empty_takes_cash_and_gives_back_only_what_it_took(
    cashier_client, cashier, manager, till, storefront, box
):
    session = _open(till, cashier, "0.00")
    sale = complete_sale(storefront=storefront, actor_user=cashier, lines=[(box, 1)])
    assert till_session_totals(session).expected_cash == Decimal("102.90")

    cancelled = sale_cancel(
        sale=sale, reason="Wrong box", actor=Actor.for_user(manager), drawer=session.pk
    )

    assert cancelled.cancellation_till_session == session
    assert till_session_totals(session).expected_cash == Decimal("0.00")


def test_a_manager_without_a_session_pays_cash_into_the_drawer_chosen(
    business, manager, cashier, till
):
    session = _open(till, cashier)
    customer = CustomerFactory(business=business, outstanding_balance=Decimal("0"))
    complete_sale(
        storefront=till.storefront, actor_user=manager, customer=customer, on_account=True
    )

    payment = customer_record_payment(
        customer=customer,
        amount="25.40",
        method="CASH",
        actor=Actor.for_user(manager),
        drawer=session.pk,
    )

    assert payment.till_session == session
    assert till_session_totals(session).debt_payments_cash == Decimal("25.40")
    entry = AuditLog.objects.filter(event_type="customer.payment_recorded").get()
    assert entry.user == manager
    assert entry.event_data["till_session"] == str(session.pk)
    assert entry.event_data["till"] == "Till 1"
    assert entry.event_data["drawer_holder"] == display_name(cashier)
    assert "into the drawer of Till 1" in entry.description


def test_the_drawers_offered_are_the_managers_own_else_every_open_one_there(
    business, storefront, manager, cashier, till
):
    second_cashier = StaffMemberFactory(business=business, role="CASHIER").user
    other_till = TillFactory(storefront=storefront, name="Till 2")
    elsewhere = TillFactory(storefront=StorefrontFactory(business=business), name="Far")
    first = _open(till, cashier)
    second = _open(other_till, second_cashier)
    _open(elsewhere, StaffMemberFactory(business=business, role="CASHIER").user)

    offered = drawers_to_choose(user=manager, business=business, storefront=storefront)
    assert list(offered) == [first, second]

    own_till = TillFactory(storefront=storefront, name="Till 3")
    own = _open(own_till, manager)
    offered = drawers_to_choose(user=manager, business=business, storefront=storefront)
    assert list(offered) == [own]


def test_a_drawer_at_another_storefront_or_closed_is_refused(business, manager, cashier, cash_sale):
    far = TillFactory(storefront=StorefrontFactory(business=business), name="Far")
    session = _open(far, cashier, "500.00")

    with pytest.raises(DomainError) as refused:
        sale_cancel(sale=cash_sale, reason="x", actor=Actor.for_user(manager), drawer=session.pk)

    assert refused.value.code == "drawer_not_open"
    cash_sale.refresh_from_db()
    assert cash_sale.status == SaleStatus.COMPLETED


def test_a_cashier_names_no_one_elses_drawer(business, cashier, till, storefront):
    holder = StaffMemberFactory(business=business, role="CASHIER").user
    session = _open(till, holder)
    customer = CustomerFactory(business=business)
    complete_sale(storefront=storefront, actor_user=holder, customer=customer, on_account=True)

    with pytest.raises(DomainError) as refused:
        customer_record_payment(
            customer=customer,
            amount="1.00",
            method="CASH",
            actor=Actor.for_user(cashier),
            drawer=session.pk,
        )

    assert refused.value.code == "session_not_yours"
    assert not CustomerPayment.objects.exists()


def test_without_any_open_drawer_cash_is_refused_in_words_of_the_shop(business, manager, cash_sale):
    with pytest.raises(DomainError) as refused:
        sale_cancel(sale=cash_sale, reason="x", actor=Actor.for_user(manager))

    assert refused.value.code == "till_session_required"
    assert "/api/" not in refused.value.message
