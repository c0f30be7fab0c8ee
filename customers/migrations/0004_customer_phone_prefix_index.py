"""A B-tree for phone prefixes, on PostgreSQL.

A cashier types the start of a number ("0612 345" -> `phone LIKE '+212612345%'`). The
trigram index can answer that, but every number shares the trigrams of "+212", so it
intersects posting lists as long as the table; a B-tree with pattern operators turns the
prefix into a short range scan instead. The trigram index still serves fragments typed
from the middle or the end of a number.
"""

from django.db import migrations

INDEX = "customer_phone_prefix"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} "
        "ON customers_customer (business_id, phone varchar_pattern_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("customers", "0003_customer_search_trigram"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, atomic=False, elidable=False),
    ]
