#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys

# Commands that change the tables or their grants, replace the database (`restore`) or create
# a scratch one (`verify_backup`, which needs CREATEDB) run as the role that owns the tables,
# `MIGRATE_DATABASE_URL` when it is set; the application, and every other command (`backup`
# among them), connect as `DATABASE_URL`, a role that owns nothing and cannot rewrite the
# audit trail. docs/operations.md says which role each command needs and why.
OWNER_COMMANDS = {"migrate", "grant_app_role", "createcachetable", "restore", "verify_backup"}


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pos_project.settings")
    owner_url = os.environ.get("MIGRATE_DATABASE_URL")
    if owner_url and len(sys.argv) > 1 and sys.argv[1] in OWNER_COMMANDS:
        os.environ["DATABASE_URL"] = owner_url
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
