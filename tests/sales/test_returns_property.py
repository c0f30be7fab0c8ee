"""Random histories of sales (every tender, discounts), debt payments, credit adjustments,
partial returns and cancellations: after every step each balance equals its ledger, each
sale's amount due is its on-account part less what settled it (payments, credit and
returns), the summary equals its sources, stock is what was received less sold plus
restocked, and `check_ledgers` finds nothing."""

from collections import Counter
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Sum
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from customers.models import Customer
from medicine.models import Stock
from pos_project.actors import Actor
from pos_project.errors import DomainError
from pos_project.models import Business, Role
from pos_project.money import ZERO, quantize
from receivables.ledger_checks import ledger_check, receivables_summary_check
from receivables.models import ReceivableAllocation
from receivables.return_checks import returns_check
from receivables.services import customer_adjust_credit, customer_record_payment
from sales.models import RefundMethod, ReturnItem, ReturnRefund, Sale, SaleStatus
from sales.services import (
    sale_cancel,
    sale_complete,
    sale_create,
    sale_item_add,
    sale_return,
)
from tests.factories.customers import CustomerFactory
from tests.factories.kernel import BusinessFactory, StaffMemberFactory, StorefrontFactory
from tests.factories.medicine import MedicineFactory, StockFactory

RECEIVED = 1000
PRICES = ["10.00", "3.33", "7.99"]

line = st.tuples(
    st.integers(0, len(PRICES) - 1),
    st.integers(1, 4),
    st.integers(0, 100),  # % discount
)
sell = st.tuples(
    st.just("sell"),
    st.sampled_from([None, 0, 1]),  # walk-in, or one of two customers
    st.lists(line, min_size=1, max_size=3, unique_by=lambda item: item[0]),
    st.sampled_from(["CASH", "CARD", "MOBILE_MONEY"]),
    st.sampled_from(["none", "part", "all"]),  # how much goes on account
)
give_back = st.tuples(
    st.just("return"),
    st.integers(0, 30),  # which sale
    st.integers(0, 5),  # which line
    st.integers(1, 3),  # how many units
    st.booleans(),  # restock
    st.sampled_from([None, "CASH", "CARD", "MOBILE_MONEY", "ACCOUNT"]),
)
# Returns and sales drawn more often than the rest, so most histories return something.
operation = st.one_of(
    sell,
    give_back,
    give_back,
    st.tuples(st.just("pay"), st.integers(0, 1), st.integers(1, 5000), st.booleans()),
    st.tuples(st.just("adjust"), st.integers(0, 1), st.sampled_from(["add", "deduct"]),
              st.integers(1, 3000)),
    st.tuples(st.just("cancel"), st.integers(0, 30)),
)  # fmt: skip


def _cents(n: int) -> Decimal:
    return quantize(Decimal(n) / 100)


def _sell(shop, customer, lines, method, on_account_part):
    business, storefront, medicines, cashier, _ = shop
    sale = sale_create(business=business, storefront=storefront, customer=customer, actor=cashier)
    for index, quantity, percent in lines:
        medicine = medicines[index]
        discount = quantize(medicine.prix_br * quantity * percent / 100)
        sale_item_add(sale=sale, medicine=medicine, quantity=quantity, discount=discount)
    sale.refresh_from_db()
    total = sale.total_amount
    on_account = {"none": ZERO, "part": quantize(total / 2), "all": total}[on_account_part]
    if customer is None:
        on_account = ZERO
    payments = []
    if on_account > 0:
        payments.append({"method": "ON_ACCOUNT", "amount": on_account})
    if total - on_account > 0:
        payments.append({"method": method, "amount": total - on_account})
    return sale_complete(sale=sale, payments=payments, actor=cashier)


