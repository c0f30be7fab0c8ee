"""Cash through a drawer in the back office, with cash control on: "Open a till", "Pay in or
out", and the drawer every cash action names: the manager's own open till, or one chosen
among the open tills there. No page names an API path."""

from decimal import Decimal

import pytest
from django.urls import reverse

from audit.models import AuditLog
from customers.models import Customer
from pos_project.actors import Actor, display_name
from receivables.models import CustomerPayment
from sales.models import CashMovement, Return, SaleStatus, TillSession
from sales.services.tills import till_session_close, till_session_open
from sales.till_totals import till_session_totals
from tests.conftest import messages_of, submit_form_twice
from tests.factories.customers import CustomerFactory
from tests.factories.kernel import StaffMemberFactory
from tests.factories.medicine import MedicineFactory
from tests.factories.sales import complete_sale
from tests.factories.tills import TillFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cash_control")]

OPEN = reverse("admin:sales_tillsession_open")
SESSIONS = reverse("admin:sales_tillsession_changelist")


@pytest.fixture
def khadija(business):
    return CustomerFactory(business=business, name="Khadija", credit_limit=None)


@pytest.fixture
def owed(storefront, manager, khadija):
    """Khadija owes 25.40 from a sale on account (no cash moved)."""
    return complete_sale(
        storefront=storefront, actor_user=manager, customer=khadija, on_account=True
    )


@pytest.fixture
def cash_sale(storefront, business):
    """A cash sale of 102.90 from an earlier shift at another counter, since closed."""
    medicine = MedicineFactory(business=business, prix_br=Decimal("102.90"))
    earlier = StaffMemberFactory(business=business, role="CASHIER").user
    shift = till_session_open(
        till=TillFactory(storefront=storefront, name="Counter"),
        opening_float="0.00",
        actor=Actor.for_user(earlier),
    )
    sale = complete_sale(storefront=storefront, actor_user=earlier, lines=[(medicine, 1)])
    till_session_close(session=shift, counted_cash="102.90", actor=Actor.for_user(earlier))
    return sale


def payment_url(customer):
    return reverse("admin:customers_customer_record_payment", args=[customer.pk])


def test_a_manager_opens_a_till_in_the_back_office_audited(manager_admin, manager, till):
    assert OPEN in manager_admin.get(SESSIONS).content.decode()
    assert "Till 1 (Main)" in manager_admin.get(OPEN).content.decode()

    first, again = submit_form_twice(
        manager_admin, OPEN, {"till": str(till.pk), "opening_float": "0.00"}
    )

    assert first.status_code == again.status_code == 302
    session = TillSession.objects.get()
    assert (session.opened_by, session.opening_float) == (manager, Decimal("0.00"))
    assert "Till 1 opened with a float of 0.00 DH." in " ".join(messages_of(first))
    entry = AuditLog.objects.get(event_type="till.opened")
    assert entry.user == manager


def test_a_till_already_open_is_not_offered(manager_admin, cashier, till):
    till_session_open(till=till, opening_float="10.00", actor=Actor.for_user(cashier))

    page = manager_admin.get(OPEN).content.decode()

    assert "Every active till already has an open session" in page


def test_pay_in_then_pay_out_no_more_than_the_drawer_holds(manager_admin, manager, till):
    session = till_session_open(till=till, opening_float="50.00", actor=Actor.for_user(manager))
    url = reverse("admin:sales_tillsession_cash", args=[session.pk])

    refused = manager_admin.post(url, {"type": "PAY_OUT", "amount": "60.00", "reason": "Bank"})
    assert refused.status_code == 200
    assert "expected to hold 50.00" in refused.content.decode()
    assert not CashMovement.objects.exists()

    paid_in = manager_admin.post(url, {"type": "PAY_IN", "amount": "20.00", "reason": "Safe"})
    assert paid_in.status_code == 302
    assert till_session_totals(session).expected_cash == Decimal("70.00")


