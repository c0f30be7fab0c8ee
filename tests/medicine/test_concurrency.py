"""Stock under concurrent tills, on PostgreSQL with real threads and real connections."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from itertools import pairwise

import pytest
from django.db import connection, transaction

from audit.models import AuditLog
from medicine.models import SaleItemLot, Stock
from medicine.services import lot_recall, lot_receive, stock_adjust, stock_decrement_for_sale
from pos_project.actors import Actor
from pos_project.errors import DomainError
from tests.conftest import requires_postgres
from tests.factories.medicine import LotFactory, MedicineFactory, StockFactory
from tests.medicine.helpers import sale_lines

pytestmark = [
    requires_postgres,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

WORKERS = 8


def run_together(task, count: int) -> list:
    """Runs `task(i)` in `count` threads released at once; each closes its own connection."""
    barrier = threading.Barrier(count)

    def worker(index):
        try:
            barrier.wait(timeout=10)
            return task(index)
        except DomainError as error:
            return error
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(worker, range(count)))


def test_concurrent_deliveries_never_lose_an_update(business, storefront, manager):
    # given a medicine with no stock row at all, so the threads also race to create it
    medicine = MedicineFactory(business=business)
    actor = Actor.for_user(manager)

    # when 8 managers each record a delivery of 1..8 units at the same moment
    results = run_together(
        lambda i: stock_adjust(
            medicine=medicine,
            storefront=storefront,
            quantity_delta=i + 1,
            reason=f"Delivery {i}",
            actor=actor,
        ),
        WORKERS,
    )

    # then every one is counted, and each audit entry saw the quantity the one before left
    assert not [result for result in results if isinstance(result, Exception)]
    assert Stock.objects.get(medicine=medicine, storefront=storefront).quantity == 36
    entries = AuditLog.objects.filter(event_type="medicine.stock_adjusted").order_by("sequence")
    assert len(entries) == WORKERS
    for before, after in pairwise(entries):
        assert (
            after.event_data["changes"]["quantity"]["old"]
            == (before.event_data["changes"]["quantity"]["new"])
        )


def test_concurrent_removals_never_take_the_shelf_below_zero(business, storefront, manager):
    # given 5 units on the shelf
    medicine = MedicineFactory(business=business)
    StockFactory(medicine=medicine, storefront=storefront, quantity=5)
    actor = Actor.for_user(manager)

    # when 8 managers each remove 2 at once
    results = run_together(
        lambda i: stock_adjust(
            medicine=medicine,
            storefront=storefront,
            quantity_delta=-2,
            reason="Breakage",
            actor=actor,
        ),
        WORKERS,
    )

    # then exactly two succeed, the rest are told what is left, and 1 unit remains
    refused = [result for result in results if isinstance(result, DomainError)]
    assert len(refused) == WORKERS - 2
    assert {error.details["on_hand"] for error in refused} == {1}
    assert Stock.objects.get(medicine=medicine, storefront=storefront).quantity == 1


def test_concurrent_sales_never_oversell(business, storefront):
    # given 10 units of each of two medicines
    first, second = MedicineFactory.create_batch(2, business=business)
    StockFactory(medicine=first, storefront=storefront, quantity=10)
    StockFactory(medicine=second, storefront=storefront, quantity=10)

    tills = [sale_lines(storefront, {first: 3, second: 3}) for _ in range(WORKERS)]

    def sell(index):
        # half the tills list the medicines in the other order: lock order must not care
        lines = tills[index] if index % 2 else list(reversed(tills[index]))
        with transaction.atomic():
            stock_decrement_for_sale(storefront=storefront, lines=lines, today=date.today())
        return "sold"

    # when 8 tills each sell 3 of each at once
    results = run_together(sell, WORKERS)

    # then three sales go through, the others get the shortage, and nothing is negative
    assert results.count("sold") == 3
    refused = [result for result in results if isinstance(result, DomainError)]
    assert len(refused) == WORKERS - 3
    assert all(error.code == "insufficient_stock" for error in refused)
    assert Stock.objects.get(medicine=first).quantity == 1
    assert Stock.objects.get(medicine=second).quantity == 1


def test_a_recall_and_a_delivery_racing_sales_of_the_lot_never_deadlock(
    business, storefront, manager
):
    # given a dated lot of 8 at the storefront, and tills each taking 2 of it
    medicine = MedicineFactory(business=business)
    lot = LotFactory(
        medicine=medicine,
        storefront=storefront,
        expiry_date=date.today() + timedelta(days=60),
        quantity=8,
    )
    tills = [sale_lines(storefront, {medicine: 2}) for _ in range(WORKERS - 2)]
    actor = Actor.for_user(manager)

    def work(index):
        if index == 0:
            return lot_recall(lot=lot, reference="R-1", recall_date=date.today(), actor=actor)
        if index == 1:
            return lot_receive(
                medicine=medicine,
                storefront=storefront,
                lot_number=lot.lot_number,
                expiry_date=lot.expiry_date,
                quantity=1,
                actor=actor,
            )
        with transaction.atomic():
            stock_decrement_for_sale(
                storefront=storefront, lines=tills[index - 2], today=date.today()
            )
        return "sold"

    # when a manager recalls the lot and another receives more of it, as the tills sell
    results = run_together(work, WORKERS)

    # then nothing errs but by a refusal (a till after the recall finds the lot recalled),
    # each sale is recorded against the lot, and the shelf is the sum of its lots
    unexpected = [r for r in results if isinstance(r, Exception) and not isinstance(r, DomainError)]
    assert not unexpected, unexpected
    refused = {r.code for r in results if isinstance(r, DomainError)}
    assert refused <= {"stock_recalled", "insufficient_stock", "lot_recalled"}
    lot.refresh_from_db()
    assert lot.is_recalled
    sold = results.count("sold")
    received = 0 if isinstance(results[1], DomainError) else 1
    assert lot.quantity == 8 + received - 2 * sold
    assert Stock.objects.get(medicine=medicine).quantity == lot.quantity
    assert SaleItemLot.objects.filter(lot=lot).count() == sold
