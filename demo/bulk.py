"""Large, consistent data sets for benchmarks: `seed_demo --customers N --sales M`.

One save per row would take hours at a million customers, so rows are generated in
Python as text and loaded with PostgreSQL's COPY (or `executemany` on SQLite). The data
obeys the same rules as data the services write, so `check_ledgers` accepts it: every
balance is the sum of its ledger, payments settle the customer's oldest unpaid on-account
sales first, every sale's `amount_due` is its on-account amount less what settles it,
statistics match the completed sales, receipt numbers run without gaps, and the business's
receivables summary and due slots (what the unfiltered Debtors report reads) are recomputed
from the loaded rows, in the same transaction, with grouped queries.

What makes it fast on PostgreSQL (1,000,000 customers and 2,000,000 sales in minutes on
two cores):
- Generation and loading overlap: Python builds the next batch of rows while a loader
  thread streams the previous one into the server, so both cores work.
- Ids are time-ordered UUIDs (the UUIDv7 layout), so every primary-key and foreign-key
  index grows at its right edge instead of touching a random page per row.
- Money is counted in integer cents and rows are formatted once, straight into COPY text.
- Foreign keys are checked once per constraint after the load, with one anti-join each,
  instead of by a trigger per row (what `pg_restore --disable-triggers` does, followed by
  the check it leaves out). This needs a superuser and tables without triggers of their
  own; otherwise the per-row checks run as usual.
- The load is one transaction: a failure leaves the database as it was.
"""

import json
import random
from collections import deque
from datetime import UTC, timedelta

from django.db import connection, transaction
from django.utils import timezone
from tqdm import tqdm

from customers.counts import customer_counts_rebuild
from customers.models import Customer
from customers.search import search_name_for
from demo.copy_loader import (
    NULL,
    TABLES,
    Loader,
    TimeOrderedIds,
    cents_literal,
    check_foreign_keys,
    copy_escape,
    skip_row_triggers,
)
from medicine.models import Medicine
from pos_project.languages import in_english
from receivables.descriptions import payment_details, sale_charge_details
from receivables.models import DebtPaymentMethod
from receivables.summary import receivables_summary_rebuild
from sales.locks import sequence_take
from sales.models import ReceiptSequence

FIRST_NAMES = [
    "Mohamed", "Fatima", "Ahmed", "Khadija", "Youssef", "Aïcha", "Omar", "Zineb", "Hamza",
    "Salma", "Rachid", "Naïma", "Karim", "Meryem", "Saïd", "Hafsa", "Mustapha", "Imane",
    "Abdellah", "Soukaina", "Hassan", "Loubna", "Driss", "Houda", "Anas", "Sanaa", "Amine",
    "Nadia", "Brahim", "Samira", "Ilyas", "Ghita", "Mehdi", "Wafae", "Othmane", "Latifa",
    "Abdelkader", "Asmae", "Adil", "Bouchra", "Ayoub", "Chaïmae", "Badr", "Dounia", "Bilal",
    "Fadwa", "Hicham", "Hanane", "Ismaïl", "Jamila", "Jawad", "Kaoutar", "Khalid", "Laila",
    "Mourad", "Malika", "Nabil", "Nora", "Noureddine", "Oumaima", "Reda", "Rim", "Samir",
    "Siham", "Tarik", "Touria", "Walid", "Yasmine", "Yassine", "Zahra", "Zakaria", "Hajar",
    "Abderrahim", "Amal", "Aziz", "Btissam", "Jalal", "Ikram", "Lahcen", "Mouna", "Réda",
    "Safae", "Taha", "Widad", "Younes", "Nezha", "Soufiane", "Hind", "Idriss", "Sara",
]  # fmt: skip
LAST_NAMES = [
    "El Amrani", "Benjelloun", "Alaoui", "Bennani", "Tazi", "Idrissi", "Chraïbi", "Berrada",
    "El Fassi", "Lahlou", "Ouazzani", "Bouzid", "Kettani", "Sebti", "Naciri", "Amrani",
    "Zouhair", "El Khatib", "Benali", "Mansouri", "Aït Ouahmane", "Belhaj", "Cherkaoui",
    "Fikri", "Hajji", "Jabri", "Moussaoui", "Rahmouni", "Saïdi", "Tahiri", "Ziani",
    "Benkirane", "Bensouda", "El Ouafi", "Filali", "Guessous", "Hilali", "Iraqi", "Jettou",
    "Kabbaj", "Lamrani", "Mernissi", "Nejjar", "Ouali", "Qadiri", "Rami", "Sqalli", "Tounsi",
    "Wahbi", "Yacoubi", "Zniber", "Abbadi", "Bakkali", "Chami", "Daoudi", "Essaidi",
    "Fassi Fihri", "Ghazi", "Hammoumi", "Jaïdi", "Karimi", "Lazrak", "Mekouar", "Nouri",
    "Ouahbi", "Raissouni", "Skalli", "Touimi", "Zerhouni", "Aboulfaraj", "Bouhaddou",
    "Chergui", "Doukkali", "El Hachimi", "El Idrissi", "Erraji", "Ferhat", "Guerraoui",
    "Haddaoui", "Jamaï", "Kadiri", "Lyoubi", "Mezouar", "Najib", "Oudghiri", "Regragui",
    "Sefrioui", "Tahri", "Benmoussa", "El Moutawakil", "Hakimi", "Akhannouch", "Boutaleb",
    "Chaoui", "Dahbi", "El Alami", "Fahmi", "Gharbi", "Harrak", "Jebli", "Khalfi", "Lahrichi",
    "Mouline", "Nassiri", "Ouarzazi", "Rhanem", "Slaoui", "Toumi", "Zeroual", "Azzouzi",
    "Belkadi", "Chakir", "Drissi", "El Mansouri", "Fennich", "Ghallab", "Hamdouchi", "Kasmi",
]  # fmt: skip
# Moroccan mobile prefixes after the trunk 0 ("06 12 ...", "07 01 ..."): every number in
# these blocks is valid for phonenumbers, so the data holds only numbers the app accepts.
MOBILE_BLOCKS = (60, 61, 62, 63, 64, 65, 66, 67, 70, 71, 76, 77)
BLOCK_SIZE = 10_000_000

