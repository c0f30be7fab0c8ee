"""The customer search's latency on PostgreSQL with 100,000 customers.

Run: `DATABASE_URL=postgres://postgres@127.0.0.1:5432/pos_bench_customers \
      .venv/bin/python scripts/bench_customer_search.py [--customers N] [--queries N]`

It creates the database if needed, migrates it, fills one business with N customers
(bulk inserts with the same folded `search_name` and E.164 phones the services write;
a second run reuses them), then times `--queries` searches, half name fragments and half
phone fragments typed the ways cashiers type them. Each search is timed twice:
- api: `GET /customers/api/customers/?search=...` through DRF's APIClient, in process, as
  a cashier with a token: authentication, filters, the count and first page of 50,
  serialisation; no network or WSGI server;
- db: the selector alone (`customer_list` with the same query), the count and first page,
  which is the database's share of the above.
It prints p50, p95 and max in milliseconds for each.
"""

import argparse
import os
import random
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# The test settings are the real ones with a throwaway secret key; DEBUG stays off so that
# Django does not keep every query in memory and skew the timings.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pos_project.test_settings")

import django  # noqa: E402
from bench_support import ensure_database, percentile, report  # noqa: E402

FIRST_NAMES = [
    "Fatima Zahra",
    "Mohamed",
    "Khadija",
    "Youssef",
    "Amina",
    "Hassan",
    "Naima",
    "Rachid",
    "Salma",
    "Omar",
    "Zineb",
    "Abdelkader",
    "Meryem",
    "Brahim",
    "Latifa",
    "Saïd",
    "Houda",
    "Abdellah",
    "Nadia",
    "Mustapha",
    "Imane",
    "Karim",
    "Ghita",
    "Hamza",
    "Soukaina",
    "Driss",
    "Asmae",
    "Ayoub",
    "Élodie",
    "Hicham",
    "Siham",
    "Mehdi",
    "Hajar",
    "Anas",
    "Kaoutar",
    "Ilyas",
    "Btissam",
    "Othmane",
    "Wiam",
    "Reda",
    "Chaimae",
    "Adil",
    "Loubna",
    "Tarik",
    "Oumaima",
    "Jamal",
    "Sanae",
    "Nabil",
    "Hind",
    "Badr",
    "Rim",
    "Zakaria",
    "Sara",
    "Amine",
    "Yasmine",
    "Ismaïl",
    "Dounia",
]
SURNAMES = [
    "El Amrani",
    "Benjelloun",
    "Tazi",
    "El Idrissi",
    "Chraibi",
    "Ait Lahcen",
    "Ouazzani",
    "Bennani",
    "Berrada",
    "Fassi Fihri",
    "Alaoui",
    "Mansouri",
    "Lahlou",
    "Oukacha",
    "Benkirane",
    "Ouali",
    "Skalli",
    "Ziani",
    "El Khatib",
    "Rahmouni",
    "Bouzidi",
    "Tahiri",
    "Sebti",
    "Belhaj",
    "Amrani",
    "Lamrani",
    "Haddaoui",
    "Kabbaj",
    "Benaïssa",
    "Cherkaoui",
    "El Ouafi",
    "Zerhouni",
    "Guessous",
    "Naciri",
    "Sqalli",
    "Benchekroun",
    "Laraki",
    "Filali",
    "El Fassi",
    "Bouabid",
    "Jettou",
    "Kettani",
    "Lazrak",
    "Mernissi",
    "Tounsi",
    "Slaoui",
    "Hajji",
    "Boutaleb",
    "El Mokri",
    "Daoudi",
    "Ennaji",
    "Raiss",
    "Bekkali",
    "Hilali",
    "Azzouzi",
    "Chaoui",
    "Jabri",
    "Essaidi",
    "Ghazali",
    "Karimi",
    "Mouline",
    "Nejjar",
    "Ouahbi",
    "Regragui",
    "Saadi",
    "Toumi",
    "Wahbi",
    "Yacoubi",
]


