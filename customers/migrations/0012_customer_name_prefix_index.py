"""A B-tree for name prefixes, on PostgreSQL.

The search lists the names that start with the query first, and when enough of them do,
it needs no other match (`customers.selectors.customer_search_shortlist`). The trigram
index can answer `search_name LIKE 'aicha ben%'`, but only by intersecting the posting
lists of the query's trigrams, some shared by a large part of the table; a B-tree with
pattern operators turns the prefix into a range scan that stops at the shortlist's size.
(`customer_business_name` cannot, unless the database's collation is C: it is kept in the
collation's order, not the byte order that `LIKE` prefixes need.)
"""

from django.db import migrations

INDEX = "customer_name_prefix"


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
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} "
        "ON customers_customer (business_id, search_name varchar_pattern_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("customers", "0011_customer_field_labels"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, atomic=False, elidable=False),
    ]
