from pathlib import Path

from django.core.management.base import BaseCommand

from operations.backups import prove_restorable


class Command(BaseCommand):
    help = (
        "Prove a backup: check its checksum, restore it into a scratch database, migrate it, "
        "run check_ledgers and verify_audit_log there, then discard the scratch database. "
        "Exits non-zero if any step fails."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The backup file (its .sha256 beside it).")

    def handle(self, *args, **options):
        path = options["file"]
        prove_restorable(path, stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                f"{path.name} restores: its ledgers agree and every audit chain is intact."
            )
        )
