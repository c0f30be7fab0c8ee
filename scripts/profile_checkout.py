"""CPU per checkout, in-process, on a seeded PostgreSQL database: the figure to compare
before and after a change to the checkout's Python on a machine shared with other work.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pos_x \
      .venv/bin/python scripts/profile_checkout.py [--flow one|complete] [--count 200] \
      [--repeat 5] [--profile pyinstrument|cprofile]

after `manage.py seed_demo --customers 10000 --sales 20000` on that database (with
DJANGO_SETTINGS_MODULE=pos_project.test_settings, which this script uses too). Requests go
through Django's WSGI handler in this process, as gunicorn calls them (middleware, token
authentication, DRF, the services; no socket), on a persistent connection. The cart is the
benchmark's: three of the demo pharmacy's medicines, one or two of each, half on account
and half in cash, for a customer without a credit limit, with an `Idempotency-Key`; the
cashier's till is opened and the shelves deepened first. `--flow one` times the one-request
checkout; `--flow complete` rings the sale up request by request and times `complete` alone.
It prints the CPU time (`time.process_time`: this process, not PostgreSQL) per checkout:
each repetition's mean and median, and the median of all (the steadier figure on a shared
machine, where a neighbour's burst inflates a few checkouts). With PostgreSQL on the same
machine it prints its server process's CPU per checkout as well, each repetition's mean
(read from `/proc`, whole checkouts included): on two cores the app and the database share
the CPU, so the sum is what a checkout costs the machine. `--profile` runs one more
repetition under pyinstrument (wall time; install it into .venv, it is no requirement) or
cProfile (CPU time). Every run adds sales to the database: use a throwaway one.
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path
from statistics import mean, median

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_support import deepen_shelves, report  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pos_project.test_settings")
# As the benchmark's servers run: a log line per request costs CPU a server does not spend.
os.environ.setdefault("LOG_LEVEL", "WARNING")


class Till:
    """One cashier's requests through the WSGI handler, as a server hands them over."""

    def __init__(self, handler, token: str):
        self.handler = handler
        self.token = token

    def call(self, method: str, path: str, body=None, expect=200, key: str = "") -> dict:
        data = json.dumps(body).encode() if body is not None else b""
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(data)),
            "HTTP_AUTHORIZATION": f"Token {self.token}",
            "wsgi.input": io.BytesIO(data),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
        }
        if key:
            environ["HTTP_IDEMPOTENCY_KEY"] = key
        answer = {}
        response = self.handler(environ, lambda status, headers: answer.update(status=status))
        content = b"".join(response)
        response.close()
        if expect is not None and int(answer["status"][:3]) != expect:
            sys.exit(f"{method} {path} -> {answer['status']}: {content[:300]!r}")
        return json.loads(content) if content else {}


def fixtures(till: Till) -> dict:
    """The demo pharmacy's storefront, priced medicines and customers without a limit."""
    from django.db import connection

    from customers.models import Customer
    from medicine.models import Stock
    from pos_project.models import Storefront

    storefront = Storefront.objects.get(business__name="Pharmacie Atlas", name="Main")
    with connection.cursor() as cursor:
        deepen_shelves(cursor, storefront.pk)
    prices = dict(
        Stock.objects.filter(storefront=storefront, medicine__is_active=True).values_list(
            "medicine_id", "medicine__prix_br"
        )
    )
    customers = Customer.objects.filter(
        business_id=storefront.business_id, is_active=True, credit_limit__isnull=True
    ).order_by("sales_count", "pk")
    tills = till.call("GET", "/sales/api/tills/")["results"]
    # A session left open by an earlier run is kept (the open is refused, 409).
    till.call("POST", f"/sales/api/tills/{tills[0]['id']}/open/", {"opening_float": "1.00"}, None)
    return {
        "storefront": str(storefront.pk),
        "prices": {str(pk): price for pk, price in prices.items()},
        "customers": [str(pk) for pk in customers.values_list("pk", flat=True)[:2000]],
    }