def test_a_manager_without_a_till_pays_cash_into_the_drawer_chosen(
    manager_admin, manager, cashier, till, khadija, owed
):
    session = till_session_open(till=till, opening_float="10.00", actor=Actor.for_user(cashier))
    page = manager_admin.get(payment_url(khadija)).content.decode()
    assert f"Till 1 ({display_name(cashier)})" in page
    assert "You have no till open" in page

    done = manager_admin.post(
        payment_url(khadija), {"amount": "25.40", "method": "CASH", "drawer": str(session.pk)}
    )

    assert done.status_code == 302
    assert "into the drawer of Till 1" in " ".join(messages_of(done))
    assert CustomerPayment.objects.get().till_session == session
    assert till_session_totals(session).debt_payments_cash == Decimal("25.40")
    entry = AuditLog.objects.get(event_type="customer.payment_recorded")
    assert entry.user == manager
    assert entry.event_data["drawer_holder"] == display_name(cashier)


def test_cash_with_no_drawer_is_refused_in_the_back_offices_words(
    manager_admin, khadija, owed, till, cashier
):
    till_session_open(till=till, opening_float="10.00", actor=Actor.for_user(cashier))

    refused = manager_admin.post(payment_url(khadija), {"amount": "25.40", "method": "CASH"})

    page = refused.content.decode()
    assert refused.status_code == 200
    assert "Choose the drawer" in page and "Open a till" in page
    assert "/api/" not in page and "POST" not in page
    assert not CustomerPayment.objects.exists()
    assert Customer.objects.get(pk=khadija.pk).outstanding_balance == Decimal("25.40")


def test_the_managers_own_till_is_the_drawer_already_chosen(
    manager_admin, manager, till, khadija, owed
):
    session = till_session_open(till=till, opening_float="10.00", actor=Actor.for_user(manager))
    page = manager_admin.get(payment_url(khadija)).content.decode()
    assert "Your open till" in page

    form = manager_admin.post(
        payment_url(khadija), {"amount": "25.40", "method": "CASH", "drawer": str(session.pk)}
    )

    assert form.status_code == 302
    assert CustomerPayment.objects.get().till_session == session


def test_cancel_a_cash_sale_out_of_the_drawer_chosen(manager_admin, cashier, till, cash_sale):
    session = till_session_open(till=till, opening_float="200.00", actor=Actor.for_user(cashier))
    url = reverse("admin:sales_sale_cancel", args=[cash_sale.pk])
    assert "Cash drawer" in manager_admin.get(url).content.decode()

    done = manager_admin.post(url, {"reason": "Never taken", "drawer": str(session.pk)})

    assert done.status_code == 302
    assert "in cash from the drawer of Till 1" in " ".join(messages_of(done))
    cash_sale.refresh_from_db()
    assert cash_sale.status == SaleStatus.CANCELLED
    assert cash_sale.cancellation_till_session == session
    assert till_session_totals(session).refunds_cash == Decimal("102.90")


def test_a_cash_refund_larger_than_the_drawer_is_refused_once_on_the_form(
    manager_admin, manager, till, cash_sale
):
    session = till_session_open(till=till, opening_float="50.00", actor=Actor.for_user(manager))
    url = reverse("admin:sales_sale_return", args=[cash_sale.pk])
    item = cash_sale.items.get()

    refused = manager_admin.post(
        url,
        {
            f"quantity_{item.pk}": 1,
            f"restock_{item.pk}": "on",
            "reason": "Wrong strength",
            "refund_method": "CASH",
            "drawer": str(session.pk),
            "_confirm": "Confirm return",
        },
    )

    page = refused.content.decode()
    assert refused.status_code == 200
    assert page.count("expected to hold 50.00 DH") == 1
    assert "Pay in or out" in page
    assert messages_of(refused) == []
    assert not Return.objects.exists()


def test_a_drawer_closed_meanwhile_is_refused(manager_admin, cashier, till, cash_sale):
    session = till_session_open(till=till, opening_float="200.00", actor=Actor.for_user(cashier))
    url = reverse("admin:sales_sale_cancel", args=[cash_sale.pk])
    manager_admin.get(url)
    till_session_close(session=session, counted_cash="200.00", actor=Actor.for_user(cashier))
    TillFactory(storefront=till.storefront, name="Till 2")

    refused = manager_admin.post(url, {"reason": "Never taken", "drawer": str(session.pk)})

    assert refused.status_code == 200
    cash_sale.refresh_from_db()
    assert cash_sale.status == SaleStatus.COMPLETED
