"""The benchmark behind docs/performance.md: `scripts/bench [--quick]`.

For each size it builds a PostgreSQL database (`seed_demo --customers N --sales 2N`),
serves the app under gunicorn on 127.0.0.1, and measures over HTTP with keep-alive:
- the p50 and p95 latency of the reads a till and a back office make most;
- checkout throughput (create, 3 items, update_customer, complete with cash and on
  account) from 1, 4 and 16 concurrent clients, and a whole checkout's latency at 1;
- the ceiling: the same checkout's database work as raw SQL in one loop
  (scripts/bench_ceiling.py), on the same database in the same run.
It prints one table and writes it as Markdown and JSON under bench-results/.
"""

import argparse
import http.client
import json
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import psycopg
from bench_ceiling import run_ceiling
from bench_support import percentile

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
SERVER = "postgres://postgres@127.0.0.1:5432"
# Any UUID: only used to ask the URL resolver whether a route exists.
# One audit key for the whole run: every size's chain, and the ceiling's entries, use it.
AUDIT_KEY = os.environ.get("AUDIT_HMAC_KEY") or f"bench-{secrets.token_urlsafe(40)}"
PROBE_ID = "00000000-0000-4000-8000-000000000000"

# name, label, path template, account, whether the 15 ms target applies.
READS = [
    # Floors: what any request costs on this machine right now, to read the others against.
    ("healthz", "floor: /healthz (no auth, SELECT 1)", "/healthz", "cashier"),
    ("me", "floor: /api/me/ (token auth)", "/api/me/", "cashier"),
    ("search_name", "search by name fragment", "/customers/api/customers/?search={q}", "cashier"),
    ("search_phone", "search by phone fragment", "/customers/api/customers/?search={q}", "cashier"),
    ("search_surname", "search by surname alone (broad)", "/customers/api/customers/?search={q}",
     "cashier"),
    ("customer_detail", "customer detail", "/customers/api/customers/{id}/", "cashier"),
    ("purchase_history", "purchase history page", "/customers/api/customers/{id}/sales/",
     "cashier"),
    ("debtors", "debtors, first page", "/customers/api/debtors/", "manager"),
    ("audit_log", "audit log, first page", "/sales/api/audit-logs/", "manager"),
    ("receipt", "receipt (JSON)", "/sales/api/sales/{id}/receipt/", "cashier"),
]  # fmt: skip
# The reads the issue holds to p95 < 15 ms at the large size.
FAST_READS = {"search_name", "search_phone", "customer_detail", "purchase_history", "debtors"}
CHECKOUT_PATHS = [
    "/api/storefronts/",
    "/sales/api/sales/",
    f"/sales/api/sales/{PROBE_ID}/items/",
    f"/sales/api/sales/{PROBE_ID}/update_customer/",
    f"/sales/api/sales/{PROBE_ID}/complete/",
]
CLIENT_LEVELS = (1, 4, 16)


STARTED = time.monotonic()


def say(text: str = "") -> None:
    """A line of progress, stamped with the time since the start (minutes:seconds)."""
    elapsed = int(time.monotonic() - STARTED)
    stamp = f"[{elapsed // 60:02d}:{elapsed % 60:02d}] " if text.strip() else ""
    sys.stdout.write(stamp + text + "\n")
    sys.stdout.flush()


@dataclass
class Profile:
    """How big and how long: the full run, or --quick for CI smoke runs."""

    sizes: list[int]
    requests: int
    warmup: int
    checkout_seconds: float
    ceiling_seconds: float
    # A read slower than this allows stops early (with at least MIN_SAMPLES), so one
    # pathological endpoint cannot stretch the run: its row then says how many it took.
    read_budget_seconds: float


MIN_SAMPLES = 5
FULL = Profile(sizes=[10_000, 1_000_000], requests=200, warmup=20, checkout_seconds=15,
               ceiling_seconds=10, read_budget_seconds=30)  # fmt: skip
QUICK = Profile(sizes=[300, 1_500], requests=30, warmup=5, checkout_seconds=2,
                ceiling_seconds=2, read_budget_seconds=5)  # fmt: skip


def size_label(customers: int) -> str:
    if customers >= 1_000_000 and customers % 1_000_000 == 0:
        return f"{customers // 1_000_000}m"
    if customers >= 1_000 and customers % 1_000 == 0:
        return f"{customers // 1_000}k"
    return str(customers)


