from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from operations.backups import check_checksum, record_backup, take_backup
from operations.engines import engine_for
from pos_project.database_roles import UnsafeRole, grant_app_privileges, granted_roles
from pos_project.server_lock import ServerRunning

STOP_THE_SERVER = (
    "Stop the server first (`systemctl stop pos`, or Ctrl+C in the terminal running "
    "./scripts/serve or gunicorn), then run restore again. Nothing was changed."
)


class Command(BaseCommand):
    help = (
        "Replace the database with a backup, after checking its checksum and writing a "
        "safety backup of what it replaces; then migrate and run check_ledgers and "
        "verify_audit_log on the result. On PostgreSQL, run it as the tables' owner "
        "(MIGRATE_DATABASE_URL); the application roles keep their grants. Refuses while a "
        "server is using the database."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The backup file (its .sha256 beside it).")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")
        parser.add_argument(
            "--safety-dir",
            type=Path,
            default=Path(settings.BACKUP_DIR) / "before-restore",
            help="Where the safety backup of the replaced database goes (default %(default)s).",
        )

    def handle(self, *args, **options):
        path = options["file"]
        check_checksum(path)
        engine = engine_for(connection)
        if not options["yes"] and not self._confirmed(engine.label, path):
            raise CommandError("Restore cancelled. Nothing was changed.")
        # The roles `grant_app_role` was run for: the restored tables are given to them again.
        app_roles = granted_roles() if connection.vendor == "postgresql" else []
        try:
            with engine.refuse_if_in_use():
                safety = take_backup(options["safety_dir"], keep=None)
                self.stdout.write(f"Safety backup of the replaced database: {safety.path}")
                try:
                    engine.replace_current(path)
                except CommandError as failure:
                    raise CommandError(f"{failure}\nNothing was changed.") from None
        except ServerRunning as running:
            raise CommandError(
                f"A server is using the database ({running}). {STOP_THE_SERVER}"
            ) from None
        connection.close()
        record_backup(safety)
        call_command("migrate", interactive=False, verbosity=0)
        for role in app_roles:
            try:
                tables = grant_app_privileges(role)
            except UnsafeRole as error:
                raise CommandError(f"Restored, but {role} was not granted again: {error}") from None
            self.stdout.write(f"{role} can use the restored database's {tables} tables again.")
        call_command("check_ledgers", stdout=self.stdout)
        call_command("verify_audit_log", stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Restored {path.name} into {engine.label}."))

    def _confirmed(self, label: str, path: Path) -> bool:
        try:
            answer = input(
                f"This replaces the whole database {label!r} with {path.name}. "
                "Type 'yes' to continue: "
            )
        except EOFError:
            return False
        return answer.strip().lower() == "yes"