def _check(business, medicines, storefront, sold: Counter, restocked: Counter):
    customers = Customer.objects.filter(business=business)
    assert ledger_check(customers=customers).differences == []
    this_business = Business.objects.filter(pk=business.pk)
    assert receivables_summary_check(businesses=this_business) == []
    assert returns_check(businesses=this_business) == []
    for sale in Sale.objects.filter(business=business).prefetch_related("items"):
        allocated = quantize(
            ReceivableAllocation.objects.filter(sale=sale).aggregate(s=Sum("amount"))["s"] or ZERO
        )
        if sale.status == SaleStatus.COMPLETED:
            assert sale.amount_due == sale.on_account_amount - allocated
        off_due = quantize(
            ReturnRefund.objects.filter(
                sale_return__sale=sale, method=RefundMethod.AMOUNT_DUE
            ).aggregate(s=Sum("amount"))["s"]
            or ZERO
        )
        assert off_due <= allocated
        returned = quantize(sale.returns.aggregate(s=Sum("total"))["s"] or ZERO)
        assert sale.returned_total == returned <= sale.total_amount
        for item in sale.items.all():
            assert item.returned_quantity == (
                ReturnItem.objects.filter(sale_item=item).aggregate(s=Sum("quantity"))["s"] or 0
            )
            assert item.returned_quantity <= item.quantity
    for medicine in medicines:
        shelf = Stock.objects.get(medicine=medicine, storefront=storefront).quantity
        assert shelf == RECEIVED - sold[medicine.pk] + restocked[medicine.pk]


@pytest.mark.django_db
@settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(first=sell, operations=st.lists(operation, min_size=1, max_size=14))
def test_any_history_with_returns_keeps_every_ledger_true(first, operations):
    # A business of its own for each history: the checks read every sale of the business,
    # so a shared one would make each example re-check all the examples before it.
    business = BusinessFactory()
    storefront = StorefrontFactory(business=business)
    cashier_actor, manager_actor = (
        Actor.for_user(StaffMemberFactory(business=business, role=role).user)
        for role in (Role.CASHIER, Role.MANAGER)
    )
    medicines = [MedicineFactory(business=business, prix_br=Decimal(price)) for price in PRICES]
    for medicine in medicines:
        StockFactory(medicine=medicine, storefront=storefront, quantity=RECEIVED)
    customers = [CustomerFactory(business=business) for _ in range(2)]
    shop = (business, storefront, medicines, cashier_actor, manager_actor)
    sales: list[Sale] = []
    sold: Counter = Counter()  # units out: completed less cancelled
    restocked: Counter = Counter()
    for op in [first, *operations]:
        kind = op[0]
        try:
            if kind == "sell":
                _, who, lines, method, part = op
                customer = customers[who] if who is not None else None
                sale = _sell(shop, customer, lines, method, part)
                sales.append(sale)
                for item in sale.items.all():
                    sold[item.medicine_id] += item.quantity
            elif kind == "pay":
                _, who, amount, extra = op
                customer_record_payment(
                    customer=customers[who],
                    amount=_cents(amount),
                    method="CASH",
                    actor=cashier_actor,
                    allow_overpayment=extra,
                )
            elif kind == "adjust":
                _, who, direction, amount = op
                customer_adjust_credit(
                    customer=customers[who],
                    amount=_cents(amount),
                    type=direction,
                    reason="Goodwill",
                    actor=manager_actor,
                )
            elif kind == "return" and sales:
                _, which, line_index, quantity, restock, method = op
                sale = sales[which % len(sales)]
                items = list(sale.items.all())
                item = items[line_index % len(items)]
                sale_return(
                    sale=sale,
                    lines=[{"item": item.pk, "quantity": quantity, "restock": restock}],
                    reason="Brought back",
                    refund_method=method,
                    actor=manager_actor,
                )
                if restock:
                    restocked[item.medicine_id] += quantity
            elif kind == "cancel" and sales:
                sale = sales[op[1] % len(sales)]
                sale_cancel(sale=sale, reason="Rung up twice", actor=manager_actor)
                for item in sale.items.all():
                    sold[item.medicine_id] -= item.quantity
            event(f"{kind}: ok")
        except DomainError as refusal:
            # Refused steps are part of the history: they must change nothing.
            event(f"{kind}: {refusal.code}")
        _check(business, medicines, storefront, sold, restocked)
    out = StringIO()
    call_command("check_ledgers", "--business", str(business.pk), stdout=out)
    assert "agree" in out.getvalue()
