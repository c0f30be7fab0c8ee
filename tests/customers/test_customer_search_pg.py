"""The customer search at a chain's size, on PostgreSQL: the statement the API runs is
served by the indexes, reads its shortlist of matches and not every match, and needs no
planner setting to get there."""

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from customers.search import search_name_for
from demo.bulk import FIRST_NAMES, LAST_NAMES

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="trigram indexes and plans are PostgreSQL's"
)

LIST = reverse("customer-list")
# Enough customers that each surname is shared by hundreds and the planner weighs the
# indexes against reading the table as it would at a chain's size.
CUSTOMERS = 100_000


@pytest.fixture
def chain_of_customers(business):
    """`CUSTOMERS` customers named as the bulk loader names them, loaded in one statement."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO customers_customer (
                id, business_id, name, search_name, phone, email, address, notes,
                customer_type, credit_limit, outstanding_balance, total_purchases,
                sales_count, ledger_sequence, last_purchase_date, is_active, created_at,
                updated_at
            )
            SELECT gen_random_uuid(), %(business)s,
                   (%(first)s::text[])[1 + i %% %(firsts)s] || ' '
                       || (%(last)s::text[])[1 + i / %(firsts)s %% %(lasts)s],
                   (%(first_folded)s::text[])[1 + i %% %(firsts)s] || ' '
                       || (%(last_folded)s::text[])[1 + i / %(firsts)s %% %(lasts)s],
                   '+2126' || lpad(i::text, 8, '0'), '', '', '', 'RETAIL', NULL, 0, 0, 0, 0,
                   NULL, true, now(), now()
            FROM generate_series(1, %(count)s) AS i
            """,
            {
                "business": business.pk,
                "first": FIRST_NAMES,
                "last": LAST_NAMES,
                "first_folded": [search_name_for(name) for name in FIRST_NAMES],
                "last_folded": [search_name_for(name) for name in LAST_NAMES],
                "firsts": len(FIRST_NAMES),
                "lasts": len(LAST_NAMES),
                "count": CUSTOMERS,
            },
        )
        cursor.execute("ANALYZE customers_customer")
    return business


def plan_of_search(client, query: str) -> tuple[dict, str]:
    """The answer to `?search=query`, and the plan of the statement that read its page."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(LIST, {"search": query})
    assert response.status_code == 200, response.content[:300]
    (page_sql,) = [q["sql"] for q in captured if q["sql"].startswith('SELECT "customers_customer"')]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {page_sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return response.json(), plan


@pytest.mark.parametrize(
    ("query", "index"),
    [
        ("Aïcha Ben", "customer_name_prefix"),  # a first name and a surname's start
        ("Bennani", "customer_surname_prefix"),  # a surname alone: hundreds of matches
        ("ennan", "customer_search_name_trgm"),  # letters from the middle of a surname
        ("0600 012", "customer_phone_prefix"),  # the start of a national number
        ("12345", "customer_phone_trgm"),  # digits from the middle of a number
    ],
)
def test_the_indexes_find_a_shortlist_and_the_page_is_read_by_key(
    cashier_client, chain_of_customers, query, index
):
    body, plan = plan_of_search(cashier_client, query)

    assert body["results"], body
    assert index in plan, plan
    assert "Seq Scan" not in plan, plan
    # The shortlist is cut inside the statement (LIMIT 201), then its customers are read
    # by primary key: no match beyond the shortlist is fetched, sorted or counted.
    assert "Limit" in plan and "customers_customer_pkey" in plan, plan


def test_a_surname_alone_is_counted_up_to_the_limit(cashier_client, chain_of_customers):
    body, _plan = plan_of_search(cashier_client, "Bennani")

    assert body["count_capped"] is True and body["count"] == 200


@pytest.mark.parametrize(
    ("query", "index", "word"),
    [("Aïcha", "customer_name_prefix", 0), ("Bennani", "customer_surname_prefix", 1)],
)
def test_enough_names_or_surnames_starting_with_the_query_spare_the_trigram_search(
    cashier_client, chain_of_customers, query, index, word
):
    # Thousands of names start with "Aïcha", and of surnames with "Bennani": a B-tree
    # range fills the shortlist, and the trigram index, whose cost is the posting lists of
    # common trigrams, is never read.
    with CaptureQueriesContext(connection) as captured:
        body = cashier_client.get(LIST, {"search": query}).json()
    (page_sql,) = [q["sql"] for q in captured if q["sql"].startswith('SELECT "customers_customer"')]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) {page_sql}")
        plan = [row[0] for row in cursor.fetchall()]

    assert body["count_capped"] is True
    assert {row["name"].split()[word] for row in body["results"]} == {query}
    # A range scan that stops at the shortlist's size: not both prefix indexes read whole
    # into one bitmap first.
    assert any(f"Index Scan using {index}" in line for line in plan), "\n".join(plan)
    assert not any("Bitmap" in line for line in plan if "prefix" in line), "\n".join(plan)
    (trigram,) = [line for line in plan if "customer_search_name_trgm" in line]
    assert "never executed" in trigram, plan


def test_the_trigram_indexes_keep_a_small_pending_list(db):
    # Every sale updates its customer's row: with GIN's default 4 MB pending list, every
    # search would read thousands of queued entries until the next vacuum.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reloptions FROM pg_class WHERE relname = ANY(%s) ORDER BY relname",
            [["customer_phone_trgm", "customer_search_name_trgm"]],
        )
        options = dict(cursor.fetchall())

    assert options == {
        "customer_phone_trgm": ["gin_pending_list_limit=256"],
        "customer_search_name_trgm": ["gin_pending_list_limit=256"],
    }


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "migration_name",
    ["0012_customer_name_prefix_index", "0014_customer_surname_prefix_index"],
)
def test_an_interrupted_build_of_a_prefix_index_is_built_again(migration_name):
    """A concurrent build cut short leaves an invalid index that the planner never uses:
    migrating again builds it anew instead of keeping it."""
    migration = importlib.import_module(f"customers.migrations.{migration_name}")
    validity = f"SELECT indisvalid FROM pg_index WHERE indexrelid = '{migration.INDEX}'::regclass"
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE pg_index SET indisvalid = false WHERE indexrelid = %s::regclass",
            [migration.INDEX],
        )

    with connection.schema_editor(atomic=False) as editor:
        migration.create_index(apps, editor)

    with connection.cursor() as cursor:
        cursor.execute(validity)
        assert cursor.fetchone() == (True,)
