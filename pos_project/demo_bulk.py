"""Large, consistent data sets for benchmarks: `seed_demo --customers N --sales M`.

One save per row would take hours at a million customers, so rows are generated in
Python and loaded with PostgreSQL's COPY (or `executemany` on SQLite). The data obeys the
same rules as data the services write, so `check_ledgers` accepts it: every balance is the
sum of its ledger, every payment is allocated to the sale it settles, statistics match
the completed sales, and receipt numbers run without gaps.
"""

import random
import tempfile
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone
from tqdm import tqdm

from customers.models import (
    Customer,
    CustomerLedgerEntry,
    CustomerPayment,
    ReceivableAllocation,
)
from medicine.models import Medicine
from pos_project.money import ZERO
from sales.models import Payment, ReceiptSequence, Sale, SaleItem

FIRST_NAMES = [
    "Mohamed", "Fatima", "Ahmed", "Khadija", "Youssef", "Aicha", "Omar", "Zineb", "Hamza",
    "Salma", "Rachid", "Naima", "Karim", "Meryem", "Said", "Hafsa", "Mustapha", "Imane",
    "Abdellah", "Soukaina", "Hassan", "Loubna", "Driss", "Houda", "Anas", "Sanaa", "Amine",
    "Nadia", "Brahim", "Samira", "Ilyas", "Ghita", "Mehdi", "Wafae", "Othmane", "Latifa",
]  # fmt: skip
LAST_NAMES = [
    "El Amrani", "Benjelloun", "Alaoui", "Bennani", "Tazi", "Idrissi", "Chraibi", "Berrada",
    "El Fassi", "Lahlou", "Ouazzani", "Bouzid", "Kettani", "Sebti", "Naciri", "Amrani",
    "Zouhair", "El Khatib", "Benali", "Mansouri", "Ait Ouahmane", "Belhaj", "Cherkaoui",
    "Fikri", "Hajji", "Jabri", "Moussaoui", "Rahmouni", "Saidi", "Tahiri", "Ziani",
]  # fmt: skip

WALK_IN_SHARE = 0.3
ON_ACCOUNT_SHARE = 0.25
PAID_LATER_SHARE = 0.6
HISTORY_DAYS = 365