def fill(business, target: int, rng: random.Random) -> None:
    from customers.counts import customer_counts_rebuild
    from customers.models import Customer, CustomerType
    from customers.search import search_name_for

    have = Customer.objects.filter(business=business).count()
    missing = target - have
    if missing <= 0:
        return
    taken = set(Customer.objects.filter(business=business).values_list("phone", flat=True))
    started = time.perf_counter()
    batch = []
    while missing > 0:
        first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
        # A middle initial or a second surname now and then, as real records have.
        if rng.random() < 0.3:
            last = f"{last} {rng.choice(SURNAMES)}"
        name = f"{first} {last}"
        phone = f"+212{rng.choice('67')}{rng.randrange(10**8):08d}"
        if phone in taken:
            continue
        taken.add(phone)
        batch.append(
            Customer(
                business=business,
                name=name,
                search_name=search_name_for(name),
                phone=phone,
                customer_type=CustomerType.WHOLESALE if rng.random() < 0.05 else "RETAIL",
                is_active=rng.random() > 0.03,
            )
        )
        missing -= 1
        if len(batch) == 5000 or missing == 0:
            Customer.objects.bulk_create(batch)
            batch = []
    # The rows went in beside the services, so the business's kept counts are recomputed.
    customer_counts_rebuild(business=business)
    report(f"inserted {target - have} customers in {time.perf_counter() - started:.1f}s")


def queries(business, count: int, rng: random.Random) -> list[str]:
    """Half name fragments, half phone fragments, typed as cashiers type them."""
    from customers.models import Customer

    phones = list(Customer.objects.filter(business=business).values_list("phone", flat=True)[:5000])
    result = []
    for index in range(count):
        if index % 2 == 0:
            name = rng.choice(FIRST_NAMES + SURNAMES)
            start = rng.randrange(max(1, len(name) - 3))
            fragment = name[start : start + rng.randint(3, 8)]
            result.append(rng.choice([fragment, fragment.upper(), fragment.lower()]))
        else:
            national = "0" + rng.choice(phones)[4:]  # 0612345678
            result.append(
                rng.choice(
                    [
                        national[: rng.randint(4, 10)],  # "0612", "061234"...
                        f"{national[:2]} {national[2:4]} {national[4:6]}",  # "06 12 34"
                        national[-rng.randint(4, 6) :],  # the last digits
                        f"+212 {national[1:4]} {national[4:7]}",  # "+212 612 345"
                    ]
                )
            )
    return result


def percentiles(samples: list[float]) -> str:
    p50, p95 = percentile(samples, 0.50), percentile(samples, 0.95)
    return f"p50 {p50:7.2f} ms   p95 {p95:7.2f} ms   max {max(samples):7.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL database, e.g. postgres://postgres@127.0.0.1:5432/pos_bench_customers"
        )
    ensure_database(url)
    django.setup()

    from django.core.management import call_command
    from django.db import connection
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from customers.selectors import customer_list
    from pos_project.actors import Actor
    from pos_project.models import Business, Role, StaffMember
    from staff.services import business_create, staff_add

    call_command("migrate", verbosity=0)
    rng = random.Random(args.seed)
    actor = Actor.system("bench_customer_search")
    business = Business.objects.filter(name="Bench Customers").first()
    if business is None:
        business = business_create(
            name="Bench Customers",
            owner_username="bench-customers-owner",
            owner_password=secrets.token_urlsafe(24),
            actor=actor,
        )
    if not StaffMember.objects.filter(business=business, role=Role.CASHIER).exists():
        staff_add(
            business=business,
            username="bench-customers-cashier",
            password=secrets.token_urlsafe(24),
            role=Role.CASHIER,
            actor=actor,
        )
    fill(business, args.customers, rng)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE customers_customer")

    cashier = StaffMember.objects.get(business=business, role=Role.CASHIER).user
    client = APIClient()
    client.credentials(
        HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=cashier)[0].key}"
    )
    searches = queries(business, args.queries, rng)

    def api(query):
        response = client.get("/customers/api/customers/", {"search": query})
        assert response.status_code == 200, response.content[:300]
        return response.json()["count"]

    def db(query):
        page = customer_list(business=business, query=query).order_by("name", "id")
        return page.count(), list(page[:50])

    for query in searches[:20]:  # warm caches and connections
        api(query)
        db(query)
    timings = {"api": [], "db": []}
    matches = []
    for query in searches:
        started = time.perf_counter()
        matches.append(api(query))
        timings["api"].append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        db(query)
        timings["db"].append((time.perf_counter() - started) * 1000)

    total = business.customers.count()
    report(f"{total} customers, {len(searches)} searches (even: name fragments, odd: phone)")
    report(f"matches per search: median {statistics.median(matches):.0f}, max {max(matches)}")
    for kind, samples in timings.items():
        for label, subset in (
            ("all", samples),
            ("names", samples[0::2]),
            ("phones", samples[1::2]),
        ):
            report(f"{kind:>4} {label:<7}{percentiles(subset)}")


if __name__ == "__main__":
    main()
