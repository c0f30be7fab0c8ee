"""`check_ledgers` proves every closed till session's Z report against its sources; a closed
session is final in the database itself; and the demo pharmacy's day at the till, from the
float to the Z report, leaves every check clean."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from customers.models import Customer
from demo import customers as customers_demo
from demo import medicine as medicine_demo
from demo import sales as sales_demo
from demo import tills as tills_demo
from demo.kernel import seed_demo_business
from medicine.models import Medicine
from pos_project.actors import Actor
from pos_project.models import Role, StaffMember
from receivables.services import customer_record_payment
from sales.models import CashMovement, Payment, Sale, Till, TillSession, TillSessionStatus
from sales.services import sale_cancel, sale_complete, sale_create, sale_item_add
from sales.services.tills import till_cash_move, till_session_close, till_session_open
from sales.till_report import till_report_data, till_report_html
from tests.concurrency import report
from tests.conftest import requires_postgres
from tests.factories.sales import complete_sale


def check_ledgers() -> str:
    out = StringIO()
    call_command("check_ledgers", stdout=out)
    return out.getvalue()


@pytest.fixture
def closed_session(storefront, till, cashier, cashier_actor):
    session = till_session_open(till=till, opening_float="100.00", actor=cashier_actor)
    complete_sale(
        storefront=storefront,
        actor_user=cashier,
        payments=None,
    )
    till_cash_move(
        session=session, type="PAY_OUT", amount="10.00", reason="Bank", actor=cashier_actor
    )
    return till_session_close(session=session, counted_cash="115.00", actor=cashier_actor)


def test_check_ledgers_proves_a_closed_session(closed_session):
    output = check_ledgers()

    assert "Checked the Z reports of 1 closed till sessions." in output
    assert closed_session.expected_cash == Decimal("115.40")


def test_check_ledgers_names_a_session_whose_sources_changed(closed_session):
    Payment.objects.filter(sale__till_session=closed_session).update(amount=Decimal("99.00"))

    with pytest.raises(CommandError) as failure:
        check_ledgers()

    message = str(failure.value)
    assert "Till session Z-000001 (Till 1): cash_tendered is 25.40" in message
    assert "its sources add up to 99.00" in message


def test_check_ledgers_names_a_drawer_that_once_held_less_than_nothing(
    till, cashier, cashier_actor
):
    # Stored directly, as a pay-out could be before pay-outs were bounded by the cash held;
    # a later pay-in brings the drawer back above zero, but the moment below stays wrong.
    session = till_session_open(till=till, opening_float="50.00", actor=cashier_actor)
    CashMovement.objects.create(
        session=session, type="PAY_OUT", amount=Decimal("102.90"), reason="Refund",
        created_by=cashier, created_by_name="Cashier",
    )  # fmt: skip
    till_cash_move(
        session=session, type="PAY_IN", amount="100.00", reason="Safe", actor=cashier_actor
    )

    with pytest.raises(CommandError) as failure:
        check_ledgers()

    assert "its drawer was expected to hold -52.90" in str(failure.value)
    assert "less than nothing" in str(failure.value)


def test_a_closed_session_refuses_every_change(closed_session, cashier_actor):
    with pytest.raises(Exception) as refused:
        till_cash_move(
            session=closed_session, type="PAY_IN", amount="1.00", reason="x", actor=cashier_actor
        )
    assert getattr(refused.value, "code", None) == "till_session_closed"
    with pytest.raises(Exception) as again:
        till_session_close(session=closed_session, counted_cash="1.00", actor=cashier_actor)
    assert getattr(again.value, "code", None) == "till_session_closed"


@requires_postgres
def test_on_postgresql_plain_sql_cannot_change_a_closed_session(closed_session, cashier):
    for change in (
        lambda: TillSession.objects.filter(pk=closed_session.pk).update(counted_cash=0),
        lambda: TillSession.objects.filter(pk=closed_session.pk).delete(),
        lambda: CashMovement.objects.create(
            session=closed_session,
            type="PAY_IN",
            amount=Decimal("1.00"),
            reason="late",
            created_by=cashier,
            created_by_name="x",
        ),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            change()
    assert TillSession.objects.get().counted_cash == Decimal("115.00")
    assert connection.vendor == "postgresql"


# --- the demo pharmacy's day ----------------------------------------------------------------


@pytest.fixture
def demo(db):
    demo = seed_demo_business()
    for seed in (medicine_demo.seed, customers_demo.seed, sales_demo.seed):
        seed(demo)
    return demo


def test_seed_demo_sets_up_till_1_with_cash_control_and_no_session(demo):
    summary = tills_demo.seed(demo)
    again = tills_demo.seed(demo)

    demo.business.refresh_from_db()
    assert demo.business.cash_control is True
    assert Till.objects.get(business=demo.business).name == "Till 1"
    assert not TillSession.objects.exists()
    assert "created" in summary and "already there" in again


def test_a_demo_day_from_the_float_to_the_z_report(demo):
    tills_demo.seed(demo)
    business, storefront = demo.business, demo.storefront
    cashier = StaffMember.objects.get(business=business, role=Role.CASHIER).user
    manager = StaffMember.objects.get(business=business, role=Role.MANAGER).user
    till, back_office = Actor.for_user(cashier), Actor.for_user(manager)
    medicines = list(
        Medicine.objects.filter(stocks__storefront=storefront, stocks__quantity__gt=5)
        .filter(business=business)
        .order_by("name")[:6]
    )
    debtor = Customer.objects.filter(business=business, outstanding_balance__gt=20).first()
    regular = Customer.objects.filter(business=business, credit_limit__isnull=True).first()

    session = till_session_open(
        till=Till.objects.get(business=business), opening_float="500.00", actor=till
    )

    def sell(medicine, payments, customer=None):
        sale = sale_create(business=business, storefront=storefront, customer=customer, actor=till)
        sale_item_add(sale=sale, medicine=medicine, quantity=1)
        sale.refresh_from_db()
        return sale_complete(sale=sale, payments=payments(sale.total_amount), actor=till)

    def cash_rounded_up(total):
        return [{"method": "CASH", "amount": (total / 10).quantize(Decimal("1")) * 10 + 10}]

    cash_sale = sell(medicines[0], cash_rounded_up)
    sell(medicines[1], lambda total: [{"method": "CARD", "amount": total}])
    sell(medicines[2], lambda total: [{"method": "MOBILE_MONEY", "amount": total}])
    sell(
        medicines[3],
        lambda total: [
            {"method": "CASH", "amount": Decimal("5.00")},
            {"method": "ON_ACCOUNT", "amount": total - Decimal("5.00")},
        ],
        customer=regular,
    )
    cancelled = sell(medicines[4], cash_rounded_up)
    customer_record_payment(customer=debtor, amount="20.00", method="CASH", actor=till)
    till_cash_move(
        session=session, type="PAY_OUT", amount="50.00", reason="Cleaning supplies", actor=till
    )
    # The manager opens Till 2 to cancel a sale: the refund leaves the manager's drawer.
    second = Till.objects.create(business=business, storefront=storefront, name="Till 2")
    manager_session = till_session_open(till=second, opening_float="100.00", actor=back_office)
    sale_cancel(sale=cancelled, reason="Customer changed their mind", actor=back_office)

    expected = till_report_data(session)["expected_cash"]
    closed = till_session_close(
        session=session, counted_cash=expected - Decimal("2.50"), note="2.50 short", actor=till
    )
    manager_closed = till_session_close(
        session=manager_session, counted_cash="0.00", actor=back_office
    )

    z_report = till_report_data(closed)
    assert z_report["kind"] == "Z" and z_report["z_number"] == "Z-000001"
    assert z_report["variance"] == Decimal("-2.50")
    assert z_report["sales"]["count"] == 5
    assert z_report["debt_payments"]["cash"] == Decimal("20.00")
    assert z_report["pay_outs"] == Decimal("50.00")
    cancelled_cash = cancelled.amount_paid - cancelled.change_due
    assert manager_closed.refunds_cash == cancelled_cash
    assert manager_closed.expected_cash == Decimal("100.00") - cancelled_cash
    assert Sale.objects.get(pk=cash_sale.pk).till_session_id == session.pk
    assert "Z report Z-000001" in till_report_html(closed)
    assert "All ledgers, allocations, statistics and receivables summaries agree." in (
        check_ledgers()
    )
    verified = StringIO()
    call_command("verify_audit_log", stdout=verified)
    assert "intact" in verified.getvalue()
    report(
        "demo day: float 500.00, {count} sales (net {net}), tenders {tenders}, change "
        "{change}, cash debt payments {debt}, pay-outs {out}; expected {expected}, counted "
        "{counted}, variance {variance} ({z}); the manager's {mz} gave back {refund} "
        "in cash".format(
            count=z_report["sales"]["count"],
            net=z_report["sales"]["net"],
            tenders={k: str(v) for k, v in z_report["tenders"].items()},
            change=z_report["change_given"],
            debt=z_report["debt_payments"]["cash"],
            out=z_report["pay_outs"],
            expected=z_report["expected_cash"],
            counted=z_report["counted_cash"],
            variance=z_report["variance"],
            z=z_report["z_number"],
            mz=manager_closed.z_number,
            refund=manager_closed.refunds_cash,
        )
    )
    assert TillSession.objects.filter(status=TillSessionStatus.OPEN).count() == 0
