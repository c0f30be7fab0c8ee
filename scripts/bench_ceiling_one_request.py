"""The ceiling for the one-request checkout: its database work as raw SQL, in one loop.

The same changes as `POST /sales/api/sales/checkout/` with three lines, a customer, a cash
and an on-account tender and an Idempotency-Key, in the same two transactions:

1. the Idempotency-Key claimed in a transaction of its own;
2. one transaction: the key row locked; the storefront checked; the customer locked; the
   three medicines read in one query; the lines and both tenders inserted; their stock rows
   locked in key order and decremented in one UPDATE, the units taken from the lots earliest
   expiry first (one INSERT that locks the lots, one UPDATE of them); the next receipt
   number taken; the sale inserted complete; the ledger entry appended after the customer's
   last (its sequence kept on the customer row); the customer's balance, statistics and
   ledger sequence updated; the business's receivables summary (balances and purchase sums)
   and the sale's 15-minute due slot moved; the audit entry (chain head locked, entry, head
   moved on); the key's stored response.

Like scripts/bench_ceiling.py, it leaves out what a hand-written client would not need
(authentication, savepoints, the ORM's separate lock and update statements), so
"API throughput / ceiling" is what the framework costs on top of the database work.
"""

import json
import os
import random
import sys
import time
import uuid
from decimal import Decimal

import psycopg
from bench_ceiling_sql import STOCK_TAKE, audit_entry, charge_on_account, context, take_lots


def sale_rows(db, sale: uuid.UUID, lines: list, cash: Decimal, on_account: Decimal) -> list:
    """The lines and both tenders, written before the receipt number is taken, as the
    application does: they point at the sale by its key, checked at commit. Answers the
    lines' keys."""
    keys = [uuid.uuid4() for _ in lines]
    db.execute(
        "INSERT INTO sales_saleitem (id, sale_id, medicine_id, medicine_name, unit_price, "
        "quantity, discount, line_total, created_at, updated_at) VALUES "
        + ", ".join(["(%s, %s, %s, %s, %s, %s, 0, %s, now(), now())"] * len(lines)),
        [value for key, (medicine, label, price, quantity) in zip(keys, lines, strict=True)
         for value in (key, sale, medicine, label, price, quantity, price * quantity)],
    )  # fmt: skip
    db.execute(
        "INSERT INTO sales_payment (id, sale_id, method, amount, reference, created_at) "
        "VALUES (%s, %s, 'CASH', %s, '', now()), (%s, %s, 'ON_ACCOUNT', %s, '', now())",
        [uuid.uuid4(), sale, cash, uuid.uuid4(), sale, on_account],
    )
    return keys


def checkout(db, ids: dict, customer: uuid.UUID, rng: random.Random) -> None:
    business, storefront, user = ids["business"], ids["storefront"], ids["user"]
    sale = uuid.uuid4()
    cart = {medicine: rng.choice((1, 2)) for medicine in rng.sample(ids["medicines"], 3)}
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
            "SELECT claim_token, state FROM pos_project_idempotencykey WHERE id = %s "
            "FOR NO KEY UPDATE",
            [key_id],
        ).fetchone()
        db.execute(
            "SELECT is_active FROM pos_project_storefront WHERE id = %s AND business_id = %s",
            [storefront, business],
        ).fetchone()
        balance, _limit, _active, name, purchases, count, ledger_sequence, last = db.execute(
            "SELECT outstanding_balance, credit_limit, is_active, name, total_purchases, "
            "sales_count, ledger_sequence, last_purchase_date FROM customers_customer "
            "WHERE id = %s AND business_id = %s FOR NO KEY UPDATE",
            [customer, business],
        ).fetchone()
        medicines = db.execute(
            "SELECT id, name, strength, prix_br, is_active FROM medicine_medicine "
            "WHERE id = ANY(%s) AND business_id = %s",
            [list(cart), business],
        ).fetchall()
        lines = [
            (medicine, f"{label} {strength}".strip(), price, cart[medicine])
            for medicine, label, strength, price, _active in medicines
        ]
        total = sum((price * quantity for *_, price, quantity in lines), Decimal("0.00"))
        on_account = (total / 2).quantize(Decimal("0.01"))
        cash = total - on_account
        keys = sale_rows(db, sale, lines, cash, on_account)
        db.execute(STOCK_TAKE, [list(cart), list(cart.values()), storefront, list(cart)])
        take_lots(
            db,
            ids,
            [
                (key, medicine, quantity)
                for key, (medicine, *_, quantity) in zip(keys, lines, strict=True)
            ],
        )
        receipt = db.execute(
            "UPDATE sales_receiptsequence SET last_number = last_number + 1 WHERE business_id = %s "
            "RETURNING last_number",
            [business],
        ).fetchone()[0]
        number = f"S-{receipt:06d}"
        db.execute(
            "INSERT INTO sales_sale (id, business_id, storefront_id, customer_id, type, status, "
            "receipt_sequence, receipt_number, subtotal, discount_total, total_amount, "
            "amount_paid, change_due, on_account_amount, amount_due, notes, created_by_id, "
            "cancel_reason, completed_at, created_at, updated_at) VALUES (%s, %s, %s, %s, "
            "'RETAIL', 'COMPLETED', %s, %s, %s, 0, %s, %s, 0, %s, %s, '', %s, '', now(), now(), "
            "now())",
            [sale, business, storefront, customer, receipt, number, total, total, total,
             on_account, on_account, user],
        )  # fmt: skip
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
            "UPDATE pos_project_idempotencykey SET state = 'COMPLETED', response_status = 201, "
            "response_body = %s, updated_at = now() WHERE id = %s",
            [json.dumps({"id": str(sale), "receipt_number": number}), key_id],
        )


def run_one_request_ceiling(
    database_url: str, *, seconds: float, audit_key: str, warmup: int = 20
) -> dict:
    """Checkouts per second of the raw-SQL one-request checkout, one connection."""
    rng = random.Random(11)
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
    # Alone: AUDIT_HMAC_KEY=... bench_ceiling_one_request.py DATABASE_URL [SECONDS]
    url = sys.argv[1] if len(sys.argv) > 1 else "postgres://postgres@127.0.0.1:5432/pos_bench_10k"
    duration = float(sys.argv[2]) if len(sys.argv) > 2 else 5.0
    key = os.environ["AUDIT_HMAC_KEY"]
    sys.stdout.write(
        json.dumps(run_one_request_ceiling(url, seconds=duration, audit_key=key)) + "\n"
    )
