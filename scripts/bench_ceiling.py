"""The ceiling for checkout throughput: a checkout's database work as raw SQL, in one loop.

It makes the same changes, in the same transactions, as the five API requests of a
checkout (create, three items, update_customer, complete with cash and on account):

1. create: the storefront check, the DRAFT sale row.
2. each item: the sale locked, the medicine's price read, the line looked for and
   inserted, the totals recomputed from the lines.
3. update_customer: the sale locked, the customer read, the sale updated, the audit entry
   (chain head locked, entry inserted with its hash, head moved on).
4. complete: the Idempotency-Key claimed in a transaction of its own; then customer and
   sale locked (in the application's lock order), the lines read, the stock rows locked in
   key order and decremented in one UPDATE, the units taken from the lots earliest expiry
   first (recorded in one INSERT that locks the lots, the lots decremented in one UPDATE),
   both tenders inserted, the next receipt number
   taken, the sale completed, the ledger entry appended after the customer's last (its
   sequence kept on the customer row) and the customer's balance and statistics updated,
   the business's receivables summary (balances and purchase sums) and the sale's
   15-minute due slot moved (one UPDATE each), the audit entry, the key's stored response.

What it leaves out is what a hand-written client would not need: authentication, the
re-reads of rows already held, savepoints, and the sale re-read to answer each request.
So the ratio "API throughput / ceiling" is what the framework, the ORM and the HTTP round
trips cost, not the database work itself.
"""

import json
import os
import random
import sys
import time
import uuid
from decimal import Decimal

import psycopg
from bench_ceiling_sql import (
    STOCK_TAKE,
    audit_entry,
    charge_on_account,
    context,
    take_lots,
)


