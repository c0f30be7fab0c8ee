"""A B-tree for surname prefixes, on PostgreSQL.

A cashier often types the family name alone ("Bennani"). It is not the start of the name,
so the search had only the trigram index for it, whose cost is intersecting the posting
lists of the query's trigrams: thousands of entries for a common surname. The search now
counts a name whose second word starts with the query among the best matches
(`customers.search.surname_part`), and this index turns that into a range scan that stops
at the shortlist's size. The expression is the one `surname_part` compiles to; the planner
uses the index only while the two agree, which tests/customers checks in a plan.
"""

from django.db import migrations

INDEX = "customer_surname_prefix"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT NOT indisvalid FROM pg_index WHERE indexrelid = to_regclass(%s)", [INDEX]
        )
        left = cursor.fetchone()
    if left and left[0]:
        # A concurrent build interrupted earlier leaves an invalid index behind, which
        # `IF NOT EXISTS` would keep and the planner never uses: build it again.
        schema_editor.execute(f"DROP INDEX CONCURRENTLY {INDEX}")
    schema_editor.execute(
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} ON customers_customer "
        "(business_id, (substring(search_name, strpos(search_name, ' ') + 1)) text_pattern_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("customers", "0013_customer_search_trigram_pending_list"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, atomic=False, elidable=False),
    ]