# --- processes ----------------------------------------------------------------------------


def app_env(database_url: str, args) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DEBUG="0",
        SECRET_KEY=f"bench-{secrets.token_urlsafe(40)}",
        AUDIT_HMAC_KEY=AUDIT_KEY,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        CONN_MAX_AGE=str(args.conn_max_age),
        LOG_LEVEL="WARNING",
        # The benchmark logs in a few times per size; the production rate would refuse it.
        LOGIN_THROTTLE_RATE="1000/min",
        # The checkout's own tree first; a --app module may live on the caller's path.
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    )
    return env


def manage(env: dict, *arguments: str, log: Path) -> None:
    with log.open("a") as out:
        out.write(f"\n$ manage.py {' '.join(arguments)}\n")
        out.flush()
        # stderr stays on the terminal: the seed's progress bar shows there.
        subprocess.run([PYTHON, "manage.py", *arguments], cwd=ROOT, env=env, stdout=out, check=True)


def missing_routes(env: dict, paths: list[str]) -> set[str]:
    """The paths no URL pattern answers, asked of Django's resolver in a child process."""
    probe = (
        "import json, sys, django\n"
        "django.setup()\n"
        "from django.urls import Resolver404, resolve\n"
        "missing = []\n"
        "for path in json.loads(sys.argv[1]):\n"
        "    try:\n"
        "        resolve(path.split('?')[0])\n"
        "    except Resolver404:\n"
        "        missing.append(path)\n"
        "print(json.dumps(missing))\n"
    )
    result = subprocess.run(
        [PYTHON, "-c", probe, json.dumps(paths)],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "pos_project.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn in its own process group, always stopped on the way out."""

    def __init__(self, env: dict, args, log: Path):
        self.port = free_port()
        self.log = log.open("a")
        command = [
            GUNICORN, args.app,
            "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(args.workers),
            "--threads", str(args.threads),
            # gthread keeps idle keep-alive connections out of its threads' way.
            "--worker-class", "gthread",
            "--keep-alive", "30",
            "--log-level", "warning",
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}; see its log")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer /healthz in time")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


# --- HTTP ---------------------------------------------------------------------------------


class Client:
    """One keep-alive connection, as one till or browser tab holds."""

    def __init__(self, port: int, token: str):
        self.port = port
        self.headers = {
            "Authorization": f"Token {token}",
            "Accept": "application/json",
            "Content-Type": "application/json",
        }
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def call(self, method: str, path: str, body=None, headers=None) -> tuple[int, bytes, float]:
        """(status, body, seconds); a dropped connection is reopened once."""
        payload = None if body is None else json.dumps(body)
        for attempt in (1, 2):
            started = time.perf_counter()
            try:
                self.connection.request(
                    method, path, body=payload, headers={**self.headers, **(headers or {})}
                )
                response = self.connection.getresponse()
                data = response.read()
                return response.status, data, time.perf_counter() - started
            except (http.client.RemoteDisconnected, ConnectionError):
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.connection.close()


# --- the data the requests use ------------------------------------------------------------


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
        medicines = [
            str(row[0])
            for row in db.execute(
                "SELECT m.id FROM medicine_medicine m "
                "JOIN medicine_stock s ON s.medicine_id = m.id "
                "WHERE m.business_id = %s AND m.is_active AND s.storefront_id = %s",
                [business, storefront],
            )
        ]
        # Checkouts must never fail for want of stock: the benchmark measures selling.
        db.execute(
            "UPDATE medicine_stock SET quantity = 100000000 WHERE storefront_id = %s", [storefront]
        )
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
        counts=counts,
    )


def open_cashiers_till(port: int, token: str) -> None:
    """The cashier opens the demo's till, as every morning: the demo pharmacy takes cash only
    through an open till session. A session still open (a reused database) is kept."""
    client = Client(port, token)
    try:
        status, body, _ = client.call("GET", "/sales/api/tills/")
        if status == 404:
            return  # a version without tills takes cash without a session
        tills = json.loads(body)["results"]
        status, body, _ = client.call(
            "POST", f"/sales/api/tills/{tills[0]['id']}/open/", {"opening_float": "500.00"}
        )
        if status != 201 and json.loads(body).get("code") != "user_has_open_session":
            raise RuntimeError(f"opening the till failed: {status} {body[:200]!r}")
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