def checkout(db, ids: dict, customer: uuid.UUID, rng: random.Random) -> None:
    business, storefront, user = ids["business"], ids["storefront"], ids["user"]
    sale = uuid.uuid4()

    # 1. create
    with db.transaction():
        db.execute(
            "SELECT is_active FROM pos_project_storefront WHERE id = %s AND business_id = %s",
            [storefront, business],
        ).fetchone()
        db.execute(
            "INSERT INTO sales_sale (id, business_id, storefront_id, customer_id, type, status, "
            "subtotal, discount_total, total_amount, amount_paid, change_due, on_account_amount, "
            "amount_due, notes, created_by_id, cancel_reason, created_at, updated_at) VALUES "
            "(%s, %s, %s, NULL, 'RETAIL', 'DRAFT', 0, 0, 0, 0, 0, 0, 0, '', %s, '', now(), now())",
            [sale, business, storefront, user],
        )

    # 2. three items
    total = Decimal("0.00")
    for medicine in rng.sample(ids["medicines"], 3):
        quantity = rng.choice((1, 2))
        with db.transaction():
            db.execute("SELECT status, type FROM sales_sale WHERE id = %s FOR UPDATE", [sale])
            name, strength, price, _wholesale, _active = db.execute(
                "SELECT name, strength, prix_br, wholesale_price, is_active FROM "
                "medicine_medicine WHERE id = %s AND business_id = %s",
                [medicine, business],
            ).fetchone()
            db.execute(
                "SELECT id, quantity, discount FROM sales_saleitem WHERE sale_id = %s AND "
                "medicine_id = %s",
                [sale, medicine],
            ).fetchone()
            db.execute(
                "INSERT INTO sales_saleitem (id, sale_id, medicine_id, medicine_name, unit_price, "
                "quantity, discount, line_total, created_at, updated_at) VALUES "
                "(%s, %s, %s, %s, %s, %s, 0, %s, now(), now())",
                [uuid.uuid4(), sale, medicine, f"{name} {strength}".strip(), price, quantity,
                 price * quantity],
            )  # fmt: skip
            total = db.execute(
                "UPDATE sales_sale SET subtotal = t.gross, discount_total = t.discount, "
                "total_amount = t.gross - t.discount, updated_at = now() FROM (SELECT "
                "sum(unit_price * quantity) AS gross, sum(discount) AS discount FROM "
                "sales_saleitem WHERE sale_id = %s) t WHERE id = %s RETURNING total_amount",
                [sale, sale],
            ).fetchone()[0]

    # 3. update_customer
    with db.transaction():
        db.execute("SELECT status, customer_id FROM sales_sale WHERE id = %s FOR UPDATE", [sale])
        name, _active = db.execute(
            "SELECT name, is_active FROM customers_customer WHERE id = %s AND business_id = %s",
            [customer, business],
        ).fetchone()
        db.execute(
            "UPDATE sales_sale SET customer_id = %s, updated_at = now() WHERE id = %s",
            [customer, sale],
        )
        audit_entry(
            db, ids, event_type="sale.customer_updated", sale=sale, customer=customer,
            description=f'Customer updated from "Walk-in Customer" to "{name}"',
            data={"old_customer_id": None, "new_customer_id": str(customer),
                  "new_customer_name": name, "sale_status": "DRAFT"},
        )  # fmt: skip

    # 4. complete
    on_account = (total / 2).quantize(Decimal("0.01"))
    cash = total - on_account
    with db.transaction():
        # As the application claims a key: without waiting for the disk.
        db.execute("SET LOCAL synchronous_commit TO OFF")
        key_id = db.execute(
            "INSERT INTO pos_project_idempotencykey (business_id, user_id, key, fingerprint, "
            "state, claim_token, created_at, updated_at) "
            "VALUES (%s, %s, %s, %s, 'IN_PROGRESS', %s, now(), now()) "
            "ON CONFLICT DO NOTHING RETURNING id",
            [business, user, str(uuid.uuid4()), "0" * 64, uuid.uuid4()],
        ).fetchone()[0]
    with db.transaction():
        db.execute(
            "SELECT claim_token, state FROM pos_project_idempotencykey WHERE id = %s FOR UPDATE",
            [key_id],
        ).fetchone()
        db.execute("SELECT customer_id FROM sales_sale WHERE id = %s", [sale]).fetchone()
        balance, _limit, _active, name, purchases, count, ledger_sequence, last = db.execute(
            "SELECT outstanding_balance, credit_limit, is_active, name, total_purchases, "
            "sales_count, ledger_sequence, last_purchase_date FROM customers_customer "
            "WHERE id = %s FOR NO KEY UPDATE",
            [customer],
        ).fetchone()
        db.execute(
            "SELECT status, total_amount FROM sales_sale WHERE id = %s FOR UPDATE", [sale]
        ).fetchone()
        lines = db.execute(
            "SELECT id, medicine_id, quantity FROM sales_saleitem WHERE sale_id = %s", [sale]
        ).fetchall()
        medicines = [medicine for _, medicine, _ in lines]
        db.execute(STOCK_TAKE, [medicines, [units for *_, units in lines], storefront, medicines])
        take_lots(db, ids, lines)
        db.execute(
            "INSERT INTO sales_payment (id, sale_id, method, amount, reference, created_at) "
            "VALUES (%s, %s, 'CASH', %s, '', now()), (%s, %s, 'ON_ACCOUNT', %s, '', now())",
            [uuid.uuid4(), sale, cash, uuid.uuid4(), sale, on_account],
        )
        receipt = db.execute(
            "UPDATE sales_receiptsequence SET last_number = last_number + 1 WHERE business_id = %s "
            "RETURNING last_number",
            [business],
        ).fetchone()[0]
        number = f"S-{receipt:06d}"
        db.execute(
            "UPDATE sales_sale SET status = 'COMPLETED', receipt_sequence = %s, "
            "receipt_number = %s, amount_paid = %s, change_due = 0, on_account_amount = %s, "
            "amount_due = %s, completed_at = now(), updated_at = now() WHERE id = %s",
            [receipt, number, total, on_account, on_account, sale],
        )
        charge_on_account(
            db,
            ids,
            sale=sale,
            number=number,
            customer=customer,
            figures=(balance, purchases, count, ledger_sequence, last),
            total=total,
            on_account=on_account,
        )
        audit_entry(
            db, ids, event_type="sale.completed", sale=sale, customer=customer,
            description=f"Sale {number} completed: {total} to {name}, {on_account} on account",
            data={"receipt_number": number, "total_amount": str(total),
                  "on_account_amount": str(on_account), "customer_id": str(customer),
                  "payments": [{"method": "CASH", "amount": str(cash)},
                               {"method": "ON_ACCOUNT", "amount": str(on_account)}]},
        )  # fmt: skip
        db.execute(
            "UPDATE pos_project_idempotencykey SET state = 'COMPLETED', response_status = 200, "
            "response_body = %s, updated_at = now() WHERE id = %s",
            [json.dumps({"id": str(sale), "receipt_number": number}), key_id],
        )


def run_ceiling(database_url: str, *, seconds: float, audit_key: str, warmup: int = 20) -> dict:
    """Checkouts per second of the raw-SQL checkout, one connection, for `seconds`.

    `audit_key` is the application's AUDIT_HMAC_KEY, so that the entries keep the chain
    verifiable."""
    rng = random.Random(7)
    with psycopg.connect(database_url, autocommit=True) as db:
        ids = {**context(db), "audit_key": audit_key}
        customers = ids["customers"]
        for turn in range(warmup):
            checkout(db, ids, customers[turn % len(customers)], rng)
        done = 0
        latencies = []
        began = time.perf_counter()
        while (now := time.perf_counter()) - began < seconds:
            checkout(db, ids, customers[done % len(customers)], rng)
            latencies.append((time.perf_counter() - now) * 1000)
            done += 1
        elapsed = time.perf_counter() - began
    latencies.sort()
    return {
        "checkouts": done,
        "seconds": elapsed,
        "per_second": done / elapsed,
        "p50_ms": latencies[len(latencies) // 2] if latencies else None,
    }


if __name__ == "__main__":
    # Alone, for experiments: AUDIT_HMAC_KEY=... bench_ceiling.py DATABASE_URL [SECONDS]
    url = sys.argv[1] if len(sys.argv) > 1 else "postgres://postgres@127.0.0.1:5432/pos_bench_10k"
    duration = float(sys.argv[2]) if len(sys.argv) > 2 else 5.0
    key = os.environ["AUDIT_HMAC_KEY"]
    sys.stdout.write(json.dumps(run_ceiling(url, seconds=duration, audit_key=key)) + "\n")
