"""The database work both ceilings share, as raw SQL: the audit entry, the stock and lot
take, the on-account charge, and the benchmark's business read once per run.

Each statement is what the application runs for the same step (the docstrings name the
application's function), so that scripts/bench_ceiling.py (the six-request flow) and
scripts/bench_ceiling_one_request.py (the one-request checkout) measure the same work.
"""

import json
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from bench_support import deepen_shelves

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# The application's own hashing, so the ceiling's audit entries keep the chain verifiable.
from audit.hashing import GENESIS_HASH, head_seal, keyed_entry_hash


def audit_entry(db, ids: dict, *, event_type: str, description: str, sale, customer, data) -> None:
    head = db.execute(
        "SELECT last_sequence, last_hash, keyed_from_sequence FROM audit_auditchainhead "
        "WHERE business_id = %s FOR UPDATE",
        [ids["business"]],
    ).fetchone()
    if head is None:
        db.execute(
            "INSERT INTO audit_auditchainhead (business_id, last_sequence, last_hash, "
            "keyed_from_sequence, seal) VALUES (%s, 0, %s, 1, '') ON CONFLICT DO NOTHING",
            [ids["business"], GENESIS_HASH],
        )
        head = db.execute(
            "SELECT last_sequence, last_hash, keyed_from_sequence FROM audit_auditchainhead "
            "WHERE business_id = %s FOR UPDATE",
            [ids["business"]],
        ).fetchone()
    entry = SimpleNamespace(
        id=uuid.uuid4(),
        business_id=ids["business"],
        sequence=head[0] + 1,
        event_type=event_type,
        timestamp=datetime.now(UTC),
        user_id=ids["user"],
        user_name=ids["user_name"],
        sale_id=sale,
        customer_id=customer,
        event_data=data,
        description=description,
        ip_address="127.0.0.1",
        previous_hash=head[1],
    )
    entry.entry_hash = keyed_entry_hash(entry, ids["audit_key"])
    db.execute(
        "INSERT INTO audit_auditlog (id, business_id, sequence, event_type, timestamp, user_id, "
        "user_name, sale_id, customer_id, event_data, description, ip_address, previous_hash, "
        "entry_hash) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        [entry.id, entry.business_id, entry.sequence, event_type, entry.timestamp, ids["user"],
         ids["user_name"], sale, customer, json.dumps(data), description, entry.ip_address,
         entry.previous_hash, entry.entry_hash],
    )  # fmt: skip
    db.execute(
        "UPDATE audit_auditchainhead SET last_sequence = %s, last_hash = %s, seal = %s "
        "WHERE business_id = %s",
        [
            entry.sequence,
            entry.entry_hash,
            head_seal(
                business_id=ids["business"],
                last_sequence=entry.sequence,
                last_hash=entry.entry_hash,
                keyed_from_sequence=head[2],
                key=ids["audit_key"],
            ),
            ids["business"],
        ],
    )