WALK_IN_SHARE = 0.3
ON_ACCOUNT_SHARE = 0.25
PAID_LATER_SHARE = 0.6
HISTORY_DAYS = 365
CREDIT_LIMITS_CENTS = (None, 50_000, 200_000, 1_000_000)
DEBT_METHODS = tuple(DebtPaymentMethod)
# Rows generated per batch: big enough that COPY runs at full speed, small enough that the
# batches in flight stay at a few tens of megabytes.
BATCH_SALES = 25_000
BATCH_CUSTOMERS = 50_000


class _Customer:
    """What the generator knows of one new customer while it writes their history."""

    __slots__ = (
        "balance", "credit_limit", "id", "last_purchase", "sales_count", "sequence", "total",
        "unpaid",
    )  # fmt: skip

    def __init__(self, id: str, credit_limit: int | None):
        self.id = id
        self.sequence = 0
        self.balance = 0
        self.total = 0
        self.sales_count = 0
        self.last_purchase = NULL
        self.credit_limit = credit_limit
        # On-account sales not yet fully paid, oldest first: [sale row head, tail, due].
        self.unpaid: deque | None = None


def seed_bulk(
    *, business, storefront, seller, customers: int, sales: int, seed: int = 2026
) -> dict:
    """Add `customers` customers and `sales` completed sales to `business`. Returns counts."""
    rng = random.Random(seed)
    new_id = TimeOrderedIds(rng)
    is_postgres = connection.vendor == "postgresql"
    medicines = [
        (medicine.pk.hex, copy_escape(str(medicine)), round(medicine.prix_br * 100))
        for medicine in Medicine.objects.filter(business=business, is_active=True)
    ]
    if not medicines:
        raise ValueError("The business has no medicines; seed the catalogue first.")
    # Naive UTC, formatted once per row: PostgreSQL is told the zone, SQLite stores it so.
    now = timezone.now().astimezone(UTC).replace(tzinfo=None)
    start = now - timedelta(days=HISTORY_DAYS)
    zone = "+00" if is_postgres else ""
    start_text = start.isoformat(" ") + zone
    now_text = now.isoformat(" ") + zone
    business_id = business.pk.hex
    storefront_id = storefront.pk.hex
    seller_id = str(seller.pk)
    seller_name = copy_escape(seller.get_full_name() or seller.get_username())
    states = [_Customer(new_id(), rng.choice(CREDIT_LIMITS_CENTS)) for _ in range(customers)]
    for table in TABLES.values():
        table.count = 0

    def post(state: _Customer, batch, entry_type: str, amount: int, at: str, sale_id: str,
             payment_id: str, text: str, details: dict) -> str:  # fmt: skip
        state.sequence += 1
        state.balance += amount
        entry_id = new_id()
        batch["ledger"].append(
            f"{entry_id}\t{business_id}\t{state.id}\t{state.sequence}\t{entry_type}\t"
            f"{cents_literal(amount)}\t{cents_literal(state.balance)}\t{sale_id}\t{payment_id}\t{text}\t"
            f"{json.dumps(details)}\t{seller_id}\t{seller_name}\t{at}\n"
        )
        return entry_id

    # Each method's stored text and details, made once: the labels are read in English.
    payment_words = {
        method: (f"Payment ({in_english(method.label)})", payment_details(method=method.value))
        for method in DEBT_METHODS
    }

    def settle(state: _Customer, batch, payment_entry: str, amount: int, at: str) -> None:
        """A payment settles the customer's oldest unpaid sales first, as the app does."""
        while amount:
            pending = state.unpaid[0]
            part = min(amount, pending[2])
            sale_id = pending[0][:32]
            batch["allocations"].append(
                f"{new_id()}\t{business_id}\t{state.id}\t{payment_entry}\t{sale_id}\t"
                f"{cents_literal(part)}\t{at}\n"
            )
            pending[2] -= part
            amount -= part
            if not pending[2]:
                state.unpaid.popleft()
                batch["sales"].append(f"{pending[0]}0.00{pending[1]}")

    def new_batch() -> dict[str, list[str]]:
        return {key: [] for key in TABLES}

    with transaction.atomic(), connection.cursor() as cursor:
        # The whole run's receipt numbers, taken (and the sequence locked) at once.
        receipt = sequence_take(ReceiptSequence, business=business, count=sales) - sales
        foreign_keys = None
        if is_postgres:
            # One commit at the end: nothing gained by waiting for the disk on it.
            cursor.execute("SET LOCAL synchronous_commit = off")
            foreign_keys = skip_row_triggers(cursor, [table.name for table in TABLES.values()])

        # Read before the loader thread takes the connection over.
        taken = set(
            Customer.objects.filter(business=business, phone__isnull=False).values_list(
                "phone", flat=True
            )
        )
        step = (now - start) / max(sales, 1)
        progress = tqdm(
            total=sales + customers, desc="Bulk-loading", unit="row", unit_scale=True, mininterval=1
        )
        loader = Loader(progress)
        try:
            batch, batch_units = new_batch(), 0
            for index in range(sales):
                at_time = start + step * index
                at = at_time.isoformat(" ") + zone
                sale_id = new_id()
                receipt += 1
                receipt_number = f"S-{receipt:06d}"
                subtotal = 0
                for medicine_id, medicine_name, price in rng.sample(
                    medicines, k=min(len(medicines), rng.choice((1, 1, 2, 3)))
                ):
                    quantity = rng.choice((1, 1, 1, 2, 3))
                    line = price * quantity
                    subtotal += line
                    batch["items"].append(
                        f"{new_id()}\t{sale_id}\t{medicine_id}\t{medicine_name}\t{cents_literal(price)}\t"
                        f"{quantity}\t0.00\t{cents_literal(line)}\t{at}\t{at}\n"
                    )
                state = None if not states or rng.random() < WALK_IN_SHARE else rng.choice(states)
                on_account = 0
                if state is not None:
                    limit = state.credit_limit
                    fits = limit is None or state.balance + subtotal <= limit
                    if fits and rng.random() < ON_ACCOUNT_SHARE:
                        on_account = subtotal
                    state.total += subtotal
                    state.sales_count += 1
                    state.last_purchase = at
                cash = subtotal - on_account
                tendered = cash + rng.choice((0, 0, 0, 500, 1000, 5000)) if cash else 0
                total = cents_literal(subtotal)
                # The row up to amount_due, and after it: an on-account sale's amount due is
                # only known once the payments that settle it have been generated.
                head = (
                    f"{sale_id}\t{business_id}\t{storefront_id}\t"
                    f"{state.id if state else NULL}\tRETAIL\tCOMPLETED\t{receipt}\t"
                    f"{receipt_number}\t{total}\t0.00\t{total}\t"
                    f"{cents_literal(tendered + on_account)}\t"
                    f"{cents_literal(tendered - cash)}\t{cents_literal(on_account)}\t"
                )
                tail = f"\t\t{seller_id}\t{at}\t{NULL}\t\t{at}\t{at}\n"
                if cash:
                    batch["tenders"].append(
                        f"{new_id()}\t{sale_id}\tCASH\t{cents_literal(tendered)}\t\t{at}\n"
                    )
                if on_account:
                    batch["tenders"].append(
                        f"{new_id()}\t{sale_id}\tON_ACCOUNT\t{cents_literal(on_account)}\t\t{at}\n"
                    )
                    post(state, batch, "SALE_CHARGE", on_account, at, sale_id, NULL,
                         f"On-account part of sale {receipt_number}",
                         sale_charge_details(receipt_number=receipt_number))  # fmt: skip
                    if state.unpaid is None:
                        state.unpaid = deque()
                    state.unpaid.append([head, tail, on_account])
                    if rng.random() < PAID_LATER_SHARE:
                        paid_at = (at_time + step / 2).isoformat(" ") + zone
                        payment_id = new_id()
                        method = rng.choice(DEBT_METHODS)
                        batch["debt_payments"].append(
                            f"{payment_id}\t{business_id}\t{state.id}\t{cents_literal(on_account)}\t"
                            f"{method.value}\t\t\t{seller_id}\t{seller_name}\t{paid_at}\n"
                        )
                        entry_id = post(state, batch, "PAYMENT", -on_account, paid_at, NULL,
                                        payment_id, *payment_words[method])  # fmt: skip
                        settle(state, batch, entry_id, on_account, paid_at)
                else:
                    batch["sales"].append(f"{head}0.00{tail}")
                batch_units += 1
                if batch_units == BATCH_SALES:
                    loader.submit(batch, batch_units)
                    batch, batch_units = new_batch(), 0

            # Sales still owing: their amount due is final now.
            for state in states:
                for head, tail, due in state.unpaid or ():
                    batch["sales"].append(f"{head}{cents_literal(due)}{tail}")

            folded = {}
            space = range(len(MOBILE_BLOCKS) * BLOCK_SIZE)
            numbers = iter(rng.sample(space, customers + len(taken)))
            for offset, state in enumerate(states):
                name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
                search_name = folded.get(name)
                if search_name is None:
                    search_name = folded[name] = search_name_for(name)
                while True:
                    number = next(numbers)
                    phone = f"+212{MOBILE_BLOCKS[number // BLOCK_SIZE]}{number % BLOCK_SIZE:07d}"
                    if phone not in taken:
                        break
                limit = NULL if state.credit_limit is None else cents_literal(state.credit_limit)
                batch["customers"].append(
                    f"{state.id}\t{business_id}\t{name}\t{search_name}\t{phone}\t\t\t\t"
                    f"{'RETAIL' if offset % 10 else 'WHOLESALE'}\t{limit}\t"
                    f"{cents_literal(state.balance)}\t{cents_literal(state.total)}\t{state.sales_count}\t"
                    f"{state.sequence}\t{state.last_purchase}\tt\t{start_text}\t{now_text}\n"
                )
                batch_units += 1
                if batch_units >= BATCH_CUSTOMERS:
                    loader.submit(batch, batch_units)
                    batch, batch_units = new_batch(), 0
            loader.submit(batch, batch_units)
            loader.finish()
        except BaseException:
            # The transaction rolls back; the thread must let go of the connection first.
            loader.stop()
            raise
        finally:
            progress.close()

        if foreign_keys:
            with tqdm(total=len(foreign_keys), desc="Checking references", unit="key") as bar:
                check_foreign_keys(cursor, foreign_keys, bar)
        # The rows went in beside the services, so the kept figures are recomputed from them.
        customer_counts_rebuild(business=business)
        receivables_summary_rebuild(business=business)

    if is_postgres:
        # Fresh statistics for the planner, and a visibility map so that index-only scans
        # can skip the heap; VACUUM cannot run inside a transaction.
        names = ", ".join(table.name for table in TABLES.values())
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        with connection.cursor() as cursor:
            cursor.execute(f"{command} {names}")
    return {"customers": customers, "sales": sales} | {
        key: table.count for key, table in TABLES.items() if key not in ("sales", "customers")
    }
