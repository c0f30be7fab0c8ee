"""The Debtors report's latency on PostgreSQL: 100,000 customers, 10,000 of them owing.

Run: `DATABASE_URL=postgres://postgres@127.0.0.1:5432/pos_bench_debtors \
      .venv/bin/python scripts/bench_debtors.py [--customers N] [--owing N] [--requests N]`

It creates the database if needed, migrates it, and fills one business (a second run reuses
the data) with bulk inserts in batches:
- customers who owe nothing, each with a few sales paid at the till (so the sales table is
  large and mostly irrelevant to the report, as in a real shop);
- owing customers, each with one to four completed on-account sales spread over the last
  200 days, the oldest partly settled by a payment: ledger entries, balances, allocations
  and `amount_due` exactly as the services write them;
- a handful of customers holding credit (negative balances);
- the business's receivables summary and due slots and its customer counts, recomputed
  from those rows by `receivables_summary_rebuild` and `customer_counts_rebuild` (the rows
  go in beside the services, which keep them).
Then it times `--requests` calls of the report's first page two ways:
- api: `GET /customers/api/debtors/` through DRF's APIClient, in process, as a manager with
  a token: authentication, filters, the count, the first page of 50, the totals over every
  debtor, serialisation; no network or WSGI server;
- db: the same queries through the selector alone (`debtors_totals` of the unfiltered
  report, which reads the count and totals from the summary and slots, then the first page
  of `debtors_report`), which is the database's share of the above.
It prints p50, p95 and max in milliseconds for each, and the plan of the page query.
"""

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# The test settings are the real ones with a throwaway secret key; DEBUG stays off so that
# Django does not keep every query in memory and skew the timings.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pos_project.test_settings")

import django  # noqa: E402
from bench_support import ensure_database, percentile, report  # noqa: E402

BATCH = 5_000
# What the report's sums and lookups read: the few sales still due, by customer and age.
PROPOSED_INDEX = (
    "CREATE INDEX IF NOT EXISTS sale_unpaid ON sales_sale "
    "(business_id, completed_at) INCLUDE (customer_id, amount_due) "
    "WHERE status = 'COMPLETED' AND amount_due > 0"
)
BUSINESS_NAME = "Pharmacie Bench Debtors"


class Writer:
    """Collects rows per model and bulk-inserts each batch as soon as it is full."""

    def __init__(self):
        self.pending: dict = {}

    def add(self, row) -> None:
        rows = self.pending.setdefault(type(row), [])
        rows.append(row)
        if len(rows) >= BATCH:
            self.flush(type(row))

    def flush(self, model=None) -> None:
        from customers.models import Customer
        from receivables.models import CustomerLedgerEntry, CustomerPayment, ReceivableAllocation
        from sales.models import Sale

        # Parents before children, so foreign keys always find their row.
        order = [Customer, Sale, CustomerPayment, CustomerLedgerEntry, ReceivableAllocation]
        for kind in order if model is None else order[: order.index(model) + 1]:
            rows = self.pending.pop(kind, [])
            if rows:
                kind.objects.bulk_create(rows, batch_size=BATCH)


