"""Receivables races on PostgreSQL, with real threads and real connections.

Each thread acts as one till or back office through its own connection and closes it at the
end. The figures printed (run with -s) are the ones quoted in the closing note.
"""

from decimal import Decimal

import pytest
from django.db.models import Sum

from customers.models import Customer
from pos_project.actors import Actor
from pos_project.models import Role
from receivables.ledger_checks import ledger_check
from receivables.models import CustomerLedgerEntry, CustomerPayment
from receivables.services import customer_record_payment
from sales.services import sale_complete, sale_create, sale_item_add
from tests.concurrency import race, report
from tests.conftest import client_for, requires_postgres
from tests.factories.customers import CustomerFactory
from tests.factories.kernel import BusinessFactory, StaffMemberFactory, StorefrontFactory
from tests.factories.medicine import MedicineFactory, StockFactory
from tests.receivables.test_receivables_service import sell_on_account

pytestmark = [requires_postgres, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shop():
    business = BusinessFactory()
    storefront = StorefrontFactory(business=business, name="Main")
    cashier = StaffMemberFactory(business=business, role=Role.CASHIER).user
    return business, storefront, cashier


def _ledger_sum(customer) -> Decimal:
    return CustomerLedgerEntry.objects.filter(customer=customer).aggregate(s=Sum("amount"))["s"]


def _drafts_of_30(business, storefront, actor, customers) -> list:
    """One DRAFT of 30.00 per customer listed (a customer listed twice gets two)."""
    medicine = MedicineFactory(business=business, prix_br=Decimal("30.00"))
    StockFactory(medicine=medicine, storefront=storefront, quantity=1000)
    drafts = []
    for customer in customers:
        sale = sale_create(business=business, storefront=storefront, customer=customer, actor=actor)
        sale_item_add(sale=sale, medicine=medicine, quantity=1)
        drafts.append(sale)
    return drafts


def _on_account_completions(drafts, actor) -> list:
    return [
        lambda sale=sale: sale_complete(
            sale=sale, payments=[{"method": "ON_ACCOUNT", "amount": "30.00"}], actor=actor
        ).receipt_number
        for sale in drafts
    ]


def test_concurrent_payments_and_on_account_sales_keep_the_ledger_true(shop):
    business, storefront, cashier = shop
    actor = Actor.for_user(cashier)
    customer = CustomerFactory(business=business)
    sell_on_account(storefront=storefront, user=cashier, customer=customer, amount="500.00")
    drafts = _drafts_of_30(business, storefront, actor, [customer] * 10)

    completions = _on_account_completions(drafts, actor)
    payments = [
        lambda: customer_record_payment(
            customer=customer, amount="25.00", method="CASH", actor=actor
        ).pk
        for _ in range(10)
    ]
    workers = [work for pair in zip(completions, payments, strict=True) for work in pair]
    outcomes = race(workers)

    assert all(outcome[0] == "ok" for outcome in outcomes), outcomes
    customer.refresh_from_db()
    # 500 + 10 x 30 charged, 10 x 25 paid.
    assert customer.outstanding_balance == Decimal("550.00") == _ledger_sum(customer)
    assert CustomerPayment.objects.filter(customer=customer).count() == 10
    result = ledger_check(customers=Customer.objects.filter(pk=customer.pk))
    assert result.differences == []
    report(
        f"\n10 on-account completions and 10 payments raced on one customer: balance "
        f"{customer.outstanding_balance}, ledger sum {_ledger_sum(customer)}, check_ledgers "
        f"differences {len(result.differences)}"
    )


def test_concurrent_overpayment_checks_see_each_others_payments(shop):
    """Each payment is checked against the balance left by the ones before it."""
    business, storefront, cashier = shop
    actor = Actor.for_user(cashier)
    customer = CustomerFactory(business=business)
    sell_on_account(storefront=storefront, user=cashier, customer=customer, amount="100.00")

    outcomes = race(
        [
            lambda: customer_record_payment(
                customer=customer, amount="30.00", method="CASH", actor=actor
            ).pk
            for _ in range(6)
        ]
    )

    assert sorted(o[0] for o in outcomes) == ["ok"] * 3 + ["refused"] * 3, outcomes
    assert {o[1] for o in outcomes if o[0] == "refused"} == {"overpayment_not_allowed"}
    customer.refresh_from_db()
    assert customer.outstanding_balance == Decimal("10.00") == _ledger_sum(customer)


def test_concurrent_replays_with_one_key_record_one_payment(shop):
    business, storefront, cashier = shop
    customer = CustomerFactory(business=business)
    sell_on_account(storefront=storefront, user=cashier, customer=customer, amount="100.00")
    url = f"/customers/api/customers/{customer.pk}/record_payment/"
    body = {"amount": "40.00", "method": "MOBILE_MONEY", "reference": "MM-778"}

    def post():
        response = client_for(cashier).post(
            url, body, format="json", HTTP_IDEMPOTENCY_KEY="double-click-1"
        )
        return response.status_code, response.json()

    outcomes = race([post for _ in range(8)])

    assert all(outcome[0] == "ok" for outcome in outcomes), outcomes
    statuses = [outcome[1][0] for outcome in outcomes]
    assert set(statuses) <= {201, 409}, statuses
    created = [outcome[1][1] for outcome in outcomes if outcome[1][0] == 201]
    assert created and all(body["id"] == created[0]["id"] for body in created)
    assert CustomerPayment.objects.filter(customer=customer).count() == 1
    customer.refresh_from_db()
    assert customer.outstanding_balance == Decimal("60.00") == _ledger_sum(customer)
    # Once the first has finished, a retry gets its answer.
    status, replay = post()
    assert (status, replay["id"]) == (201, created[0]["id"])
    report(
        f"\n8 concurrent record_payment with one Idempotency-Key: statuses {sorted(statuses)}, "
        f"payments recorded {CustomerPayment.objects.filter(customer=customer).count()}"
    )


def test_concurrent_operations_across_customers_keep_the_receivables_summary_true(shop):
    """Tills and back office on several customers of one business: the summary row queues
    them, none deadlocks, and it ends equal to a recomputation from the sources."""
    from pos_project.models import Business
    from receivables.ledger_checks import receivables_summary_check
    from receivables.models import ReceivablesSummary
    from sales.services import sale_cancel

    business, storefront, cashier = shop
    actor = Actor.for_user(cashier)
    manager = Actor.for_user(StaffMemberFactory(business=business, role=Role.MANAGER).user)
    customers = [CustomerFactory(business=business) for _ in range(4)]
    first_sales = [
        sell_on_account(storefront=storefront, user=cashier, customer=customer, amount="80.00")
        for customer in customers
    ]
    drafts = _drafts_of_30(business, storefront, actor, customers * 2)

    workers = _on_account_completions(drafts, actor)
    workers += [
        lambda customer=customer: customer_record_payment(
            customer=customer, amount="50.00", method="CASH", actor=actor
        ).pk
        for customer in customers * 2
    ]
    workers += [
        lambda sale=sale: sale_cancel(sale=sale, reason="race", actor=manager).status
        for sale in first_sales[:2]
    ]
    outcomes = race(workers)

    assert all(outcome[0] in ("ok", "refused") for outcome in outcomes), outcomes
    assert {o[1] for o in outcomes if o[0] == "refused"} <= {"overpayment_not_allowed"}
    assert receivables_summary_check(businesses=Business.objects.filter(pk=business.pk)) == []
    assert ledger_check(customers=Customer.objects.filter(business=business)).differences == []
    summary = ReceivablesSummary.objects.get(business=business)
    report(
        f"\n{len(workers)} completions, payments and cancellations raced on 4 customers of one "
        f"business: summary {summary.debtors} debtors, {summary.amount_owed} owed, "
        f"{summary.amount_due} due, agreeing with the sources"
    )
