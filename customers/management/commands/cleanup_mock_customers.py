"""`manage.py cleanup_mock_customers`: review, then remove, test customers (DESIGN section 9).

The rules live in `customers.mock_detection` (who is a candidate) and
`customers.mock_cleanup` (what happens to each), the backup in `customers.mock_backup`, and
what is printed in `customers.mock_review_text` (text) and `customers.mock_report` (JSON);
this command reads its options, asks, and prints.
"""

from __future__ import annotations

import json
import sys
import uuid
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils.translation import gettext as _
from tqdm import tqdm

from customers.mock_backup import (
    DEFAULT_BACKUP_FOLDER,
    MockCleanupError,
    backup_folder_create,
    backup_path_check,
    default_backup_path,
)
from customers.mock_cleanup import ACTOR_NAME, CleanupResult, mock_customers_cleanup
from customers.mock_detection import MOCK_WORDS, PLACEHOLDER_PHONES
from customers.mock_report import cleanup_plan_counts, cleanup_summary, review_report
from customers.mock_review import (
    DELETE,
    SKIP,
    ReviewRow,
    customers_to_scan,
    mock_customer_review,
)
from customers.mock_review_text import (
    backup_line,
    dry_run_lines,
    review_lines,
    review_title,
    skipped_lines,
    summary_lines,
)
from pos_project.actors import Actor
from pos_project.models import Business

# Below this many rows a progress bar is only noise.
PROGRESS_THRESHOLD = 200
YES_ANSWERS = {"y", "yes"}