# --- reads --------------------------------------------------------------------------------


def read_paths(name: str, template: str, fixtures: Fixtures) -> list[str]:
    from urllib.parse import quote

    if name == "search_name":
        return [template.format(q=quote(q)) for q in fixtures.name_fragments]
    if name == "search_phone":
        return [template.format(q=quote(q)) for q in fixtures.phone_fragments]
    if name == "search_surname":
        return [template.format(q=quote(q)) for q in fixtures.surnames]
    if name == "customer_detail":
        return [template.format(id=i) for i in fixtures.customers]
    if name == "purchase_history":
        return [template.format(id=i) for i in fixtures.buyers]
    if name == "receipt":
        return [template.format(id=i) for i in fixtures.receipts]
    return [template]


def measure_reads(port: int, fixtures: Fixtures, missing: set[str], profile: Profile) -> dict:
    results = {}
    for name, label, template, account in READS:
        paths = read_paths(name, template, fixtures)
        if not paths or template.split("?")[0].format(id=PROBE_ID) in missing:
            results[name] = {"label": label, "missing": True}
            continue
        client = Client(port, fixtures.tokens[account])
        latencies, errors, statuses, sent = [], 0, {}, 0
        started = time.perf_counter()
        try:
            for index in range(profile.warmup + profile.requests):
                spent = time.perf_counter() - started
                if index < profile.warmup and spent > profile.read_budget_seconds / 4:
                    continue  # a slow endpoint gets a shorter warm-up
                over_budget = spent > profile.read_budget_seconds
                if index >= profile.warmup and over_budget and len(latencies) >= MIN_SAMPLES:
                    break
                status, _, seconds = client.call("GET", paths[index % len(paths)])
                sent += 1
                if status != 200:
                    errors += 1
                    statuses[status] = statuses.get(status, 0) + 1
                elif index >= profile.warmup:
                    latencies.append(seconds * 1000)
        finally:
            client.close()
        missing_route = sent > 0 and statuses.get(404, 0) == sent
        results[name] = {
            "label": label,
            "missing": missing_route,
            "requests": len(latencies),
            "errors": errors,
            "statuses": {str(code): count for code, count in statuses.items()},
            "p50_ms": percentile(latencies, 0.50),
            "p95_ms": percentile(latencies, 0.95),
        }
        summary = results[name]
        if summary["p95_ms"] is not None:
            say(
                f"    {label:<34} p50 {summary['p50_ms']:6.1f} ms   p95 {summary['p95_ms']:6.1f} ms"
                + (f"   ({len(latencies)} requests)" if len(latencies) < profile.requests else "")
                + (f"   errors {errors} {statuses}" if errors else "")
            )
        else:
            say(f"    {label:<34} no successful request: {statuses}")
    return results


# --- checkouts ----------------------------------------------------------------------------


class CheckoutError(Exception):
    pass


def checkout(client: Client, fixtures: Fixtures, customer: str, rng: random.Random) -> None:
    """One sale at the till, request by request, as the POS front end makes it."""

    def call(method: str, path: str, body, expect: int, headers=None) -> dict:
        status, data, _ = client.call(method, path, body, headers)
        if status != expect:
            raise CheckoutError(f"{method} {path} -> {status}: {data[:300]!r}")
        return json.loads(data)

    sale = call("POST", "/sales/api/sales/", {"storefront": fixtures.storefront, "type": "RETAIL"},
                201)  # fmt: skip
    base = f"/sales/api/sales/{sale['id']}"
    for medicine in rng.sample(fixtures.medicines, 3):
        call("POST", f"{base}/items/", {"medicine": medicine, "quantity": rng.choice((1, 2))}, 201)
    updated = call("POST", f"{base}/update_customer/", {"customer": customer}, 200)
    total = Decimal(updated["sale"]["total_amount"])
    on_account = (total / 2).quantize(Decimal("0.01"))
    call(
        "POST",
        f"{base}/complete/",
        {
            "payments": [
                {"method": "CASH", "amount": str(total - on_account)},
                {"method": "ON_ACCOUNT", "amount": str(on_account)},
            ]
        },
        200,
        # What a careful till sends, so a retried tap can never charge twice.
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )


def run_level(port: int, fixtures: Fixtures, clients: int, seconds: float) -> dict:
    """`clients` tills checking out back to back for `seconds`, after one warm-up each."""
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
        client = Client(port, token)
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