def fill(*, business, storefront, user, customers: int, owing: int, rng: random.Random):
    from django.db import transaction
    from django.utils import timezone

    from customers.counts import customer_counts_rebuild
    from customers.models import Customer
    from customers.search import search_name_for
    from receivables.models import (
        CustomerLedgerEntry,
        CustomerPayment,
        DebtPaymentMethod,
        LedgerEntryType,
        ReceivableAllocation,
    )
    from receivables.summary import receivables_summary_rebuild
    from sales.models import ReceiptSequence, Sale, SaleStatus

    have = Customer.objects.filter(business=business).count()
    if have >= customers:
        report(f"reusing {have} customers")
        return
    started = time.perf_counter()
    now = timezone.now()
    writer = Writer()
    receipt = 0
    credit_holders = max(1, owing // 100)
    cents = Decimal("0.01")

    def sale(customer, *, total, on_account, due, completed_at):
        nonlocal receipt
        receipt += 1
        row = Sale(
            id=uuid.uuid4(),
            business=business,
            storefront=storefront,
            customer=customer,
            status=SaleStatus.COMPLETED,
            receipt_sequence=receipt,
            receipt_number=f"S-{receipt:06d}",
            subtotal=total,
            total_amount=total,
            amount_paid=total,
            on_account_amount=on_account,
            amount_due=due,
            created_by=user,
            completed_at=completed_at,
        )
        writer.add(row)
        return row

    def entry(customer, sequence, kind, amount, balance, *, sale=None, payment=None):
        row = CustomerLedgerEntry(
            id=uuid.uuid4(),
            business=business,
            customer=customer,
            sequence=sequence,
            entry_type=kind,
            amount=amount,
            balance_after=balance,
            sale=sale,
            payment=payment,
            description=kind,
            created_by=user,
            created_by_name="bench",
        )
        writer.add(row)
        return row

    with transaction.atomic():
        for index in range(have, customers):
            name = f"Client {index:06d}"
            customer = Customer(
                id=uuid.uuid4(),
                business=business,
                name=name,
                search_name=search_name_for(name),
                phone=f"+2126{index:08d}",
            )
            completed = []
            if index < owing + credit_holders:
                count = rng.randint(1, 4)
                for _ in range(count):
                    total = Decimal(rng.randint(1_000, 90_000)) / 100
                    completed.append((total, now - timedelta(days=rng.randint(0, 200))))
            else:
                for _ in range(rng.randint(0, 3)):
                    total = Decimal(rng.randint(1_000, 30_000)) / 100
                    completed.append((total, now - timedelta(days=rng.randint(0, 400))))
            completed.sort(key=lambda pair: pair[1])
            customer.total_purchases = sum((total for total, _ in completed), Decimal("0.00"))
            customer.sales_count = len(completed)
            customer.last_purchase_date = completed[-1][1] if completed else None
            on_account = index < owing + credit_holders
            # Every figure is settled before any row is queued: a batch may be written at
            # any moment, and a row must not change after that.
            charged = sum((total for total, _ in completed), Decimal("0.00")) if on_account else 0
            if not on_account:
                paid = Decimal("0.00")
            elif index >= owing:
                paid = charged + Decimal(rng.randint(100, 5_000)) / 100  # overpaid: credit held
            else:
                paid = (completed[0][0] * Decimal(rng.choice(["0", "0.25", "0.5"]))).quantize(cents)
            customer.outstanding_balance = charged - paid
            dues, left = [], paid
            for total, _ in completed:
                settled = min(left, total) if on_account else Decimal("0.00")
                left -= settled
                dues.append((total - settled if on_account else Decimal("0.00"), settled))
            # One ledger entry per sale on account, and one for the payment.
            customer.ledger_sequence = len(completed) + (paid > 0) if on_account else 0
            writer.add(customer)
            sales = [
                sale(
                    customer,
                    total=total,
                    on_account=total if on_account else Decimal("0.00"),
                    due=due,
                    completed_at=at,
                )
                for (total, at), (due, _) in zip(completed, dues, strict=True)
            ]
            if not on_account:
                continue
            payment = None
            if paid > 0:
                payment = CustomerPayment(
                    id=uuid.uuid4(),
                    business=business,
                    customer=customer,
                    amount=paid,
                    method=DebtPaymentMethod.CASH,
                    received_by=user,
                    received_by_name="bench",
                )
                writer.add(payment)
            balance, sequence = Decimal("0.00"), 0
            for row in sales:
                sequence += 1
                balance += row.on_account_amount
                kind = LedgerEntryType.SALE_CHARGE
                entry(customer, sequence, kind, row.on_account_amount, balance, sale=row)
            if payment is None:
                continue
            balance -= paid
            credit = entry(
                customer, sequence + 1, LedgerEntryType.PAYMENT, -paid, balance, payment=payment
            )
            for row, (_, settled) in zip(sales, dues, strict=True):
                if settled > 0:
                    writer.add(
                        ReceivableAllocation(
                            business=business,
                            customer=customer,
                            credit_entry=credit,
                            sale=row,
                            amount=settled,
                        )
                    )
        writer.flush()
        ReceiptSequence.objects.update_or_create(
            business=business, defaults={"last_number": receipt}
        )
        customer_counts_rebuild(business=business)
        receivables_summary_rebuild(business=business)
    report(
        f"filled {customers - have} customers ({owing} owing, {credit_holders} holding "
        f"credit), {receipt} sales in {time.perf_counter() - started:.1f}s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--owing", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument(
        "--proposed-index",
        action="store_true",
        help=f"Create the partial index proposed for a migration first: {PROPOSED_INDEX}",
    )
    parser.add_argument(
        "--drop-proposed-index", action="store_true", help="Drop it first, to time without."
    )
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database, e.g. postgres://.../pos_bench.")
    ensure_database(url)
    django.setup()

    from django.core.management import call_command
    from django.db import connection
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from pos_project.models import Business, Role, StaffMember, Storefront
    from receivables.reports import debtors_report, debtors_totals, report_clock

    call_command("migrate", verbosity=0)
    business, _ = Business.objects.get_or_create(name=BUSINESS_NAME)
    storefront, _ = Storefront.objects.get_or_create(business=business, name="Main")
    staff = StaffMember.objects.filter(business=business, role=Role.MANAGER).first()
    if staff is None:
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.create_user(f"bench-manager-{uuid.uuid4().hex[:8]}")
        staff = StaffMember.objects.create(user=user, business=business, role=Role.MANAGER)
    fill(
        business=business,
        storefront=storefront,
        user=staff.user,
        customers=args.customers,
        owing=args.owing,
        rng=random.Random(7),
    )
    with connection.cursor() as cursor:
        # Indexes tried out before this one, on earlier runs.
        cursor.execute("DROP INDEX IF EXISTS bench_sale_unpaid_by_customer")
        cursor.execute("DROP INDEX IF EXISTS sale_unpaid_by_customer")
        if args.drop_proposed_index:
            cursor.execute("DROP INDEX IF EXISTS sale_unpaid")
        if args.proposed_index:
            cursor.execute(PROPOSED_INDEX)
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'sales_sale' "
            "AND indexname = 'sale_unpaid'"
        )
        report(f"proposed index present: {cursor.fetchone() is not None}")
        cursor.execute("ANALYZE")

    token, _ = Token.objects.get_or_create(user=staff.user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    first = client.get("/customers/api/debtors/")
    assert first.status_code == 200, first.content[:300]
    body = first.json()
    report(f"report: {body['count']} customers with a non-zero balance; totals {body['totals']}")

    def time_api() -> float:
        started = time.perf_counter()
        response = client.get("/customers/api/debtors/")
        elapsed = time.perf_counter() - started
        assert response.status_code == 200
        return elapsed * 1000

    def time_db() -> float:
        started = time.perf_counter()
        clock = report_clock(business=business)
        queryset = debtors_report(business=business, clock=clock)
        debtors_totals(queryset, clock=clock, unfiltered=True)
        list(queryset[:50])
        return (time.perf_counter() - started) * 1000

    for name, measure in (("api", time_api), ("db", time_db)):
        for _ in range(5):
            measure()  # warm caches and connections
        samples = [measure() for _ in range(args.requests)]
        report(
            f"{name}: {args.requests} requests, p50 {statistics.median(samples):.1f} ms, "
            f"p95 {percentile(samples, 0.95):.1f} ms, max {max(samples):.1f} ms"
        )

    page = debtors_report(business=business)[:50]
    sql, params = page.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        report("plan of the first page:\n" + "\n".join(row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main()
