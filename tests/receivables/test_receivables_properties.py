"""Random sequences of sales, payments, adjustments and cancellations keep every ledger true."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from customers.models import Customer
from pos_project.errors import DomainError
from pos_project.models import Business
from receivables.ledger import credit_held
from receivables.ledger_checks import ledger_check, receivables_summary_check
from receivables.services import customer_adjust_credit, customer_record_payment
from sales.models import Sale, SaleStatus
from sales.services import sale_cancel
from tests.factories.customers import CustomerFactory
from tests.receivables.test_receivables_service import sell_on_account

cents = st.integers(min_value=1, max_value=30_000).map(lambda n: Decimal(n) / 100)

operation = st.one_of(
    st.tuples(st.just("sell"), cents, st.sampled_from(["all", "part", "none"])),
    st.tuples(st.just("pay"), cents, st.booleans()),
    st.tuples(st.just("add"), cents),
    st.tuples(st.just("deduct"), cents),
    st.tuples(st.just("cancel"), st.integers(min_value=0, max_value=20)),
)


@pytest.mark.django_db
@settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(operation, min_size=1, max_size=12))
def test_any_sequence_leaves_the_ledgers_consistent(
    operations, business, storefront, cashier, cashier_actor, manager_actor
):
    customer = CustomerFactory(business=business)
    sales: list[Sale] = []
    # What the customer should owe, computed independently of the services.
    expected = Decimal("0.00")
    for op in operations:
        kind = op[0]
        customer.refresh_from_db()
        before = customer.outstanding_balance
        try:
            if kind == "sell":
                _, amount, part = op
                on_account = {"all": amount, "none": Decimal("0"), "part": (amount / 2)}[part]
                on_account = on_account.quantize(Decimal("0.01"))
                sales.append(
                    sell_on_account(
                        storefront=storefront,
                        user=cashier,
                        customer=customer,
                        amount=amount,
                        on_account=on_account,
                    )
                )
                expected += on_account
            elif kind == "pay":
                _, amount, overpay = op
                customer_record_payment(
                    customer=customer,
                    amount=amount,
                    method="CASH",
                    # Holding credit is a manager's decision.
                    actor=manager_actor if overpay else cashier_actor,
                    allow_overpayment=overpay,
                )
                assert overpay or amount <= max(before, 0)
                expected -= amount
            elif kind == "add":
                customer_adjust_credit(
                    customer=customer, amount=op[1], type="add", reason="r", actor=manager_actor
                )
                expected -= op[1]
            elif kind == "deduct":
                held = credit_held(customer=customer)
                customer_adjust_credit(
                    customer=customer, amount=op[1], type="deduct", reason="r", actor=manager_actor
                )
                assert op[1] <= held
                expected += op[1]
            elif kind == "cancel" and sales:
                sale = sales[op[1] % len(sales)]
                sale.refresh_from_db()
                if sale.status == SaleStatus.COMPLETED:
                    sale_cancel(sale=sale, reason="property test", actor=manager_actor)
                    expected -= sale.on_account_amount
        except DomainError as refused:
            # A refusal changes nothing, and only the documented refusals happen.
            assert refused.code in {"overpayment_not_allowed", "deduction_exceeds_credit"}
            customer.refresh_from_db()
            assert customer.outstanding_balance == before

    customer.refresh_from_db()
    assert customer.outstanding_balance == expected
    result = ledger_check(customers=Customer.objects.filter(pk=customer.pk))
    assert result.differences == []
    assert receivables_summary_check(businesses=Business.objects.filter(pk=business.pk)) == []
    due = sum((s.amount_due for s in Sale.objects.filter(customer=customer)), Decimal(0))
    if customer.outstanding_balance > 0:
        # Every debt is a sale still due: nothing owed floats free of a sale.
        assert due == customer.outstanding_balance
    else:
        assert due == 0
        assert credit_held(customer=customer) == -customer.outstanding_balance