def measure_checkouts(port: int, fixtures: Fixtures, seconds: float) -> dict:
    results = {}
    for clients in CLIENT_LEVELS:
        level = results[clients] = run_level(port, fixtures, clients, seconds)
        say(
            f"    {clients:>2} client(s): {level['per_second']:6.1f} checkouts/s, "
            f"p50 {fmt(level['p50_ms'], ' ms')}, p95 {fmt(level['p95_ms'], ' ms')}, "
            f"errors {level['errors']}"
        )
        for error in level["first_errors"]:
            say(f"      error: {error}")
    return results


# --- one size -----------------------------------------------------------------------------


TEMPLATE = "pos_bench_template"


def admin_sql(*statements: str) -> None:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as db:
        for statement in statements:
            db.execute(statement)


def prepare_template(args, run_dir: Path) -> None:
    """One migrated, empty database that every size is copied from: migrate runs once."""
    admin_sql(f'DROP DATABASE IF EXISTS "{TEMPLATE}" WITH (FORCE)', f'CREATE DATABASE "{TEMPLATE}"')
    env = app_env(f"{SERVER}/{TEMPLATE}", args)
    manage(env, "migrate", "--no-input", log=run_dir / "migrate.log")


def database_exists(name: str) -> bool:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as db:
        return bool(db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone())


def run_size(customers: int, args, profile: Profile, run_dir: Path) -> dict:
    label = size_label(customers)
    sales = customers * args.sales_per_customer
    name = f"pos_bench_{label}"
    database_url = f"{SERVER}/{name}"
    env = app_env(database_url, args)
    log = run_dir / f"{label}.log"
    result: dict = {
        "customers": customers,
        "sales": sales,
        "database": name,
        "requests_target": profile.requests,
    }
    say(f"\n== {customers:,} customers, {sales:,} sales ({name})")

    if args.reuse_db and database_exists(name):
        say("  reusing the existing database (--reuse-db): no seed timing")
        result["seed_seconds"] = None
    else:
        admin_sql(
            f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
            f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE}"',
        )
        say(f"  seeding (log: {log})")
        for attempt in (1, 2):
            started = time.perf_counter()
            try:
                manage(
                    env, "seed_demo", "--customers", str(customers), "--sales", str(sales), log=log
                )
                break
            except subprocess.CalledProcessError:
                if attempt == 2:
                    raise
                # The load is one transaction, so nothing of it stayed; a server shared with
                # other work can refuse one (e.g. its lock table full), so it gets one retry.
                say(f"  seed failed (see {log}); retrying once")
                result["seed_retried"] = True
        result["seed_seconds"] = time.perf_counter() - started
        say(f"  seeded in {result['seed_seconds']:.1f} s")
        # The load leaves gigabytes of dirty pages; flushed now, they do not land on the
        # disk in the middle of the measurements.
        started = time.perf_counter()
        admin_sql("CHECKPOINT")
        say(f"  checkpoint in {time.perf_counter() - started:.1f} s")

    paths = [template.split("?")[0].format(id=PROBE_ID) for *_, template, _ in READS]
    paths = [*dict.fromkeys(paths), *CHECKOUT_PATHS]
    missing = missing_routes(env, paths)
    for path in sorted(missing):
        say(f"  missing endpoint: {path}")
    result["missing"] = sorted(missing)

    server = Server(env, args, log)
    try:
        server.wait_healthy()
        rng = random.Random(2026)
        fixtures = load_fixtures(database_url, server.port, profile.requests, rng)
        result["rows"] = fixtures.counts
        say(f"  gunicorn on port {server.port}: {args.workers} workers x {args.threads} threads")
        say("  reads (one keep-alive client, after warm-up):")
        result["reads"] = measure_reads(server.port, fixtures, missing, profile)
        if any(path in missing for path in CHECKOUT_PATHS):
            result["checkouts"] = None
            say("  checkouts: n/a (missing endpoints)")
        else:
            say(f"  checkouts ({profile.checkout_seconds:g} s per level):")
            result["checkouts"] = measure_checkouts(server.port, fixtures, profile.checkout_seconds)
    finally:
        server.stop()

    say("  ceiling (raw SQL through psycopg, one loop):")
    try:
        result["ceiling"] = run_ceiling(
            database_url, seconds=profile.ceiling_seconds, audit_key=AUDIT_KEY
        )
        say(f"    {result['ceiling']['per_second']:6.1f} checkouts/s")
    except psycopg.Error as exc:
        result["ceiling"] = {"error": str(exc).strip()}
        say(f"    failed: {exc}")
    if not args.keep_db and not args.reuse_db:
        admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return result