# The 15-minute UTC slot the sale completed in (its completed_at is now()).
SLOT_OF_NOW = "to_timestamp(floor(extract(epoch FROM now()) / 900) * 900)"
# A sale's stock rows locked in key order and taken in one statement, each only if it holds
# enough (`medicine.locks.stocks_take`). Parameters: medicines, units, storefront, medicines.
STOCK_TAKE = (
    "UPDATE medicine_stock s SET quantity = s.quantity - c.units, updated_at = now() "
    "FROM unnest(%s::uuid[], %s::int[]) AS c(medicine_id, units) "
    "WHERE s.id IN (SELECT id FROM medicine_stock WHERE storefront_id = %s "
    "AND medicine_id = ANY(%s) ORDER BY id FOR NO KEY UPDATE) "
    "AND s.medicine_id = c.medicine_id AND s.quantity >= c.units RETURNING s.medicine_id"
)
# Each line's units taken from the lots sellable on the business's local date (neither
# recalled nor past their expiry), earliest expiry first and the lot without expiry last,
# recorded in one INSERT whose innermost SELECT locks the lots in key order, after the stock
# rows (`medicine.locks.lots_take_fefo`); then the lots decremented in one UPDATE
# (`lots_shift`). Parameters: storefront, medicines, today, items, medicines, units.
LOTS_TAKE = (
    "INSERT INTO medicine_saleitemlot (id, item_id, lot_id, quantity, returned_quantity) "
    "SELECT gen_random_uuid(), r.item_id, r.id, LEAST(r.quantity, r.wanted - r.before), 0 "
    "FROM (SELECT h.id, h.quantity, c.item_id, c.wanted, SUM(h.quantity) OVER (PARTITION BY "
    "h.medicine_id ORDER BY h.expiry_date IS NULL, h.expiry_date, h.received_at, h.id) "
    "- h.quantity AS before FROM (SELECT id, medicine_id, quantity, expiry_date, received_at "
    "FROM medicine_lot WHERE storefront_id = %s AND medicine_id = ANY(%s) AND quantity > 0 "
    "AND recalled_at IS NULL AND (expiry_date IS NULL OR expiry_date >= %s) ORDER BY id "
    "FOR NO KEY UPDATE) h JOIN unnest(%s::uuid[], %s::uuid[], %s::int[]) "
    "AS c(item_id, medicine_id, wanted) ON c.medicine_id = h.medicine_id) r "
    "WHERE r.before < r.wanted RETURNING lot_id, quantity"
)
LOTS_SHIFT = (
    "UPDATE medicine_lot l SET quantity = l.quantity - t.units "
    "FROM unnest(%s::uuid[], %s::int[]) AS t(id, units) WHERE l.id = t.id"
)


def take_lots(db, ids: dict, lines: list) -> None:
    """The lot work of a sale's `(item, medicine, units)` lines, as the application does it."""
    items, medicines, units = (list(column) for column in zip(*lines, strict=True))
    today = datetime.now(ids["zone"]).date()
    taken = db.execute(
        LOTS_TAKE, [ids["storefront"], medicines, today, items, medicines, units]
    ).fetchall()
    db.execute(LOTS_SHIFT, [[lot for lot, _ in taken], [count for _, count in taken]])


# A sale's due slot moved and its customer counted in it, taken off the slot of their last
# purchase (a slot counted once when both are the same), in one UPDATE that names the rows
# it found: the current slot's row is made when missing. Parameters: due, last purchase,
# business, last purchase.
SLOT_OF_LAST = "to_timestamp(floor(extract(epoch FROM %s::timestamptz) / 900) * 900)"
SLOTS_MOVE = (
    "UPDATE customers_receivablesdueslot SET "
    f"amount_due = amount_due + CASE WHEN starts_at = {SLOT_OF_NOW} THEN %s ELSE 0 END, "
    f"buyers = buyers + (CASE WHEN starts_at = {SLOT_OF_NOW} THEN 1 ELSE 0 END) "
    f"- (CASE WHEN starts_at = {SLOT_OF_LAST} THEN 1 ELSE 0 END) "
    f"WHERE business_id = %s AND starts_at IN ({SLOT_OF_NOW}, {SLOT_OF_LAST}) "
    f"RETURNING starts_at = {SLOT_OF_NOW}"
)
# What `receivables_summary_move` writes for an on-account sale: the balances' figures and
# the purchase sums in one UPDATE. Parameters: debtors, owed, due, purchase, business.
SUMMARY_MOVE = (
    "UPDATE customers_receivablessummary SET debtors = debtors + %s, "
    "amount_owed = amount_owed + %s, amount_due = amount_due + %s, "
    "purchases = purchases + %s, sales_count = sales_count + 1 WHERE business_id = %s"
)
SUMMARY_CREATE = (
    "INSERT INTO customers_receivablessummary (business_id, debtors, amount_owed, amount_due, "
    "purchases, sales_count) VALUES (%s, 0, 0, 0, 0, 0) ON CONFLICT DO NOTHING"
)


def _add(db, update: str, params: list, create: str, key: list) -> None:
    """An increment as the application makes it: an UPDATE, the row created first if missing."""
    if not db.execute(update, params).rowcount:
        db.execute(create, key)
        db.execute(update, params)


