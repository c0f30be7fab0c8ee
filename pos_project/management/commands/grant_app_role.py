from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from pos_project.database_roles import UnsafeRole, grant_app_privileges, grant_statements


class Command(BaseCommand):
    help = (
        "Grant a PostgreSQL role exactly what the application needs and no more (audit log: "
        "SELECT and INSERT only; sequences: SELECT, for pg_dump), revoking anything else it "
        "held on the tables. Run it as the tables' owner (manage.py uses MIGRATE_DATABASE_URL "
        "for it) after every migrate."
    )

    def add_arguments(self, parser):
        parser.add_argument("role", help="The role the application connects as (DATABASE_URL).")
        parser.add_argument(
            "--sql", action="store_true", help="Only print the statements, for a DBA to run."
        )

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Database roles are PostgreSQL's; SQLite has none to grant.")
        role = options["role"]
        if options["sql"]:
            for statement in grant_statements(role):
                self.stdout.write(f"{statement};")
            return
        try:
            tables = grant_app_privileges(role)
        except UnsafeRole as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"{role} can now use {tables} tables, and no more."))
