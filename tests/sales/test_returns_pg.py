"""Returns racing each other, a cancellation and a debt payment, on PostgreSQL with real
threads and real connections. The figures printed (run with -s) are quoted in the closing
note."""

from decimal import Decimal

import pytest

from medicine.models import Stock
from pos_project.actors import Actor
from receivables.ledger_checks import ledger_check, receivables_summary_check
from receivables.services import customer_record_payment
from sales.models import Return, SaleStatus
from sales.services import sale_cancel, sale_return
from tests.concurrency import race, report
from tests.conftest import requires_postgres
from tests.factories.customers import CustomerFactory
from tests.factories.kernel import BusinessFactory, StaffMemberFactory, StorefrontFactory
from tests.factories.medicine import MedicineFactory
from tests.factories.sales import complete_sale

pytestmark = [requires_postgres, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shop():
    business = BusinessFactory()
    storefront = StorefrontFactory(business=business, name="Main")
    cashier = StaffMemberFactory(business=business, role="CASHIER").user
    managers = [
        Actor.for_user(StaffMemberFactory(business=business, role="MANAGER").user) for _ in range(2)
    ]
    medicine = MedicineFactory(business=business, prix_br=Decimal("30.00"))
    return business, storefront, cashier, managers, medicine


def _last_unit(sale, manager):
    item = sale.items.get()
    return lambda: sale_return(
        sale=sale,
        lines=[{"item": item.pk, "quantity": 1}],
        reason="Returned at two counters",
        actor=manager,
    ).number


def _books_agree():
    assert ledger_check().differences == []
    assert receivables_summary_check() == []


def test_two_managers_returning_the_last_unit_one_wins(shop):
    business, storefront, cashier, managers, medicine = shop
    customer = CustomerFactory(business=business)
    rounds = 10
    wins, refusals = 0, []
    for _ in range(rounds):
        sale = complete_sale(
            storefront=storefront,
            actor_user=cashier,
            lines=[(medicine, 1)],
            customer=customer,
            on_account=True,
        )
        outcomes = race([_last_unit(sale, manager) for manager in managers])
        assert not [o for o in outcomes if o[0] == "error"], outcomes
        wins += sum(1 for o in outcomes if o[0] == "ok")
        refusals += [o[1] for o in outcomes if o[0] == "refused"]
        sale.refresh_from_db()
        assert sale.returned_total == sale.total_amount
        assert sale.items.get().returned_quantity == 1

    numbers = sorted(Return.objects.values_list("number", flat=True))
    shelf = Stock.objects.get(medicine=medicine, storefront=storefront).quantity
    customer.refresh_from_db()
    report(
        f"\n{rounds} rounds of two managers returning the last unit at once: {wins} returns "
        f"taken, {len(refusals)} refused ({set(refusals)}); numbers {numbers[0]}..{numbers[-1]}; "
        f"balance {customer.outstanding_balance}, shelf {shelf}"
    )
    assert wins == rounds
    assert refusals == ["return_exceeds_sold"] * rounds
    assert numbers == [f"R-{n:06d}" for n in range(1, rounds + 1)]
    assert customer.outstanding_balance == 0
    assert shelf == 100
    _books_agree()


def test_a_return_racing_a_cancellation_one_of_them_wins(shop):
    business, storefront, cashier, managers, medicine = shop
    customer = CustomerFactory(business=business)
    results = []
    for _ in range(6):
        sale = complete_sale(
            storefront=storefront,
            actor_user=cashier,
            lines=[(medicine, 2)],
            customer=customer,
            on_account=True,
        )
        outcomes = race(
            [
                _last_unit(sale, managers[0]),
                lambda sale=sale: sale_cancel(
                    sale=sale, reason="Rung up twice", actor=managers[1]
                ).status,
            ]
        )
        assert not [o for o in outcomes if o[0] == "error"], outcomes
        sale.refresh_from_db()
        returned, cancelled = outcomes
        if returned[0] == "ok":
            assert cancelled == ("refused", "sale_has_returns")
            assert sale.status == SaleStatus.COMPLETED
        else:
            assert returned == ("refused", "invalid_sale_status")
            assert cancelled == ("ok", SaleStatus.CANCELLED)
        results.append("return" if returned[0] == "ok" else "cancel")
    report(f"\nA return racing a cancellation, 6 rounds: winners {results}")
    _books_agree()


def test_returns_racing_a_debt_payment_keep_every_ledger_true(shop):
    business, storefront, cashier, managers, medicine = shop
    customer = CustomerFactory(business=business)
    sales = [
        complete_sale(
            storefront=storefront,
            actor_user=cashier,
            lines=[(medicine, 2)],
            customer=customer,
            on_account=True,
        )
        for _ in range(4)
    ]
    cashier_actor = Actor.for_user(cashier)
    work = [_last_unit(sale, managers[index % 2]) for index, sale in enumerate(sales)]
    work.append(
        lambda: customer_record_payment(
            customer=customer, amount=Decimal("100.00"), method="CASH", actor=cashier_actor
        ).amount
    )

    outcomes = race(work)

    assert all(o[0] == "ok" for o in outcomes), outcomes
    customer.refresh_from_db()
    # 8 units at 30.00 on account, 4 returned, 100.00 paid.
    report(
        f"\n4 returns and a payment at once for one customer: balance "
        f"{customer.outstanding_balance}, total purchases {customer.total_purchases}"
    )
    assert customer.outstanding_balance == Decimal("20.00")
    assert customer.total_purchases == Decimal("120.00")
    _books_agree()
