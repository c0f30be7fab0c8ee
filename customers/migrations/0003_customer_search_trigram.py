"""Trigram indexes behind the customer search, on PostgreSQL.

`?search=` matches any part of the folded name or of the phone (`LIKE '%...%'`), which a
B-tree cannot serve; pg_trgm's GIN indexes can, so the search stays fast at any size.
SQLite has no such index and scans, which is fine at a single shop's size.

The indexes are built CONCURRENTLY so that adding them to a live table never blocks the
tills; that needs a migration outside a transaction. They live only in the database, not
in the model state: they are an access path on one vendor, not part of the model.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = {
    "customer_search_name_trgm": "search_name",
    "customer_phone_trgm": "phone",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} "
            f"ON customers_customer USING gin ({column} gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("customers", "0002_initial"),
    ]

    operations = [
        # A no-op on databases other than PostgreSQL.
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes, atomic=False, elidable=False),
    ]
