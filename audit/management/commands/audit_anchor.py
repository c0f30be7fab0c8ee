from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from audit.anchors import current_anchors
from pos_project.database import read_snapshot


class Command(BaseCommand):
    help = (
        "Print each business's audit chain head (sequence, hash, time) as one JSON line, and "
        "with --out append the lines to FILE. Run it daily and keep the file off the database "
        "host; verify_audit_log --anchors FILE then proves the chain still passes through them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--out", metavar="FILE", type=Path, help="Append the anchors to this file."
        )

    def handle(self, *args, **options):
        with read_snapshot():
            lines = [anchor.to_line() for anchor in current_anchors()]
        if options["out"] is not None:
            try:
                with options["out"].open("a", encoding="utf-8") as out:
                    out.writelines(f"{line}\n" for line in lines)
            except OSError as error:
                raise CommandError(
                    f"Cannot append to {options['out']}: {error.strerror}."
                ) from None
        for line in lines:
            self.stdout.write(line)
