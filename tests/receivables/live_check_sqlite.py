"""`check_ledgers` against a live shop on a SQLite file database, in a process of its own.

Run by test_check_ledgers_live.py: the test suite's SQLite database lives in memory, where
real threads cannot each hold a connection of their own. Usage:
    DATABASE_URL=sqlite:////tmp/live.sqlite3 python -m tests.receivables.live_check_sqlite RUNS
Prints one JSON line with the figures; exits 1 if any run of the check disagreed.
"""

import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pos_project.test_settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from tests.receivables.live_shop import check_while_selling  # noqa: E402


def main(runs: int) -> int:
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        journal_mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
    figures = {"journal_mode": journal_mode, **check_while_selling(runs)}
    sys.stdout.write(json.dumps(figures) + "\n")
    return 1 if figures["failures"] else 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1])))
