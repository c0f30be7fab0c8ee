"""Expected cash equals its formula after any sequence of what happens at a till: cash, card,
mobile-money, split and on-account sales with change, cash and card debt payments, pay-ins,
pay-outs and cancellations of completed sales, a pay-out or a cancellation larger than the
drawer's cash being refused with nothing changed; and `check_ledgers`' recomputation of the
closed session agrees with what the close stored."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pos_project.actors import Actor
from pos_project.errors import DomainError
from pos_project.models import Business, Role
from pos_project.money import quantize
from receivables.services import customer_record_payment
from sales.models import SaleStatus
from sales.services import sale_cancel, sale_complete, sale_create, sale_item_add
from sales.services.tills import till_cash_move, till_session_close, till_session_open
from sales.till_checks import till_sessions_check
from sales.till_totals import till_session_totals
from tests.factories.customers import CustomerFactory
from tests.factories.kernel import BusinessFactory, StaffMemberFactory, StorefrontFactory
from tests.factories.medicine import MedicineFactory, StockFactory
from tests.factories.tills import TillFactory

PRICES = ["25.40", "13.85", "0.99", "142.50"]
TENDERS = ["CASH", "CARD", "MOBILE_MONEY", "ON_ACCOUNT", "CASH+CARD", "CASH+ACCOUNT"]
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("300"), places=2)

operation = st.one_of(
    st.tuples(
        st.just("sale"),
        st.integers(0, len(PRICES) - 1),
        st.integers(1, 3),
        st.sampled_from(
            ["CASH", "CARD", "MOBILE_MONEY", "ON_ACCOUNT", "CASH+CARD", "CASH+ACCOUNT"]
        ),
        st.decimals(min_value=Decimal("0"), max_value=Decimal("50"), places=2),
    ),
    st.tuples(st.just("debt"), st.sampled_from(["CASH", "CARD", "MOBILE_MONEY"]), amounts),
    st.tuples(st.just("move"), st.sampled_from(["PAY_IN", "PAY_OUT"]), amounts),
    st.tuples(st.just("cancel"), st.integers(0, 20)),
)


def _payments(kind: str, total: Decimal, extra: Decimal) -> list[dict]:
    """The tenders of a sale of `total`; cash is overpaid by `extra` (given back as change)."""
    half = quantize(total / 2)
    return {
        "CASH": [{"method": "CASH", "amount": total + extra}],
        "CARD": [{"method": "CARD", "amount": total}],
        "MOBILE_MONEY": [{"method": "MOBILE_MONEY", "amount": total}],
        "ON_ACCOUNT": [{"method": "ON_ACCOUNT", "amount": total}],
        "CASH+CARD": [
            {"method": "CARD", "amount": half},
            {"method": "CASH", "amount": total - half + extra},
        ],
        "CASH+ACCOUNT": [
            {"method": "ON_ACCOUNT", "amount": half},
            {"method": "CASH", "amount": total - half + extra},
        ],
    }[kind]


@pytest.mark.django_db
@settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    opening_float=amounts,
    operations=st.lists(operation, min_size=1, max_size=12),
    short=st.decimals(min_value=Decimal("-20"), max_value=Decimal("20"), places=2),
)
def test_expected_cash_is_the_formula_after_any_day(opening_float, operations, short):
    business = BusinessFactory(cash_control=True)
    storefront = StorefrontFactory(business=business, name="Main")
    # A manager at the till: the one person who also cancels completed sales.
    actor = Actor.for_user(StaffMemberFactory(business=business, role=Role.MANAGER).user)
    customer = CustomerFactory(business=business, credit_limit=None)
    medicines = []
    for price in PRICES:
        medicine = MedicineFactory(business=business, prix_br=Decimal(price))
        StockFactory(medicine=medicine, storefront=storefront, quantity=1000)
        medicines.append(medicine)
    session = till_session_open(
        till=TillFactory(storefront=storefront), opening_float=opening_float, actor=actor
    )
    expected = opening_float
    completed = []

    for op in operations:
        if op[0] == "sale":
            _, index, quantity, kind, extra = op
            on_account = "ACCOUNT" in kind
            sale = sale_create(
                business=business,
                storefront=storefront,
                customer=customer if on_account else None,
                actor=actor,
            )
            sale_item_add(sale=sale, medicine=medicines[index], quantity=quantity)
            sale.refresh_from_db()
            change = extra if "CASH" in kind else Decimal("0")
            payments = _payments(kind, sale.total_amount, change)
            sale = sale_complete(sale=sale, payments=payments, actor=actor)
            cash = sum((p["amount"] for p in payments if p["method"] == "CASH"), Decimal("0"))
            assert sale.change_due == change
            expected += cash - sale.change_due
            completed.append((sale, cash - sale.change_due))
        elif op[0] == "debt":
            _, method, amount = op
            customer.refresh_from_db()
            amount = min(amount, customer.outstanding_balance)
            if amount <= 0:
                continue
            customer_record_payment(customer=customer, amount=amount, method=method, actor=actor)
            if method == "CASH":
                expected += amount
        elif op[0] == "move":
            _, kind, amount = op
            if kind == "PAY_OUT" and amount > expected:
                with pytest.raises(DomainError) as refused:
                    till_cash_move(
                        session=session, type=kind, amount=amount, reason="float", actor=actor
                    )
                assert refused.value.code == "not_enough_cash"
                continue
            till_cash_move(session=session, type=kind, amount=amount, reason="float", actor=actor)
            expected += amount if kind == "PAY_IN" else -amount
        else:
            _, pick = op
            standing = [(s, kept) for s, kept in completed if s.status == SaleStatus.COMPLETED]
            if not standing:
                continue
            sale, kept = standing[pick % len(standing)]
            if kept > expected:
                with pytest.raises(DomainError) as refused:
                    sale_cancel(sale=sale, reason="Brought back", actor=actor)
                assert refused.value.code == "not_enough_cash"
                continue
            sale_cancel(sale=sale, reason="Brought back", actor=actor)
            sale.status = SaleStatus.CANCELLED
            expected -= kept

        assert till_session_totals(session).expected_cash == quantize(expected)
        assert expected >= 0

    counted = max(quantize(expected + short), Decimal("0.00"))
    closed = till_session_close(session=session, counted_cash=counted, actor=actor)

    assert closed.expected_cash == quantize(expected)
    assert closed.variance == counted - quantize(expected)
    check = till_sessions_check(businesses=Business.objects.filter(pk=business.pk))
    assert check.checked == 1
    assert check.differences == []