def checkout(till: Till, data: dict, rng: random.Random, flow: str) -> float:
    """One checkout; answers the CPU seconds of the request timed."""
    cart = [(medicine, rng.choice((1, 2))) for medicine in rng.sample(sorted(data["prices"]), 3)]
    total = sum((data["prices"][medicine] * quantity for medicine, quantity in cart), Decimal(0))
    on_account = (total / 2).quantize(Decimal("0.01"))
    payments = [
        {"method": "CASH", "amount": str(total - on_account)},
        {"method": "ON_ACCOUNT", "amount": str(on_account)},
    ]
    customer = rng.choice(data["customers"])
    key = str(uuid.uuid4())
    if flow == "one":
        body = {
            "storefront": data["storefront"],
            "type": "RETAIL",
            "customer": customer,
            "items": [{"medicine": medicine, "quantity": quantity} for medicine, quantity in cart],
            "payments": payments,
        }
        started = time.process_time()
        till.call("POST", "/sales/api/sales/checkout/", body, expect=201, key=key)
        return time.process_time() - started
    sale = till.call(
        "POST", "/sales/api/sales/", {"storefront": data["storefront"], "type": "RETAIL"}, 201
    )
    base = f"/sales/api/sales/{sale['id']}"
    for medicine, quantity in cart:
        till.call("POST", f"{base}/items/", {"medicine": medicine, "quantity": quantity}, 201)
    till.call("POST", f"{base}/update_customer/", {"customer": customer})
    started = time.process_time()
    till.call("POST", f"{base}/complete/", {"payments": payments}, key=key)
    return time.process_time() - started


def database_cpu_seconds() -> float | None:
    """The CPU time so far of the PostgreSQL process serving this connection, or None when
    it runs on another machine."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        # The command name, in parentheses, may hold spaces: the fields follow its end.
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    # utime and stime, the 14th and 15th fields of proc(5), in clock ticks.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flow", choices=("one", "complete"), default="one")
    parser.add_argument("--count", type=int, default=200, help="Checkouts per repetition.")
    parser.add_argument("--repeat", type=int, default=5, help="Repetitions measured.")
    parser.add_argument("--warmup", type=int, default=20, help="Checkouts run first, unmeasured.")
    parser.add_argument(
        "--profile",
        choices=("pyinstrument", "cprofile"),
        help="One more repetition under pyinstrument (wall time) or cProfile (CPU time).",
    )
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a seeded PostgreSQL database.")

    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler
    from rest_framework.authtoken.models import Token

    till = Till(WSGIHandler(), Token.objects.get(user__username="cashier").key)
    data = fixtures(till)
    rng = random.Random(0)
    for _ in range(args.warmup):
        checkout(till, data, rng, args.flow)
    means, every = [], []
    database_means = []
    for repetition in range(args.repeat):
        database_before = database_cpu_seconds()
        cpu = [checkout(till, data, rng, args.flow) * 1000 for _ in range(args.count)]
        means.append(mean(cpu))
        every += cpu
        line = f"repetition {repetition + 1}: mean {means[-1]:.2f}, median {median(cpu):.2f}"
        if database_before is not None:
            database_means.append((database_cpu_seconds() - database_before) * 1000 / args.count)
            line += f"; database mean {database_means[-1]:.2f}"
        report(line)
    summary = (
        f"{args.flow}: median {median(every):.2f} ms CPU per checkout (means: {median(means):.2f})"
    )
    if database_means:
        summary += f"; the database's CPU per checkout {median(database_means):.2f} ms"
    report(summary)
    if args.profile == "pyinstrument":
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
        profiler.start()
        for _ in range(args.count):
            checkout(till, data, rng, args.flow)
        profiler.stop()
        report(profiler.output_text(unicode=False, color=False))
    elif args.profile == "cprofile":
        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        for _ in range(args.count):
            checkout(till, data, rng, args.flow)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(60)


if __name__ == "__main__":
    main()
