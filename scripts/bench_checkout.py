"""The latency of one whole checkout, as a till makes it, on PostgreSQL.

Run: `DATABASE_URL=postgres://postgres@127.0.0.1:5432/pos_bench_checkout \
      .venv/bin/python scripts/bench_checkout.py [--count 200] [--warmup 10]`.

It (re)creates the database DATABASE_URL names, migrates it, and builds one business with a
stocked catalogue and a customer with a credit limit. Then, for each checkout, through DRF's
APIClient in this process (token authentication, JSON bodies, the full middleware, view,
serializer and service stack, but no HTTP socket or WSGI server), it times:
  POST /sales/api/sales/                      create the DRAFT
  POST /sales/api/sales/{id}/items/   x 3     three medicines
  POST /sales/api/sales/{id}/update_customer/
  POST /sales/api/sales/{id}/complete/        on account, with an Idempotency-Key
and prints p50, p95 and the mean of the whole sequence in milliseconds.
"""

import argparse
import os
import statistics
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_support import percentile  # noqa: E402

# The test settings are the real ones with a throwaway secret key; DEBUG stays off so that
# Django does not keep every query in memory and skew the timings.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pos_project.test_settings")


def _recreate_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.startswith("pos_bench"):
        sys.exit(f"Refusing to recreate {name!r}: the benchmark database must be pos_bench*.")
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200, help="Checkouts measured.")
    parser.add_argument("--warmup", type=int, default=10, help="Checkouts run first, unmeasured.")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database, e.g. .../pos_bench_checkout")
    _recreate_database(url)

    import django

    django.setup()
    from decimal import Decimal

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from customers.models import Customer
    from medicine.models import Lot, Medicine, Stock
    from pos_project.models import Business, Role, StaffMember, Storefront

    call_command("migrate", verbosity=0)
    business = Business.objects.create(name="Checkout benchmark")
    storefront = Storefront.objects.create(business=business, name="Main")
    user = get_user_model().objects.create_user(username="bench-cashier", first_name="Bench")
    StaffMember.objects.create(user=user, business=business, role=Role.CASHIER)
    token = Token.objects.create(user=user)
    total = args.count + args.warmup
    medicines = []
    for index, price in enumerate(("15.60", "29.80", "44.70")):
        medicine = Medicine.objects.create(
            business=business, name=f"Bench medicine {index}", prix_br=Decimal(price)
        )
        # Stock without lot number: the shelf is the sum of its lots.
        Stock.objects.create(medicine=medicine, storefront=storefront, quantity=10 * total)
        Lot.objects.create(medicine=medicine, storefront=storefront, quantity=10 * total)
        medicines.append(medicine)
    customer = Customer.objects.create(
        business=business, name="Bench Customer", credit_limit=Decimal("1000000.00")
    )

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    def checkout() -> float:
        started = time.perf_counter()
        response = client.post(
            "/sales/api/sales/", {"storefront": str(storefront.pk), "type": "RETAIL"}, format="json"
        )
        assert response.status_code == 201, response.content
        sale = response.json()["id"]
        for medicine, quantity in zip(medicines, (1, 2, 1), strict=True):
            response = client.post(
                f"/sales/api/sales/{sale}/items/",
                {"medicine": str(medicine.pk), "quantity": quantity},
                format="json",
            )
            assert response.status_code == 201, response.content
        response = client.post(
            f"/sales/api/sales/{sale}/update_customer/",
            {"customer": str(customer.pk)},
            format="json",
        )
        assert response.status_code == 200, response.content
        amount = response.json()["sale"]["total_amount"]
        response = client.post(
            f"/sales/api/sales/{sale}/complete/",
            {"payments": [{"method": "ON_ACCOUNT", "amount": amount}]},
            format="json",
            HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
        )
        assert response.status_code == 200, response.content
        return (time.perf_counter() - started) * 1000

    for _ in range(args.warmup):
        checkout()
    durations = sorted(checkout() for _ in range(args.count))
    customer.refresh_from_db()
    out = sys.stdout
    out.write(
        f"{args.count} checkouts (create, 3 items, update_customer, complete on account), "
        "in-process through DRF's APIClient with token auth, on PostgreSQL:\n"
        f"  p50 {percentile(durations, 0.50):.1f} ms   p95 {percentile(durations, 0.95):.1f} ms"
        f"   mean {statistics.fmean(durations):.1f} ms   max {durations[-1]:.1f} ms\n"
        f"  customer balance after: {customer.outstanding_balance} over {customer.sales_count} "
        "sales\n"
    )


if __name__ == "__main__":
    main()
