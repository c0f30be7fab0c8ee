"""The data the requests use: tokens, the storefront, medicines, customers, fragments."""

import http.client
import json
import random
from dataclasses import dataclass, field
from decimal import Decimal

import psycopg
from bench_support import deepen_shelves

from benchmark.client import Client
from benchmark.settings import ROOT


@dataclass
class Fixtures:
    tokens: dict[str, str]
    storefront: str
    medicines: list[str]
    name_fragments: list[str]
    phone_fragments: list[str]
    surnames: list[str]
    customers: list[str]
    buyers: list[str]
    receipts: list[str]
    checkout_customers: list[str]
    # Each medicine's public price: what a till holding the catalogue charges.
    prices: dict[str, Decimal] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)


def national_fragment(phone: str) -> str:
    """ "+212612345678" -> "0612 345": how a cashier starts typing a number."""
    national = "0" + phone[4:]
    return f"{national[:4]} {national[4:7]}"


def name_fragment(name: str) -> str:
    """ "Aïcha Benjelloun" -> "Aïcha Ben": a first name and the start of the surname."""
    first, _, rest = name.partition(" ")
    return f"{first} {rest[:3]}".strip()


def load_fixtures(database_url: str, port: int, samples: int, rng: random.Random) -> Fixtures:
    with psycopg.connect(database_url, autocommit=True) as db:
        business, storefront = db.execute(
            "SELECT s.business_id, s.id FROM pos_project_storefront s "
            "JOIN pos_project_business b ON b.id = s.business_id "
            "WHERE b.name = 'Pharmacie Atlas' AND s.name = 'Main'"
        ).fetchone()
        tokens = dict(
            db.execute(
                "SELECT u.username, t.key FROM authtoken_token t "
                "JOIN auth_user u ON u.id = t.user_id"
            ).fetchall()
        )
        prices = {
            str(row[0]): row[1]
            for row in db.execute(
                "SELECT m.id, m.prix_br FROM medicine_medicine m "
                "JOIN medicine_stock s ON s.medicine_id = m.id "
                "WHERE m.business_id = %s AND m.is_active AND s.storefront_id = %s",
                [business, storefront],
            )
        }
        medicines = list(prices)
        # Checkouts must never fail for want of stock: the benchmark measures selling.
        deepen_shelves(db, storefront)
        picked = db.execute(
            "SELECT id, name, phone, sales_count FROM customers_customer "
            "WHERE business_id = %s AND is_active ORDER BY random() LIMIT %s",
            [business, samples],
        ).fetchall()
        buyers = [
            str(row[0])
            for row in db.execute(
                "SELECT id FROM customers_customer WHERE business_id = %s AND sales_count > 0 "
                "ORDER BY random() LIMIT %s",
                [business, samples],
            )
        ]
        receipts = [
            str(row[0])
            for row in db.execute(
                "SELECT id FROM sales_sale WHERE business_id = %s AND status = 'COMPLETED' "
                "ORDER BY random() LIMIT %s",
                [business, samples],
            )
        ]
        # Customers with no credit limit, so on-account payments always fit; the ones with
        # the shortest statements, as a till's next customer usually has.
        checkout_customers = [
            str(row[0])
            for row in db.execute(
                "SELECT id FROM customers_customer WHERE business_id = %s AND is_active "
                "AND credit_limit IS NULL ORDER BY sales_count, id LIMIT 2000",
                [business],
            )
        ]
        counts = {
            table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("customers_customer", "sales_sale", "sales_saleitem", "audit_auditlog")
        }
    for username, password in demo_passwords().items():
        if username not in tokens:
            tokens[username] = login(port, username, password)
    open_cashiers_till(port, tokens["cashier"])
    surnames = sorted({name.partition(" ")[2] for _, name, _, _ in picked if " " in name})
    return Fixtures(
        tokens=tokens,
        storefront=str(storefront),
        medicines=medicines,
        name_fragments=[name_fragment(name) for _, name, _, _ in picked],
        phone_fragments=[national_fragment(phone) for _, _, phone, _ in picked if phone],
        surnames=rng.sample(surnames, min(len(surnames), 20)),
        customers=[str(row[0]) for row in picked],
        buyers=buyers,
        receipts=receipts,
        checkout_customers=checkout_customers,
        prices=prices,
        counts=counts,
    )


def open_cashiers_till(port: int, token: str) -> None:
    """The cashier opens the demo's till, as every morning: the demo pharmacy takes cash only
    through an open till session. A session still open (a reused database) is kept."""
    client = Client(port, token)
    try:
        status, body, _ = client.call("GET", "/sales/api/tills/")
        tills = json.loads(body)["results"]
        status, body, _ = client.call(
            "POST", f"/sales/api/tills/{tills[0]['id']}/open/", {"opening_float": "500.00"}
        )
        if status != 201 and json.loads(body).get("code") != "user_has_open_session":
            raise RuntimeError(f"Opening the till failed: {status} {body[:200]!r}")
    finally:
        client.close()


def demo_passwords() -> dict[str, str]:
    """The demo accounts' passwords, from demo/kernel.py without importing Django."""
    import ast

    tree = ast.parse((ROOT / "demo" / "kernel.py").read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "DEMO_ACCOUNTS":
            return {entry.elts[0].value: entry.elts[1].value for entry in node.value.elts}
    return {}


def login(port: int, username: str, password: str) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(
        "POST",
        "/api/auth/token/",
        body=json.dumps({"username": username, "password": password}),
        headers={"Content-Type": "application/json"},
    )
    response = connection.getresponse()
    body = json.loads(response.read())
    connection.close()
    if response.status != 200:
        raise RuntimeError(f"Cannot log in as {username}: {response.status} {body}")
    return body["token"]
