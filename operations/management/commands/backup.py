from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from operations.backups import take_backup


class Command(BaseCommand):
    help = (
        "Write a consistent backup of the database while the shop keeps selling (SQLite's "
        "online backup API, or pg_dump in custom format), with its checksum beside it, and "
        "remove the oldest beyond --keep."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--out",
            type=Path,
            default=Path(settings.BACKUP_DIR),
            help="Folder of the backups (default: BACKUP_DIR, %(default)s).",
        )
        parser.add_argument(
            "--keep",
            type=int,
            default=settings.BACKUP_KEEP,
            help="How many of this database's backups to keep (default %(default)s).",
        )

    def handle(self, *args, **options):
        if options["keep"] < 1:
            raise CommandError("--keep must be at least 1: it counts the backup just taken.")
        result = take_backup(options["out"], keep=options["keep"])
        for path in result.removed:
            self.stdout.write(f"Removed the old backup {path.name}.")
        self.stdout.write(self.style.SUCCESS(result.summary()))