def charge_on_account(
    db, ids: dict, *, sale, number: str, customer, figures: tuple, total, on_account
) -> None:
    """The on-account part of a completed sale, as `receivable_charge_sale` writes it: the
    ledger entry after the customer's last (`figures`: the locked customer's balance,
    purchases, sales count, ledger sequence and last purchase), the customer's row, the
    business's receivables summary, then in one statement the sale's 15-minute due slot
    and the customer moved to it from the slot of their last purchase."""
    business, user = ids["business"], ids["user"]
    balance, purchases, count, ledger_sequence, last = figures
    db.execute(
        "INSERT INTO customers_customerledgerentry (id, business_id, customer_id, sequence, "
        "entry_type, amount, balance_after, sale_id, payment_id, description, details, "
        "created_by_id, created_by_name, created_at) VALUES "
        "(%s, %s, %s, %s, 'SALE_CHARGE', %s, %s, %s, NULL, %s, %s, %s, %s, now())",
        [uuid.uuid4(), business, customer, ledger_sequence + 1, on_account,
         balance + on_account, sale, f"On-account part of sale {number}",
         json.dumps({"receipt_number": number}), user, ids["user_name"]],
    )  # fmt: skip
    # Credit held for the customer would settle the new charge at once; none is held
    # unless the balance was below zero, so the allocation work is skipped otherwise.
    if balance < 0:
        db.execute(
            "SELECT id, amount FROM customers_customerledgerentry WHERE customer_id = %s "
            "AND amount < 0 ORDER BY sequence",
            [customer],
        ).fetchall()
    db.execute(
        "UPDATE customers_customer SET outstanding_balance = %s, total_purchases = %s, "
        "sales_count = %s, ledger_sequence = %s, last_purchase_date = now(), "
        "updated_at = now() WHERE id = %s",
        [balance + on_account, purchases + total, count + 1, ledger_sequence + 1, customer],
    )
    # What receivables_summary_move writes: after the sale rows, before the audit chain.
    _add(
        db,
        SUMMARY_MOVE,
        [int(balance + on_account != 0) - int(balance != 0), on_account, on_account, total,
         business],
        SUMMARY_CREATE,
        [business],
    )  # fmt: skip
    moved = db.execute(SLOTS_MOVE, [on_account, last, business, last]).fetchall()
    if not any(now for (now,) in moved):
        db.execute(
            "INSERT INTO customers_receivablesdueslot (id, business_id, starts_at, amount_due, "
            f"buyers) VALUES (%s, %s, {SLOT_OF_NOW}, %s, 1)",
            [uuid.uuid4(), business, on_account],
        )


def context(db) -> dict:
    business, storefront = db.execute(
        "SELECT s.business_id, s.id FROM pos_project_storefront s JOIN pos_project_business b "
        "ON b.id = s.business_id WHERE b.name = 'Pharmacie Atlas' AND s.name = 'Main'"
    ).fetchone()
    user, first, last_name, username = db.execute(
        "SELECT id, first_name, last_name, username FROM auth_user WHERE username = 'cashier'"
    ).fetchone()
    medicines = [
        row[0]
        for row in db.execute(
            "SELECT m.id FROM medicine_medicine m JOIN medicine_stock s ON s.medicine_id = m.id "
            "WHERE m.business_id = %s AND m.is_active AND s.storefront_id = %s",
            [business, storefront],
        )
    ]
    customers = [
        row[0]
        for row in db.execute(
            "SELECT id FROM customers_customer WHERE business_id = %s AND is_active AND "
            "credit_limit IS NULL ORDER BY sales_count, id LIMIT 2000",
            [business],
        )
    ]
    db.execute(
        "INSERT INTO sales_receiptsequence (business_id, last_number) VALUES (%s, 0) "
        "ON CONFLICT DO NOTHING",
        [business],
    )
    deepen_shelves(db, storefront)
    (zone,) = db.execute(
        "SELECT time_zone FROM pos_project_business WHERE id = %s", [business]
    ).fetchone()
    return {
        "zone": ZoneInfo(zone),
        "business": business,
        "storefront": storefront,
        "user": user,
        "user_name": f"{first} {last_name}".strip() or username,
        "medicines": medicines,
        "customers": customers,
    }