# --- the table ----------------------------------------------------------------------------


def fmt(value, unit: str = "", digits: int = 1) -> str:
    if value is None:
        return "n/a"
    return f"{value:,.{digits}f}{unit}"


def build_table(results: list[dict]) -> tuple[list[str], list[list[str]]]:
    small, large = results[0], results[-1]
    headers = ["measure"] + [f"{r['customers']:,} customers" for r in results]
    if len(results) > 1:
        headers.append("large / small")
    rows = []

    def add(label, values, ratio=""):
        row = [label, *values]
        if len(results) > 1:
            row.append(ratio)
        rows.append(row)

    add("seed (s)", [fmt(r.get("seed_seconds"), digits=0) for r in results])
    for name, label, *_ in READS:
        for stat in ("p50_ms", "p95_ms"):
            cells = []
            for r in results:
                read = r.get("reads", {}).get(name)
                if read is None or read.get("missing"):
                    cells.append("n/a (missing)")
                else:
                    text = fmt(read.get(stat), " ms")
                    if read.get("requests", 0) < r.get("requests_target", 0):
                        text += f" (n={read['requests']})"
                    if read.get("errors"):
                        text += f" ({read['errors']} errors)"
                    cells.append(text)
            ratio = ""
            if stat == "p95_ms":
                a = (small.get("reads", {}).get(name) or {}).get("p95_ms")
                b = (large.get("reads", {}).get(name) or {}).get("p95_ms")
                ratio = f"{b / a:.2f}x" if a and b else "n/a"
            add(f"{label} {stat[:3]}", cells, ratio)
    for clients in CLIENT_LEVELS:
        cells = []
        for r in results:
            level = (r.get("checkouts") or {}).get(clients)
            cells.append(
                "n/a (missing)"
                if level is None
                else f"{level['per_second']:.1f}/s ({level['errors']} errors)"
            )
        add(f"checkouts/s, {clients} client{'s' if clients > 1 else ''}", cells)
    for stat in ("p50_ms", "p95_ms"):
        cells = []
        for r in results:
            level = (r.get("checkouts") or {}).get(1)
            cells.append("n/a" if level is None else fmt(level[stat], " ms"))
        add(f"whole checkout at 1 client {stat[:3]}", cells)
    add(
        "ceiling: raw SQL checkouts/s",
        [fmt((r.get("ceiling") or {}).get("per_second"), "/s") for r in results],
    )
    cells = []
    for r in results:
        level = (r.get("checkouts") or {}).get(4)
        ceiling = (r.get("ceiling") or {}).get("per_second")
        cells.append(f"{level['per_second'] / ceiling:.0%}" if level and ceiling else "n/a")
    add("4 clients as a share of the ceiling", cells)
    return headers, rows


def markdown(headers: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def plain(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(row[i])) for row in [headers, *rows]) for i in range(len(headers))]
    out = []
    for index, row in enumerate([headers, *rows]):
        out.append(
            "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True))
        )
        if index == 0:
            out.append("  ".join("-" * width for width in widths))
    return "\n".join(out)


def targets(results: list[dict]) -> list[str]:
    """The issue's targets against this run, one line each."""
    small, large = results[0], results[-1]
    lines = []
    for name in sorted(FAST_READS):
        read = (large.get("reads") or {}).get(name) or {}
        p95 = read.get("p95_ms")
        verdict = "n/a" if p95 is None else ("met" if p95 < 15 else "missed")
        lines.append(f"{name} p95 < 15 ms at the large size: {fmt(p95, ' ms')} ({verdict})")
    for name, *_ in READS if len(results) > 1 else ():
        a = ((small.get("reads") or {}).get(name) or {}).get("p95_ms")
        b = ((large.get("reads") or {}).get(name) or {}).get("p95_ms")
        if a and b:
            verdict = "met" if b <= 1.5 * a else "missed"
            lines.append(f"{name} p95 growth <= 1.5x: {b / a:.2f}x ({verdict})")
    level = (large.get("checkouts") or {}).get(4)
    ceiling = (large.get("ceiling") or {}).get("per_second")
    if level and ceiling:
        share = level["per_second"] / ceiling
        verdict = "met" if share >= 0.25 and level["errors"] == 0 else "missed"
        lines.append(f"4 clients >= 25% of the ceiling, no errors: {share:.0%} ({verdict})")
    one = (large.get("checkouts") or {}).get(1)
    if one:
        verdict = "met" if one["p95_ms"] and one["p95_ms"] < 60 else "missed"
        lines.append(
            f"whole checkout p95 < 60 ms at 1 client: {fmt(one['p95_ms'], ' ms')} ({verdict})"
        )
    return lines


