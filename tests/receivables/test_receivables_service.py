"""Debt payments, credit adjustments and the allocation of credits to on-account sales.

`sell_on_account` rings sales up through the sales services, exactly as the till does; the
other receivables test modules import it from here.
"""

from datetime import datetime
from decimal import Decimal

import pytest

from audit.models import AuditLog
from customers.models import Customer
from pos_project.actors import Actor
from pos_project.errors import DomainError, Forbidden, Invalid
from receivables.ledger import credit_held
from receivables.ledger_checks import ledger_check
from receivables.models import (
    CustomerLedgerEntry,
    CustomerPayment,
    LedgerEntryType,
    ReceivableAllocation,
)
from receivables.services import customer_adjust_credit, customer_record_payment
from sales.models import Sale, SaleStatus
from sales.services import sale_cancel, sale_create, sale_item_add
from sales.services.checkout import sale_complete_at
from tests.contracts import assert_audited
from tests.factories.customers import CustomerFactory
from tests.factories.medicine import MedicineFactory, StockFactory


def D(value) -> Decimal:
    return Decimal(value)


def sell_on_account(
    *,
    storefront,
    user,
    customer,
    amount,
    on_account=None,
    completed_at: datetime | None = None,
) -> Sale:
    """A completed sale of `amount`, `on_account` of it (all by default) on the account.

    `completed_at` backdates the completion, as the demo history does, for ageing tests.
    """
    amount = D(amount)
    on_account = amount if on_account is None else D(on_account)
    business = storefront.business
    actor = Actor.for_user(user)
    medicine = MedicineFactory(business=business, prix_br=amount)
    StockFactory(medicine=medicine, storefront=storefront, quantity=10)
    sale = sale_create(business=business, storefront=storefront, customer=customer, actor=actor)
    sale_item_add(sale=sale, medicine=medicine, quantity=1)
    payments = [{"method": "ON_ACCOUNT", "amount": str(on_account)}] if on_account else []
    if amount > on_account:
        payments.append({"method": "CASH", "amount": str(amount - on_account)})
    return sale_complete_at(
        sale=sale,
        payments=payments,
        override_credit_limit=False,
        actor=actor,
        completed_at=completed_at,
    )


def assert_ledgers_agree(customer=None):
    customers = (
        Customer.objects.all() if customer is None else Customer.objects.filter(pk=customer.pk)
    )
    result = ledger_check(customers=customers)
    assert result.differences == [], result.differences


def due(sale) -> Decimal:
    sale.refresh_from_db()
    return sale.amount_due


@pytest.fixture
def customer(business):
    return CustomerFactory(business=business, name="Karim Tazi")


@pytest.fixture
def sell(storefront, cashier, customer):
    def _sell(amount, **kwargs):
        kwargs.setdefault("customer", customer)
        return sell_on_account(storefront=storefront, user=cashier, amount=amount, **kwargs)

    return _sell


def pay(customer, amount, actor, **kwargs):
    kwargs.setdefault("method", "CASH")
    return customer_record_payment(customer=customer, amount=amount, actor=actor, **kwargs)


# --- allocation ----------------------------------------------------------------------------


def test_a_payment_settles_the_oldest_sale_first(customer, sell, cashier_actor):
    first, second = sell("100.00"), sell("50.00")

    payment = pay(customer, "100.00", cashier_actor)

    assert due(first) == D("0.00")
    assert due(second) == D("50.00")
    assert payment.customer.outstanding_balance == D("50.00")
    [allocation] = payment.ledger_entry.allocations.all()
    assert (allocation.sale_id, allocation.amount) == (first.pk, D("100.00"))
    assert_ledgers_agree()


def test_a_partial_payment_leaves_the_rest_due(customer, sell, cashier_actor):
    sale = sell("80.00")

    pay(customer, "30.50", cashier_actor)

    assert due(sale) == D("49.50")
    customer.refresh_from_db()
    assert customer.outstanding_balance == D("49.50")
    assert_ledgers_agree()


def test_a_payment_spans_several_sales(customer, sell, cashier_actor):
    sales = [sell("40.00"), sell("40.00"), sell("40.00")]

    payment = pay(customer, "100.00", cashier_actor, method="CARD", reference="slip 77")

    assert [due(sale) for sale in sales] == [D("0.00"), D("0.00"), D("20.00")]
    allocations = list(payment.ledger_entry.allocations.order_by("created_at", "id"))
    assert [(a.sale_id, a.amount) for a in allocations] == [
        (sales[0].pk, D("40.00")),
        (sales[1].pk, D("40.00")),
        (sales[2].pk, D("20.00")),
    ]
    entry = payment.ledger_entry
    assert (entry.entry_type, entry.amount, entry.balance_after) == (
        LedgerEntryType.PAYMENT,
        D("-100.00"),
        D("20.00"),
    )
    assert_ledgers_agree()