def _copy_text(value) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat()
    text = str(value)
    if any(ch in text for ch in "\\\t\n\r"):
        text = (
            text.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return text


class TableSink:
    """Collects the rows of one table and loads them in one go."""

    def __init__(self, model, columns: list[str]):
        self.table = model._meta.db_table
        self.columns = columns
        self.count = 0
        self.is_postgres = connection.vendor == "postgresql"
        if self.is_postgres:
            # On disk, not in memory: millions of rows of several tables at once.
            self.buffer = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 (closed by load)
        else:
            self.rows = []

    def write(self, row: tuple) -> None:
        self.count += 1
        if self.is_postgres:
            self.buffer.write("\t".join(_copy_text(value) for value in row) + "\n")
        else:
            self.rows.append(
                tuple(
                    str(value) if isinstance(value, uuid.UUID | Decimal) else value for value in row
                )
            )

    def load(self, cursor, progress: tqdm) -> None:
        columns = ", ".join(connection.ops.quote_name(column) for column in self.columns)
        if self.is_postgres:
            self.buffer.seek(0)
            with cursor.cursor.copy(f"COPY {self.table} ({columns}) FROM STDIN") as copy:
                while block := self.buffer.read(1 << 20):
                    copy.write(block)
            self.buffer.close()
        else:
            placeholders = ", ".join(["%s"] * len(self.columns))
            cursor.executemany(
                f"INSERT INTO {self.table} ({columns}) VALUES ({placeholders})", self.rows
            )
        progress.update(self.count)


@dataclass
class CustomerState:
    """What the generator knows of one customer while it writes their history."""

    id: uuid.UUID
    sequence: int = 0
    balance: Decimal = ZERO
    total_purchases: Decimal = ZERO
    sales_count: int = 0
    last_purchase: datetime | None = None
    credit_limit: Decimal | None = None


def _money(value: float) -> Decimal:
    return Decimal(f"{value:.2f}")


def seed_bulk(
    *, business, storefront, seller, customers: int, sales: int, seed: int = 2026
) -> dict:
    """Add `customers` customers and `sales` completed sales to `business`. Returns counts."""
    rng = random.Random(seed)
    medicines = list(Medicine.objects.filter(business=business, is_active=True))
    if not medicines:
        raise ValueError("The business has no medicines; seed the catalogue first.")
    now = timezone.now()
    start = now - timedelta(days=HISTORY_DAYS)
    seller_name = seller.get_full_name() or seller.get_username()
    first_phone = 600_000_000 + Customer.objects.filter(business=business).count()

    states = [
        CustomerState(
            id=uuid.uuid4(),
            credit_limit=rng.choice(
                [None, Decimal("500.00"), Decimal("2000.00"), Decimal("10000.00")]
            ),
        )
        for _ in range(customers)
    ]
    sinks = {
        "sales": TableSink(
            Sale,
            ["id", "business_id", "storefront_id", "customer_id", "type", "status",
             "receipt_sequence", "receipt_number", "subtotal", "discount_total", "total_amount",
             "amount_paid", "change_due", "on_account_amount", "amount_due", "notes",
             "created_by_id", "completed_at", "cancelled_at", "cancel_reason", "created_at",
             "updated_at"],
        ),
        "items": TableSink(
            SaleItem,
            ["id", "sale_id", "medicine_id", "medicine_name", "unit_price", "quantity",
             "discount", "line_total", "created_at", "updated_at"],
        ),
        "tenders": TableSink(
            Payment, ["id", "sale_id", "method", "amount", "reference", "created_at"]
        ),
        "debt_payments": TableSink(
            CustomerPayment,
            ["id", "business_id", "customer_id", "amount", "method", "reference", "note",
             "received_by_id", "received_by_name", "created_at"],
        ),
        "ledger": TableSink(
            CustomerLedgerEntry,
            ["id", "business_id", "customer_id", "sequence", "entry_type", "amount",
             "balance_after", "sale_id", "payment_id", "description", "created_by_id",
             "created_by_name", "created_at"],
        ),
        "allocations": TableSink(
            ReceivableAllocation,
            ["id", "business_id", "customer_id", "credit_entry_id", "sale_id", "amount",
             "created_at"],
        ),
    }  # fmt: skip

    def post(state: CustomerState, entry_type, amount, at, sale_id=None, payment_id=None, text=""):
        state.sequence += 1
        state.balance += amount
        entry_id = uuid.uuid4()
        sinks["ledger"].write(
            (entry_id, business.id, state.id, state.sequence, entry_type, amount, state.balance,
             sale_id, payment_id, text, seller.id, seller_name, at)
        )  # fmt: skip
        return entry_id

    with transaction.atomic():
        sequence_row, _ = ReceiptSequence.objects.get_or_create(business=business)
        sequence_row = ReceiptSequence.objects.select_for_update().get(pk=sequence_row.pk)
        receipt = sequence_row.last_number
        step = (now - start) / max(sales, 1)

        for index in tqdm(range(sales), desc="Generating sales", unit="sale", mininterval=1):
            at = start + step * index
            sale_id = uuid.uuid4()
            receipt += 1
            subtotal = ZERO
            for medicine in rng.sample(medicines, k=rng.choice((1, 1, 2, 3))):
                quantity = rng.choice((1, 1, 1, 2, 3))
                line = medicine.prix_br * quantity
                subtotal += line
                sinks["items"].write(
                    (uuid.uuid4(), sale_id, medicine.id, str(medicine), medicine.prix_br,
                     quantity, ZERO, line, at, at)
                )  # fmt: skip
            state = None if not states or rng.random() < WALK_IN_SHARE else rng.choice(states)
            on_account = ZERO
            if state is not None:
                fits = state.credit_limit is None or state.balance + subtotal <= state.credit_limit
                if fits and rng.random() < ON_ACCOUNT_SHARE:
                    on_account = subtotal
                state.total_purchases += subtotal
                state.sales_count += 1
                state.last_purchase = at
            cash = subtotal - on_account
            tendered = _money(float(cash) + rng.choice((0, 0, 0, 5, 10, 50))) if cash else ZERO
            amount_due = on_account
            paid_later = on_account and rng.random() < PAID_LATER_SHARE
            if paid_later:
                amount_due = ZERO
            sinks["sales"].write(
                (sale_id, business.id, storefront.id, state.id if state else None, "RETAIL",
                 "COMPLETED", receipt, f"S-{receipt:06d}", subtotal, ZERO, subtotal,
                 tendered + on_account, tendered - cash if cash else ZERO, on_account, amount_due,
                 "", seller.id, at, None, "", at, at)
            )  # fmt: skip
            if cash:
                sinks["tenders"].write((uuid.uuid4(), sale_id, "CASH", tendered, "", at))
            if on_account:
                sinks["tenders"].write((uuid.uuid4(), sale_id, "ON_ACCOUNT", on_account, "", at))
                post(state, "SALE_CHARGE", on_account, at, sale_id=sale_id,
                     text=f"On-account part of sale S-{receipt:06d}")  # fmt: skip
            if paid_later:
                paid_at = at + step / 2
                payment_id = uuid.uuid4()
                method = rng.choice(("CASH", "CARD", "MOBILE_MONEY"))
                sinks["debt_payments"].write(
                    (payment_id, business.id, state.id, on_account, method, "", "", seller.id,
                     seller_name, paid_at)
                )  # fmt: skip
                credit_id = post(state, "PAYMENT", -on_account, paid_at, payment_id=payment_id,
                                 text=f"Payment ({method.lower()})")  # fmt: skip
                sinks["allocations"].write(
                    (uuid.uuid4(), business.id, state.id, credit_id, sale_id, on_account, paid_at)
                )

        customer_sink = TableSink(
            Customer,
            ["id", "business_id", "name", "search_name", "phone", "email", "address", "notes",
             "customer_type", "credit_limit", "outstanding_balance", "total_purchases",
             "sales_count", "last_purchase_date", "is_active", "created_at", "updated_at"],
        )  # fmt: skip
        for offset, state in enumerate(states):
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            customer_sink.write(
                (state.id, business.id, name, name.lower(), f"+212{first_phone + offset}", "", "",
                 "", "RETAIL" if offset % 10 else "WHOLESALE", state.credit_limit, state.balance,
                 state.total_purchases, state.sales_count, state.last_purchase, True, start, now)
            )  # fmt: skip

        total_rows = customer_sink.count + sum(sink.count for sink in sinks.values())
        with (
            connection.cursor() as cursor,
            tqdm(total=total_rows, desc="Loading rows", unit="row", mininterval=1) as progress,
        ):
            for sink in [customer_sink, *sinks.values()]:
                sink.load(cursor, progress)
        sequence_row.last_number = receipt
        sequence_row.save(update_fields=["last_number"])

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {"customers": customers, "sales": sales} | {
        name: sink.count for name, sink in sinks.items()
    }