# --- main ---------------------------------------------------------------------------------


def interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="Small sizes, under 2 minutes.")
    parser.add_argument("--sizes", help="Comma-separated customer counts, e.g. 10000,100000.")
    parser.add_argument("--sales-per-customer", type=int, default=2)
    parser.add_argument("--requests", type=int, help="Measured requests per read endpoint.")
    parser.add_argument("--checkout-seconds", type=float, help="Duration of each client level.")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2).")
    parser.add_argument("--threads", type=int, default=4, help="Threads per worker (default 4).")
    parser.add_argument("--conn-max-age", type=int, default=60, help="CONN_MAX_AGE for the app.")
    parser.add_argument(
        "--app",
        default="pos_project.wsgi",
        help="WSGI module for gunicorn, to measure a candidate change (default pos_project.wsgi).",
    )
    parser.add_argument("--keep-db", action="store_true", help="Keep the databases afterwards.")
    parser.add_argument(
        "--reuse-db", action="store_true", help="Use existing databases as they are (no seed)."
    )
    parser.add_argument("--out", default=str(ROOT / "bench-results"), help="Results directory.")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    base = QUICK if args.quick else FULL
    profile = Profile(
        sizes=[int(size) for size in args.sizes.split(",")] if args.sizes else base.sizes,
        requests=args.requests or base.requests,
        warmup=base.warmup,
        checkout_seconds=args.checkout_seconds or base.checkout_seconds,
        ceiling_seconds=base.ceiling_seconds,
        read_budget_seconds=base.read_budget_seconds,
    )
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    run_dir = Path(args.out) / f"{stamp}{'-quick' if args.quick else ''}"
    run_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    # A SIGTERM (CI timeout, kill) unwinds like Ctrl-C, so gunicorn is always stopped.
    signal.signal(signal.SIGTERM, interrupt)
    say(f"Benchmark {stamp}: sizes {profile.sizes}, {os.cpu_count()} CPUs, load {os.getloadavg()}")
    if not args.reuse_db:
        prepare_template(args, run_dir)
    try:
        results = [run_size(size, args, profile, run_dir) for size in profile.sizes]
    finally:
        admin_sql(f'DROP DATABASE IF EXISTS "{TEMPLATE}" WITH (FORCE)')
    elapsed = time.perf_counter() - started

    headers, rows = build_table(results)
    verdicts = targets(results)
    report = {
        "started": stamp,
        "seconds": elapsed,
        "quick": args.quick,
        "workers": args.workers,
        "threads": args.threads,
        "conn_max_age": args.conn_max_age,
        "app": args.app,
        "cpus": os.cpu_count(),
        "load_average_at_end": os.getloadavg(),
        "sizes": results,
        "table": {"headers": headers, "rows": rows},
        "targets": verdicts,
    }
    (run_dir / "results.json").write_text(json.dumps(report, indent=2, default=str))
    (run_dir / "results.md").write_text(
        f"# Benchmark {stamp}\n\n"
        f"{os.cpu_count()} CPUs; gunicorn {args.workers} workers x {args.threads} threads "
        f"(gthread); CONN_MAX_AGE={args.conn_max_age}; total {elapsed:.0f} s; load average at "
        f"the end {', '.join(f'{v:.1f}' for v in os.getloadavg())}.\n\n"
        + markdown(headers, rows)
        + "\n\nTargets:\n\n"
        + "\n".join(f"- {line}" for line in verdicts)
        + "\n"
    )
    sys.stdout.write("\n" + plain(headers, rows) + "\n")
    sys.stdout.write("\nTargets:\n" + "\n".join(f"  {line}" for line in verdicts) + "\n")
    say(f"\nDone in {elapsed:.0f} s. Results: {run_dir / 'results.md'} and results.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
