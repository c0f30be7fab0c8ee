"""The database cache's table, where every worker keeps the login throttle counts.

Created here rather than by `createcachetable`, so that `manage.py migrate` alone sets up a
working server. Unused (but harmless) when `REDIS_URL` points the cache at Redis.
"""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

TABLE = "pos_cache"


def create_table(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("pos_project", "0001_initial")]

    operations = [migrations.RunPython(create_table, drop_table)]
