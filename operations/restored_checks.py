"""Proves a restored copy: `python -m operations.restored_checks` with DATABASE_URL naming it.

Brings its schema up to this version's migrations, then runs `check_ledgers` and
`verify_audit_log` there. Runs in its own process so the copy is the only database it sees.
"""

import os
import sys

import django
from django.core.management import call_command
from django.core.management.base import CommandError


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pos_project.settings")
    django.setup()
    try:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("check_ledgers")
        call_command("verify_audit_log")
    except CommandError as error:
        sys.stderr.write(f"{error}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