def test_an_overpayment_is_refused_naming_what_is_owed(customer, sell, cashier_actor):
    sell("60.00")

    with pytest.raises(DomainError) as caught:
        pay(customer, "60.01", cashier_actor)

    assert caught.value.code == "overpayment_not_allowed"
    assert caught.value.details["outstanding_balance"] == "60.00"
    assert "60.00" in caught.value.message
    assert not CustomerPayment.objects.exists()
    customer.refresh_from_db()
    assert customer.outstanding_balance == D("60.00")


def test_an_allowed_overpayment_becomes_credit_the_next_sale_uses(customer, sell, manager_actor):
    old = sell("60.00")

    pay(customer, "100.00", manager_actor, allow_overpayment=True)

    customer.refresh_from_db()
    assert customer.outstanding_balance == D("-40.00")
    assert due(old) == D("0.00")
    assert credit_held(customer=customer) == D("40.00")

    # The next on-account sale uses the credit first.
    covered, beyond = sell("25.00"), sell("30.00")
    assert due(covered) == D("0.00")
    assert due(beyond) == D("15.00")
    customer.refresh_from_db()
    assert customer.outstanding_balance == D("15.00")
    assert_ledgers_agree()


def test_a_payment_when_nothing_is_owed_needs_the_flag(customer, cashier_actor, manager_actor):
    with pytest.raises(DomainError) as caught:
        pay(customer, "10.00", cashier_actor)
    assert caught.value.details["outstanding_balance"] == "0.00"

    pay(customer, "10.00", manager_actor, allow_overpayment=True)
    customer.refresh_from_db()
    assert customer.outstanding_balance == D("-10.00")


def test_the_payment_is_audited_with_its_allocations(customer, sell, cashier_actor):
    sale = sell("70.00")

    payment = pay(customer, "50.00", cashier_actor, method="MOBILE_MONEY", reference="MM-1")

    entry = assert_audited("customer.payment_recorded", customer=customer)
    assert entry.event_data["amount"] == "50.00"
    assert entry.event_data["method"] == "MOBILE_MONEY"
    assert entry.event_data["reference"] == "MM-1"
    assert entry.event_data["changes"] == {"outstanding_balance": {"old": "70.00", "new": "20.00"}}
    assert entry.event_data["payment_id"] == str(payment.pk)
    assert entry.event_data["allocations"] == [
        {"sale_id": str(sale.pk), "receipt_number": sale.receipt_number, "amount": "50.00"}
    ]


@pytest.mark.parametrize(
    ("amount", "code"),
    [
        ("0", "amount_not_positive"),
        ("0.00", "amount_not_positive"),
        ("-5", "amount_not_positive"),
        ("abc", "amount_invalid"),
        ("NaN", "amount_invalid"),
        ("Infinity", "amount_invalid"),
        ("", "amount_invalid"),
        (None, "amount_invalid"),
        ("1.005", "amount_too_precise"),
        ("1e30", "amount_too_large"),
    ],
)
def test_bad_amounts_are_refused_and_change_nothing(customer, sell, cashier_actor, amount, code):
    sell("50.00")
    entries = CustomerLedgerEntry.objects.count()

    with pytest.raises(Invalid) as caught:
        pay(customer, amount, cashier_actor)

    assert caught.value.code == code
    assert "amount" in caught.value.details["fields"]
    assert CustomerLedgerEntry.objects.count() == entries
    assert not CustomerPayment.objects.exists()


def test_an_unknown_method_is_refused(customer, sell, cashier_actor):
    sell("50.00")
    with pytest.raises(DomainError) as caught:
        pay(customer, "10.00", cashier_actor, method="ON_ACCOUNT")
    assert caught.value.code == "invalid_payment_method"
    assert not CustomerPayment.objects.exists()


# --- credit adjustments --------------------------------------------------------------------


def test_added_credit_settles_unpaid_sales_and_is_audited(customer, sell, manager_actor):
    sale = sell("50.00")

    entry = customer_adjust_credit(
        customer=customer, amount="20.00", type="add", reason="Damaged box", actor=manager_actor
    )

    assert (entry.entry_type, entry.amount, entry.balance_after) == (
        LedgerEntryType.CREDIT_ADJUSTMENT,
        D("-20.00"),
        D("30.00"),
    )
    assert due(sale) == D("30.00")
    audit = assert_audited("customer.credit_adjusted", customer=customer)
    assert audit.event_data["type"] == "add"
    assert audit.event_data["reason"] == "Damaged box"
    assert audit.event_data["changes"]["outstanding_balance"]["new"] == "30.00"
    assert_ledgers_agree()


def test_deducted_credit_is_taken_back_and_no_longer_settles_sales(
    customer, sell, manager_actor, cashier_actor
):
    pay(customer, "50.00", manager_actor, allow_overpayment=True)

    customer_adjust_credit(
        customer=customer,
        amount="30.00",
        type="deduct",
        reason="Refunded in cash",
        actor=manager_actor,
    )

    customer.refresh_from_db()
    assert customer.outstanding_balance == D("-20.00")
    assert credit_held(customer=customer) == D("20.00")
    sale = sell("45.00")
    assert due(sale) == D("25.00")
    customer.refresh_from_db()
    assert customer.outstanding_balance == D("25.00")
    assert_ledgers_agree()


