"""`check_ledgers`: every balance, statement, allocation and statistic against its sources."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F

from customers.models import Customer
from receivables.models import CustomerLedgerEntry, ReceivableAllocation
from receivables.services import customer_adjust_credit, customer_record_payment
from sales.models import Sale
from sales.services import sale_cancel
from tests.factories.customers import CustomerFactory
from tests.receivables.test_receivables_service import sell_on_account


@pytest.fixture
def customer(business):
    return CustomerFactory(business=business, name="Hamza Chraibi")


@pytest.fixture
def history(storefront, cashier, customer, cashier_actor, manager_actor):
    """A customer with sales, a payment spanning them, credit, and a cancelled sale."""
    sales = [
        sell_on_account(storefront=storefront, user=cashier, customer=customer, amount=amount)
        for amount in ("40.00", "60.00", "30.00")
    ]
    customer_record_payment(customer=customer, amount="70.00", method="CASH", actor=cashier_actor)
    sale_cancel(sale=sales[0], reason="Returned", actor=manager_actor)
    customer_adjust_credit(
        customer=customer, amount="5.00", type="add", reason="Goodwill", actor=manager_actor
    )
    sell_on_account(
        storefront=storefront, user=cashier, customer=customer, amount="100.00", on_account="0"
    )
    return sales


def run(*args) -> str:
    out = StringIO()
    call_command("check_ledgers", *args, stdout=out)
    return out.getvalue()


def failure(*args) -> str:
    with pytest.raises(CommandError) as caught:
        run(*args)
    return str(caught.value)


def test_a_consistent_history_passes(history, business):
    CustomerFactory(business=business)

    output = run()

    assert "Checked 2 customers." in output
    assert "agree" in output


def test_a_balance_off_the_ledger_is_named(history, customer):
    Customer.objects.filter(pk=customer.pk).update(outstanding_balance=F("outstanding_balance") + 1)

    message = failure()

    assert "Hamza Chraibi" in message
    assert "ledger sums to" in message


def test_a_wrong_running_balance_is_named(history, customer):
    entry = CustomerLedgerEntry.objects.get(customer=customer, sequence=2)
    CustomerLedgerEntry.objects.filter(pk=entry.pk).update(balance_after=Decimal("999.00"))

    message = failure()

    assert "ledger entry 2 has balance_after 999.00" in message


def test_a_gap_in_the_sequence_is_named(history, customer):
    last = CustomerLedgerEntry.objects.filter(customer=customer).order_by("-sequence").first()
    CustomerLedgerEntry.objects.filter(pk=last.pk).update(sequence=last.sequence + 5)

    assert "without gaps" in failure()


def test_every_entry_took_the_sequence_kept_on_its_customer(history, customer):
    customer.refresh_from_db()
    entries = CustomerLedgerEntry.objects.filter(customer=customer).order_by("sequence")

    assert list(entries.values_list("sequence", flat=True)) == list(range(1, 7))
    assert customer.ledger_sequence == 6


def test_a_kept_sequence_behind_the_ledger_is_named(history, customer):
    Customer.objects.filter(pk=customer.pk).update(ledger_sequence=F("ledger_sequence") - 1)

    message = failure()

    assert "Hamza Chraibi" in message
    assert "ledger_sequence 5 but the last ledger entry is 6" in message


def test_a_customer_without_entries_keeps_sequence_zero(business):
    idle = CustomerFactory(business=business)
    Customer.objects.filter(pk=idle.pk).update(ledger_sequence=2)

    assert "ledger_sequence 2 but the last ledger entry is 0" in failure()


def test_an_allocation_beyond_its_sale_is_named(history):
    allocation = ReceivableAllocation.objects.order_by("created_at").first()
    ReceivableAllocation.objects.filter(pk=allocation.pk).update(amount=Decimal("500.00"))

    message = failure()

    assert "allocated, more than" in message


def test_a_wrong_amount_due_is_named(history):
    sale = Sale.objects.filter(amount_due__gt=0).first()
    Sale.objects.filter(pk=sale.pk).update(amount_due=F("amount_due") - 1)

    message = failure()

    assert f"sale {sale.receipt_number}: amount_due" in message


def test_wrong_purchase_statistics_are_named(history, customer):
    Customer.objects.filter(pk=customer.pk).update(
        sales_count=F("sales_count") + 1, total_purchases=F("total_purchases") + 3
    )

    message = failure()

    assert "sales_count" in message
    assert "total_purchases" in message


def test_a_wrong_last_purchase_date_is_named(history, customer):
    Customer.objects.filter(pk=customer.pk).update(last_purchase_date=None)

    assert "last_purchase_date" in failure()


def test_business_scopes_the_check(history, business, other_business):
    broken = CustomerFactory(business=other_business, name="Elsewhere")
    Customer.objects.filter(pk=broken.pk).update(outstanding_balance=Decimal("12.00"))

    assert "Checked 1 customers." in run("--business", str(business.pk))
    assert "Elsewhere" in failure()


@pytest.mark.parametrize("value", ["not-a-uuid", "00000000-0000-0000-0000-000000000000"])
def test_an_unknown_business_is_refused(db, value):
    assert "No business" in failure("--business", value)
