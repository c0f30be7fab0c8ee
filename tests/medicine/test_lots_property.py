"""Random histories of receiving lots, sales, returns, cancellations, stock adjustments,
lot adjustments, write-offs and recalls: after every step each storefront's stock is the
sum of its lots, no lot is below zero, every take of a sale is from a lot that could be
sold, and `check_ledgers` agrees."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db.models import F, Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medicine.lot_checks import stock_lots_check
from medicine.models import Lot, SaleItemLot, Stock
from medicine.services import lot_adjust, lot_recall, lot_receive, stock_adjust
from pos_project.actors import Actor
from pos_project.errors import DomainError
from pos_project.models import Role
from sales.models import Sale
from sales.services import sale_cancel, sale_return
from sales.services.one_step import CartLine, sale_checkout
from tests.factories.kernel import BusinessFactory, StaffMemberFactory, StorefrontFactory
from tests.factories.medicine import LotFactory, MedicineFactory

TODAY = date.today()

operation = st.one_of(
    st.tuples(st.just("receive"), st.integers(0, 1), st.integers(0, 3), st.integers(1, 9)),
    st.tuples(st.just("sell"), st.integers(0, 1), st.integers(1, 12)),
    st.tuples(st.just("sell"), st.integers(0, 1), st.integers(1, 12)),
    st.tuples(st.just("return"), st.integers(0, 20), st.integers(1, 5), st.booleans()),
    st.tuples(st.just("cancel"), st.integers(0, 20)),
    st.tuples(st.just("adjust_stock"), st.integers(0, 1), st.integers(-8, 8)),
    st.tuples(st.just("adjust_lot"), st.integers(0, 20), st.integers(-5, 5)),
    st.tuples(st.just("recall"), st.integers(0, 20)),
)


def _kept_and_proven():
    assert stock_lots_check().differences == []
    assert not Lot.objects.filter(quantity__lt=0).exists()
    for row in Stock.objects.all():
        held = Lot.objects.filter(medicine=row.medicine_id, storefront=row.storefront_id)
        assert row.quantity == (held.aggregate(units=Sum("quantity"))["units"] or 0)
    # nothing taken by a sale from a lot that had expired or was recalled before it
    assert not SaleItemLot.objects.filter(lot__expiry_date__lt=TODAY).exists()
    assert not SaleItemLot.objects.filter(
        lot__recalled_at__lt=F("item__sale__completed_at")
    ).exists()


@pytest.mark.django_db
@settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(operation, min_size=1, max_size=12))
def test_any_history_keeps_stock_the_sum_of_its_lots(operations):
    business = BusinessFactory()
    storefront = StorefrontFactory(business=business)
    cashier, manager = (
        Actor.for_user(StaffMemberFactory(business=business, role=role).user)
        for role in (Role.CASHIER, Role.MANAGER)
    )
    medicines = [MedicineFactory(business=business, prix_br=Decimal("5.00")) for _ in range(2)]
    for medicine in medicines:
        # one expired lot each, which no sale may touch
        LotFactory(
            medicine=medicine,
            storefront=storefront,
            expiry_date=TODAY - timedelta(days=1),
            quantity=3,
        )
    sales: list[Sale] = []
    for step in operations:
        kind, *args = step
        try:
            if kind == "receive":
                which, number, units = args
                lot_receive(
                    medicine=medicines[which],
                    storefront=storefront,
                    lot_number=f"N{number}",
                    expiry_date=TODAY + timedelta(days=30 * (number + 1)),
                    quantity=units,
                    actor=manager,
                )
            elif kind == "sell":
                which, units = args
                sales.append(
                    sale_checkout(
                        business=business,
                        storefront=storefront,
                        lines=[CartLine(medicine=medicines[which].pk, quantity=units)],
                        payments=[{"method": "CASH", "amount": "100.00"}],
                        actor=cashier,
                    )
                )
            elif kind == "return" and sales:
                index, units, restock = args
                sale = sales[index % len(sales)]
                sale_return(
                    sale=sale,
                    lines=[{"item": sale.items.get().pk, "quantity": units, "restock": restock}],
                    reason="Back",
                    refund_method="CASH",
                    actor=manager,
                )
            elif kind == "cancel" and sales:
                sale = sales[args[0] % len(sales)]
                sale_cancel(sale=sale, reason="Mistake", actor=manager)
            elif kind == "adjust_stock" and args[1]:
                which, delta = args
                stock_adjust(
                    medicine=medicines[which],
                    storefront=storefront,
                    quantity_delta=delta,
                    reason="Count",
                    actor=manager,
                )
            elif kind in ("adjust_lot", "recall"):
                lots = list(Lot.objects.filter(storefront=storefront).order_by("pk"))
                if lots:
                    lot = lots[args[0] % len(lots)]
                    if kind == "recall":
                        lot_recall(lot=lot, reference="R", recall_date=TODAY, actor=manager)
                    elif args[1]:
                        lot_adjust(
                            lot=lot,
                            quantity_delta=args[1],
                            reason="COUNT_CORRECTION",
                            actor=manager,
                        )
        except DomainError:
            pass  # a refusal changes nothing, which the checks below prove as well
        _kept_and_proven()