def test_a_deduction_beyond_the_credit_held_is_refused(customer, manager_actor, cashier_actor):
    pay(customer, "10.00", manager_actor, allow_overpayment=True)

    with pytest.raises(DomainError) as caught:
        customer_adjust_credit(
            customer=customer, amount="10.01", type="deduct", reason="x", actor=manager_actor
        )

    assert caught.value.code == "deduction_exceeds_credit"
    assert caught.value.details["credit_held"] == "10.00"
    assert CustomerLedgerEntry.objects.filter(entry_type="CREDIT_ADJUSTMENT").count() == 0


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"type": "gift"}, "adjustment_type_invalid"),
        ({"amount": "0"}, "amount_not_positive"),
        ({"amount": "2.999"}, "amount_too_precise"),
    ],
)
def test_bad_adjustments_are_refused_and_change_nothing(customer, manager_actor, changes, code):
    arguments = {"amount": "5.00", "type": "add", "reason": "Goodwill", **changes}

    with pytest.raises(DomainError) as caught:
        customer_adjust_credit(customer=customer, actor=manager_actor, **arguments)

    assert caught.value.code == code
    assert not CustomerLedgerEntry.objects.exists()
    assert not AuditLog.objects.filter(event_type="customer.credit_adjusted").exists()


def test_a_cashier_may_not_adjust_credit(customer, cashier_actor):
    with pytest.raises(Forbidden) as caught:
        customer_adjust_credit(
            customer=customer, amount="5.00", type="add", reason="x", actor=cashier_actor
        )
    assert caught.value.code == "manager_required"


# --- cancellation of an on-account sale ----------------------------------------------------


def test_cancelling_an_unpaid_sale_reverses_its_charge(customer, sell, manager_actor):
    sale = sell("75.00")

    sale_cancel(sale=sale, reason="Wrong customer", actor=manager_actor)

    customer.refresh_from_db()
    assert customer.outstanding_balance == D("0.00")
    reversal = CustomerLedgerEntry.objects.get(sale=sale, entry_type=LedgerEntryType.SALE_REVERSAL)
    assert reversal.amount == D("-75.00")
    assert due(sale) == D("0.00")
    assert_ledgers_agree()


def test_cancelling_a_paid_sale_releases_its_payment_to_the_next_debt(
    customer, sell, cashier_actor, manager_actor
):
    """The documented policy: the whole on-account charge is reversed; what was paid on the
    sale is released and settles the customer's other unpaid sales, oldest first."""
    paid, later = sell("60.00"), sell("50.00")
    payment = pay(customer, "60.00", cashier_actor)
    assert due(paid) == D("0.00")

    sale_cancel(sale=paid, reason="Returned", actor=manager_actor)

    assert not ReceivableAllocation.objects.filter(sale=paid).exists()
    assert due(later) == D("0.00")
    [allocation] = payment.ledger_entry.allocations.all()
    assert (allocation.sale_id, allocation.amount) == (later.pk, D("50.00"))
    customer.refresh_from_db()
    # 110 charged - 60 paid - 60 reversed: the 10 left of the payment is held as credit.
    assert customer.outstanding_balance == D("-10.00")
    assert credit_held(customer=customer) == D("10.00")
    assert_ledgers_agree()


def test_cancelling_a_partly_paid_sale_holds_the_payment_as_credit(
    customer, sell, cashier_actor, manager_actor
):
    sale = sell("80.00")
    pay(customer, "30.00", cashier_actor)

    sale_cancel(sale=sale, reason="Returned", actor=manager_actor)

    customer.refresh_from_db()
    assert customer.outstanding_balance == D("-30.00")
    reversal = CustomerLedgerEntry.objects.get(sale=sale, entry_type=LedgerEntryType.SALE_REVERSAL)
    assert reversal.amount == D("-80.00")
    assert "30.00 DH already paid" in reversal.description
    # The released payment pays for the next on-account sale.
    nxt = sell("20.00")
    assert due(nxt) == D("0.00")
    assert_ledgers_agree()


def test_a_part_cash_sale_owes_only_its_on_account_part(customer, sell, cashier_actor):
    sale = sell("100.00", on_account="40.00")

    assert due(sale) == D("40.00")
    customer.refresh_from_db()
    assert customer.outstanding_balance == D("40.00")
    assert customer.total_purchases == D("100.00")
    with pytest.raises(DomainError):
        pay(customer, "40.01", cashier_actor)
    pay(customer, "40.00", cashier_actor)
    assert due(sale) == D("0.00")
    assert_ledgers_agree()


def test_the_sales_copy_is_kept_in_step_when_credit_settles_it(
    customer, sell, cashier_actor, manager_actor
):
    pay(customer, "100.00", manager_actor, allow_overpayment=True)

    sale = sell("30.00")

    # The object the sales service returns already shows the sale settled by the credit.
    assert sale.amount_due == D("0.00")
    assert sale.status == SaleStatus.COMPLETED
    assert due(sale) == D("0.00")
