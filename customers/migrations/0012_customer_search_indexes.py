"""The customer search's indexes, on PostgreSQL: a B-tree for name prefixes, and trigram
indexes kept up to date on every write.

The search lists the names that start with the query first, and when enough of them do,
it needs no other match (`customers.selectors.customer_search_shortlist`). The trigram
index can answer `search_name LIKE 'aicha ben%'`, but only by intersecting the posting
lists of the query's trigrams, some shared by a large part of the table; a B-tree with
pattern operators turns the prefix into a range scan that stops at the shortlist's size.
(`customer_business_name` cannot, unless the database's collation is C: it is kept in the
collation's order, not the byte order that `LIKE` prefixes need.)

A GIN index's fast update queues new entries in a pending list, up to 4 MB, that every
scan reads whole. Each sale updates its customer's row, so the list fills with the day's
buyers: after 10,000 updates a name search read 548 buffers in 9.4 ms instead of 116 in
1.9 ms, at 1,000,000 customers. Written straight into the index, an update costs about
0.15 ms more, and no checkout pays for flushing the list.
"""

from django.db import migrations

PREFIX_INDEX = "customer_name_prefix"
TRIGRAM_INDEXES = ("customer_search_name_trgm", "customer_phone_trgm")


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {PREFIX_INDEX} "
        "ON customers_customer (business_id, search_name varchar_pattern_ops)"
    )
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f"ALTER INDEX {name} SET (fastupdate = off)")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f"ALTER INDEX {name} RESET (fastupdate)")
    schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {PREFIX_INDEX}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("customers", "0011_customer_field_labels"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, atomic=False, elidable=False),
    ]
