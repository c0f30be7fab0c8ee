"""Checkouts from concurrent clients, each one till with its own keep-alive connection."""

import json
import random
import threading
import time
import uuid
from decimal import Decimal

from bench_support import percentile

from benchmark.client import Client
from benchmark.fixtures import Fixtures
from benchmark.settings import PROBE_ID, fmt, say

CHECKOUT_PATHS = [
    "/api/storefronts/",
    "/sales/api/sales/",
    f"/sales/api/sales/{PROBE_ID}/items/",
    f"/sales/api/sales/{PROBE_ID}/update_customer/",
    f"/sales/api/sales/{PROBE_ID}/complete/",
]
ONE_REQUEST_PATH = "/sales/api/sales/checkout/"
CLIENT_LEVELS = (1, 4, 16)
ONE_REQUEST_LEVELS = (1, 4)


class CheckoutError(Exception):
    pass


def _cart(fixtures: Fixtures, rng: random.Random) -> list[tuple[str, int]]:
    """Three medicines, one or two of each: the cart of every checkout measured."""
    return [(medicine, rng.choice((1, 2))) for medicine in rng.sample(fixtures.medicines, 3)]


def _tenders(total: Decimal) -> list[dict]:
    """Half on account, the rest in cash."""
    on_account = (total / 2).quantize(Decimal("0.01"))
    return [
        {"method": "CASH", "amount": str(total - on_account)},
        {"method": "ON_ACCOUNT", "amount": str(on_account)},
    ]


def _caller(client: Client):
    def call(method: str, path: str, body, expect: int, headers=None) -> dict:
        status, data, _ = client.call(method, path, body, headers)
        if status != expect:
            raise CheckoutError(f"{method} {path} -> {status}: {data[:300]!r}")
        return json.loads(data)

    return call


def six_request_checkout(
    client: Client, fixtures: Fixtures, customer: str, rng: random.Random
) -> None:
    """One sale at the till, request by request, as the POS front end makes it."""
    call = _caller(client)
    sale = call("POST", "/sales/api/sales/", {"storefront": fixtures.storefront, "type": "RETAIL"},
                201)  # fmt: skip
    base = f"/sales/api/sales/{sale['id']}"
    for medicine, quantity in _cart(fixtures, rng):
        call("POST", f"{base}/items/", {"medicine": medicine, "quantity": quantity}, 201)
    updated = call("POST", f"{base}/update_customer/", {"customer": customer}, 200)
    call(
        "POST",
        f"{base}/complete/",
        {"payments": _tenders(Decimal(updated["sale"]["total_amount"]))},
        200,
        # What a careful till sends, so a retried tap can never charge twice.
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )


def one_request_checkout(
    client: Client, fixtures: Fixtures, customer: str, rng: random.Random
) -> None:
    """The same sale sent whole: a till that holds the cart and its prices (the catalogue's,
    as the server will take them) sends one request."""
    cart = _cart(fixtures, rng)
    total = sum((fixtures.prices[medicine] * quantity for medicine, quantity in cart), Decimal(0))
    _caller(client)(
        "POST",
        ONE_REQUEST_PATH,
        {
            "storefront": fixtures.storefront,
            "type": "RETAIL",
            "customer": customer,
            "items": [{"medicine": medicine, "quantity": quantity} for medicine, quantity in cart],
            "payments": _tenders(total),
        },
        201,
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )


# name, label, the checkout, its client levels.
FLOWS = [
    ("six_request", "six-request checkout", six_request_checkout, CLIENT_LEVELS),
    ("one_request", "one-request checkout", one_request_checkout, ONE_REQUEST_LEVELS),
]


def run_level(ports: list[int], fixtures: Fixtures, checkout, clients: int, seconds: float) -> dict:
    """`clients` tills checking out back to back for `seconds`, after one warm-up each;
    the tills are dealt out over the servers' `ports` in turn."""
    token = fixtures.tokens["cashier"]
    pool = fixtures.checkout_customers
    # Each till serves its own customers: two tills never sell to one person at once.
    share = max(1, len(pool) // clients)
    pools = [pool[i * share : (i + 1) * share] or pool[:1] for i in range(clients)]
    done = [0] * clients
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors: list[list[str]] = [[] for _ in range(clients)]
    start_line = threading.Barrier(clients + 1)
    deadline = [float("inf")]  # set once every till is ready

    def till(index: int) -> None:
        client = Client(ports[index % len(ports)], token)
        rng = random.Random(index)
        customers = pools[index]
        try:
            # Opens the connection and warms the worker that serves it.
            checkout(client, fixtures, customers[0], rng)
        except Exception as exc:
            errors[index].append(f"warm-up: {exc}")
        start_line.wait()
        turn = 0
        while time.perf_counter() < deadline[0]:
            started = time.perf_counter()
            try:
                checkout(client, fixtures, customers[turn % len(customers)], rng)
                done[index] += 1
                latencies[index].append((time.perf_counter() - started) * 1000)
            except Exception as exc:
                errors[index].append(str(exc))
            turn += 1
        client.close()

    threads = [threading.Thread(target=till, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    start_line.wait()
    began = time.perf_counter()
    deadline[0] = began + seconds
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    all_latencies = [value for per_till in latencies for value in per_till]
    all_errors = [error for per_till in errors for error in per_till]
    return {
        "checkouts": sum(done),
        "seconds": elapsed,
        "per_second": sum(done) / elapsed,
        "errors": len(all_errors),
        "first_errors": all_errors[:3],
        "p50_ms": percentile(all_latencies, 0.50),
        "p95_ms": percentile(all_latencies, 0.95),
    }


def measure_checkouts(ports: list[int], fixtures: Fixtures, seconds: float) -> dict:
    """Every flow at each of its client levels: {flow: {clients: figures}}."""
    results: dict = {}
    for name, label, checkout, levels in FLOWS:
        say(f"    {label}:")
        results[name] = {}
        for clients in levels:
            level = results[name][clients] = run_level(ports, fixtures, checkout, clients, seconds)
            say(
                f"    {clients:>2} client(s): {level['per_second']:6.1f} checkouts/s, "
                f"p50 {fmt(level['p50_ms'], ' ms')}, p95 {fmt(level['p95_ms'], ' ms')}, "
                f"errors {level['errors']}"
            )
            for error in level["first_errors"]:
                say(f"      error: {error}")
    return results
