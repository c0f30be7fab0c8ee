"""A small pending list for the trigram indexes, on PostgreSQL.

Every sale updates its customer's row (balance, statistics) outside HOT, so each update
adds the row's trigrams to both trigram indexes. GIN's fast update queues them in a
pending list that every trigram scan reads whole, up to `gin_pending_list_limit` (4 MB by
default: after 10,000 updates a name search took 2.5 times as long as after a
`VACUUM`). Capped at 256 kB, the list is merged into the index every few hundred updates,
so a name search stays within 10 % of its vacuumed cost while an update keeps the
fast path (`fastupdate = off` made each update pay the merge of its own entries). Figures
in docs/performance.md, "Search: a small pending list for the trigram indexes".
"""

from django.db import migrations

INDEXES = ("customer_search_name_trgm", "customer_phone_trgm")
PENDING_LIST_LIMIT_KB = 256


def limit_pending_lists(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(
            f"ALTER INDEX {name} SET (gin_pending_list_limit = {PENDING_LIST_LIMIT_KB})"
        )


def reset_pending_lists(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"ALTER INDEX {name} RESET (gin_pending_list_limit)")


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0012_customer_name_prefix_index"),
    ]

    operations = [
        migrations.RunPython(limit_pending_lists, reset_pending_lists, elidable=False),
    ]