class Command(BaseCommand):
    help = (
        "Find test and mock customers (names with the whole word "
        f"{', '.join(MOCK_WORDS)}; placeholder phones {', '.join(PLACEHOLDER_PHONES)}; "
        "name equal to phone) and list them. With --delete, back them up to JSON and "
        "delete or deactivate them in one audited transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument("--business", metavar="ID", help="Only this business (its id).")
        parser.add_argument(
            "--list-all",
            action="store_true",
            help="List every customer for review, candidates marked with *.",
        )
        parser.add_argument(
            "--delete",
            action="store_true",
            help="Remove the candidates after a confirmation prompt (default: only list).",
        )
        parser.add_argument(
            "--yes",
            "--no-input",
            "--noinput",
            action="store_true",
            dest="yes",
            help="With --delete: do not ask for confirmation (for scripts).",
        )
        parser.add_argument(
            "--include-with-history",
            action="store_true",
            help=(
                "Also process candidates who owe money or have completed sales: their "
                "completed sales paid at the till move to walk-in, on-account sales and the "
                "ledger stay with them, and they are deactivated."
            ),
        )
        parser.add_argument(
            "--backup",
            metavar="PATH",
            help=(
                "With --delete: where to write the JSON backup (a new file; default: "
                f"./{DEFAULT_BACKUP_FOLDER}/mock-customers-<UTC time>.json)."
            ),
        )
        parser.add_argument(
            "--format",
            choices=["text", "json"],
            default="text",
            help="text (an aligned table) or json (for scripts).",
        )

    def handle(self, *args, **options):
        if options["yes"] and not options["delete"]:
            raise CommandError(
                _(
                    "--yes (--no-input) only confirms --delete. Add --delete to remove the "
                    "candidates, or drop --yes to list them."
                )
            )
        if options["backup"] and not options["delete"]:
            raise CommandError(_("--backup only applies with --delete; a listing changes nothing."))
        self.json = options["format"] == "json"
        self.progress_stream = options.get("stderr") or sys.stderr
        business = self._business(options["business"])
        backup_path = None
        if options["delete"] and options["backup"]:
            # Checked before anything else happens, so a bad path costs nothing.
            backup_path = self._checked(Path(options["backup"]))

        customers = customers_to_scan(business=business)
        total = customers.count()
        with self._bar(total, _("Scanning customers")) as bar:
            rows = mock_customer_review(
                customers=customers,
                include_all=options["list_all"],
                include_with_history=options["include_with_history"],
                progress=bar.update,
            )
        candidates = [row for row in rows if row.is_candidate]
        report = review_report(
            rows,
            business=business,
            scanned=total,
            delete=options["delete"],
            include_with_history=options["include_with_history"],
            list_all=options["list_all"],
        )
        if not self.json:
            title = review_title(business=business, list_all=options["list_all"])
            self.stdout.write(self.style.MIGRATE_HEADING(title))
            self._write(
                review_lines(rows, business=business, total=total, list_all=options["list_all"])
            )

        actionable = [row for row in candidates if row.action != SKIP]
        if not options["delete"]:
            report["summary"] = cleanup_plan_counts(candidates)
            if self.json:
                self._print_json(report)
            else:
                self._write(
                    dry_run_lines(
                        candidates,
                        business=business,
                        include_with_history=options["include_with_history"],
                    )
                )
            return
        if not actionable:
            report["summary"] = cleanup_summary(candidates, CleanupResult(outcomes=[]))
            if self.json:
                self._print_json(report)
            else:
                self._write(skipped_lines(candidates))
                self.stdout.write(_("Nothing to delete or deactivate; nothing was changed."))
            return

        if backup_path is None:
            backup_path = default_backup_path()
        if not options["yes"]:
            self._confirm(actionable, backup_path)
        if not options["backup"]:
            try:
                backup_folder_create(backup_path)
            except MockCleanupError as exc:
                raise CommandError(str(exc)) from exc
        backup_path = self._checked(backup_path)
        if not self.json:
            self.stdout.write(_("Writing the backup to %(path)s ...") % {"path": backup_path})

        with self._bar(len(actionable), _("Cleaning up")) as bar:
            try:
                result = mock_customers_cleanup(
                    customer_ids=[row.customer.pk for row in candidates],
                    include_with_history=options["include_with_history"],
                    actor=Actor.system(ACTOR_NAME),
                    backup_path=backup_path,
                    progress=bar.update,
                )
            except MockCleanupError as exc:
                raise CommandError(str(exc)) from exc
            except DatabaseError as exc:
                raise CommandError(
                    _("The cleanup failed and was rolled back; nothing was changed. (%(error)s)")
                    % {"error": exc}
                ) from exc
        report["summary"] = cleanup_summary(candidates, result)
        if self.json:
            self._print_json(report)
        else:
            self.stdout.write(self.style.SUCCESS(backup_line(report["summary"])))
            self._write(summary_lines(report["summary"]))

    # Input

    def _business(self, value: str | None) -> Business | None:
        if value is None:
            return None
        try:
            business_id = uuid.UUID(value.strip())
        except ValueError as exc:
            raise CommandError(
                _(
                    "%(value)s is not a business id: expected a UUID such as "
                    "'3f2c6c1e-8a4b-4c1d-9e2f-0a1b2c3d4e5f' (create_business prints it)."
                )
                % {"value": repr(value)}
            ) from exc
        business = Business.objects.filter(pk=business_id).first()
        if business is None:
            raise CommandError(
                _("No business has the id %(id)s. Nothing was changed.") % {"id": business_id}
            )
        return business

    def _checked(self, path: Path) -> Path:
        try:
            return backup_path_check(path)
        except MockCleanupError as exc:
            raise CommandError(_("%(error)s Nothing was changed.") % {"error": exc}) from exc

    def _confirm(self, actionable: list[ReviewRow], backup_path: Path) -> None:
        deleting = sum(1 for row in actionable if row.action == DELETE)
        question = _(
            "Delete %(deleting)s and deactivate %(deactivating)s of the customers above, after "
            "a backup to %(path)s? Type 'yes' to go on: "
        ) % {
            "deleting": deleting,
            "deactivating": len(actionable) - deleting,
            "path": backup_path,
        }
        try:
            if self.json:
                # stdout carries only the JSON document.
                self.stderr.write(question, ending="")
                answer = input()
            else:
                answer = input(question)
        except EOFError:
            answer = ""
        if answer.strip().lower() not in YES_ANSWERS:
            raise CommandError(_("Cancelled at the prompt; nothing was changed."))

    # Output

    def _bar(self, total: int, description: str) -> tqdm:
        return tqdm(
            total=total,
            desc=description,
            unit="customer",
            file=self.progress_stream,
            disable=total <= PROGRESS_THRESHOLD,
            leave=False,
        )

    def _print_json(self, report: dict) -> None:
        self.stdout.write(json.dumps(report, indent=2, ensure_ascii=False))

    def _write(self, lines: list[str]) -> None:
        for line in lines:
            self.stdout.write(line)
