"""`manage.py cleanup_mock_customers`: review, then remove, test customers (DESIGN section 9).

The rules live in `customers.mock_detection` (who is a candidate) and
`customers.mock_cleanup` (what happens to each); this command shows them, asks, and reports.
"""

from __future__ import annotations

import json
import sys
import uuid
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from tqdm import tqdm

from customers.mock_backup import MockCleanupError, backup_path_check
from customers.mock_cleanup import ACTOR_NAME, CleanupResult, mock_customers_cleanup
from customers.mock_detection import MOCK_WORDS, PLACEHOLDER_PHONES
from customers.mock_report import cleanup_plan_counts, cleanup_summary, review_row_data
from customers.mock_review import (
    DELETE,
    SKIP,
    ReviewRow,
    customers_to_scan,
    mock_customer_review,
)
from customers.mock_review_text import clip, display_width, pad, plan_text
from pos_project.actors import Actor
from pos_project.models import Business
from pos_project.money import format_money

# Below this many rows a progress bar is only noise.
PROGRESS_THRESHOLD = 200
DEFAULT_BACKUP_FOLDER = Path("mock-cleanup-backups")
NAME_WIDTH = 40
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
        report = {
            "mode": "delete" if options["delete"] else "dry-run",
            "business": {"id": str(business.pk), "name": business.name} if business else None,
            "include_with_history": options["include_with_history"],
            "scanned": total,
            "candidates": [review_row_data(row) for row in candidates],
        }
        if options["list_all"]:
            report["customers"] = [review_row_data(row) for row in rows]
        if not self.json:
            self._print_review(rows, business=business, total=total, options=options)

        actionable = [row for row in candidates if row.action != SKIP]
        if not options["delete"]:
            report["summary"] = cleanup_plan_counts(candidates)
            if self.json:
                self._print_json(report)
            else:
                self._print_dry_run_hint(candidates, business=business, options=options)
            return
        if not actionable:
            report["summary"] = cleanup_summary(candidates, CleanupResult(outcomes=[]))
            if self.json:
                self._print_json(report)
            else:
                self._print_skips(candidates)
                self.stdout.write(_("Nothing to delete or deactivate; nothing was changed."))
            return

        if backup_path is None:
            backup_path = self._default_backup_path()
        if not options["yes"]:
            self._confirm(actionable, backup_path)
        if not options["backup"]:
            try:
                backup_path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise CommandError(
                    _(
                        "Cannot create %(folder)s for the backup: %(reason)s. Nothing was "
                        "changed; choose a folder with --backup PATH."
                    )
                    % {"folder": backup_path.parent, "reason": exc.strerror or exc}
                ) from exc
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
            self._print_summary(report["summary"])

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

    def _default_backup_path(self) -> Path:
        stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
        path = DEFAULT_BACKUP_FOLDER / f"mock-customers-{stamp}.json"
        counter = 1
        while path.exists():
            counter += 1
            path = DEFAULT_BACKUP_FOLDER / f"mock-customers-{stamp}-{counter}.json"
        return Path.cwd() / path

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

    def _print_review(self, rows, *, business, total, options) -> None:
        scope = f"{business.name} ({business.pk})" if business else _("all businesses")
        if options["list_all"]:
            title = _("All customers in %(scope)s") % {"scope": scope}
        else:
            title = _("Mock customer candidates in %(scope)s") % {"scope": scope}
        self.stdout.write(self.style.MIGRATE_HEADING(title))
        if not rows:
            self.stdout.write(
                ngettext(
                    "No mock customers found among %(count)d customer.",
                    "No mock customers found among %(count)d customers.",
                    total,
                )
                % {"count": total}
            )
            return
        several_businesses = business is None and len({r.customer.business_id for r in rows}) > 1
        headers = []
        if options["list_all"]:
            headers.append(("", False))
        headers += [(_("ID"), False)]
        if several_businesses:
            headers.append((_("BUSINESS"), False))
        headers += [
            (_("NAME"), False),
            (_("PHONE"), False),
            (_("REASONS"), False),
            (_("SALES"), True),
            (_("BALANCE"), True),
            (_("PLAN"), False),
        ]
        table = []
        for row in rows:
            customer = row.customer
            cells = []
            if options["list_all"]:
                cells.append("*" if row.is_candidate else "")
            cells.append(str(customer.pk))
            if several_businesses:
                cells.append(clip(customer.business.name, 24))
            name = (
                customer.name
                if customer.is_active
                else _("%(name)s (inactive)") % {"name": customer.name}
            )
            cells += [
                clip(name, NAME_WIDTH),
                customer.phone or "-",
                "; ".join(row.reasons) or "-",
                str(row.sales_count),
                format_money(customer.outstanding_balance, customer.business.currency_symbol),
                plan_text(row) or "-",
            ]
            table.append(cells)
        widths = [
            max(display_width(header), *(display_width(cells[i]) for cells in table))
            for i, (header, _) in enumerate(headers)
        ]
        last = len(headers) - 1

        def line(cells):
            padded = [
                cell if i == last else pad(cell, widths[i], right=headers[i][1])
                for i, cell in enumerate(cells)
            ]
            return "  ".join(padded).rstrip()

        self.stdout.write(line([header for header, _ in headers]))
        self.stdout.write(line(["-" * width for width in widths]))
        for cells in table:
            self.stdout.write(line(cells))
        self.stdout.write("")

    def _print_dry_run_hint(self, candidates, *, business, options) -> None:
        if not candidates:
            self.stdout.write(_("Dry run: nothing was changed."))
            return
        plan = cleanup_plan_counts(candidates)
        self.stdout.write(
            ngettext(
                "Found %(count)d candidate: %(delete)s to delete, %(deactivate)s to "
                "deactivate, %(skip)s to skip.",
                "Found %(count)d candidates: %(delete)s to delete, %(deactivate)s to "
                "deactivate, %(skip)s to skip.",
                plan["found"],
            )
            % {
                "count": plan["found"],
                "delete": plan["to_delete"],
                "deactivate": plan["to_deactivate"],
                "skip": len(plan["to_skip"]),
            }
        )
        self.stdout.write(_("Dry run: nothing was changed."))
        if not plan["to_delete"] and not plan["to_deactivate"]:
            if plan["to_skip"] and not options["include_with_history"]:
                self.stdout.write(
                    _("Add --include-with-history to see what would happen to the skipped ones.")
                )
            return
        command = "python manage.py cleanup_mock_customers --delete"
        if business is not None:
            command += f" --business {business.pk}"
        if options["include_with_history"]:
            command += " --include-with-history"
        self.stdout.write(
            _("To remove them (a JSON backup is written first): %(command)s") % {"command": command}
        )
        if plan["to_skip"] and not options["include_with_history"]:
            self.stdout.write(
                _(
                    "Skipped candidates owe money or have completed sales. Add "
                    "--include-with-history to deactivate them too: their paid sales move to "
                    "walk-in, their on-account sales and ledger stay."
                )
            )

    def _print_skips(self, candidates) -> None:
        for row in candidates:
            self.stdout.write(
                "  "
                + _("skipped %(name)s (%(id)s): %(why)s")
                % {"name": row.customer.name, "id": row.customer.pk, "why": row.why}
            )

    def _print_summary(self, summary: dict) -> None:
        self.stdout.write(
            self.style.SUCCESS(
                ngettext(
                    "Backup: %(path)s (%(count)d row). To put every removed or changed row "
                    "back: python manage.py loaddata %(path)s",
                    "Backup: %(path)s (%(count)d rows). To put every removed or changed row "
                    "back: python manage.py loaddata %(path)s",
                    summary["backup_rows"],
                )
                % {"path": summary["backup"], "count": summary["backup_rows"]}
            )
        )
        self.stdout.write(_("Found:       %(count)s") % {"count": summary["found"]})
        self.stdout.write(_("Deleted:     %(count)s") % {"count": summary["deleted"]})
        self.stdout.write(_("Deactivated: %(count)s") % {"count": summary["deactivated"]})
        self.stdout.write(_("Skipped:     %(count)s") % {"count": len(summary["skipped"])})
        for skip in summary["skipped"]:
            self.stdout.write(f"  - {skip['name']} ({skip['id']}): {skip['why']}")
        self.stdout.write(
            _(
                "Draft and cancelled sales removed: %(removed)s; completed sales moved to "
                "walk-in: %(moved)s."
            )
            % {"removed": summary["removed_sales"], "moved": summary["reassigned_sales"]}
        )
        if any("owes" in s["why"] or "completed sale" in s["why"] for s in summary["skipped"]):
            self.stdout.write(
                _(
                    "Add --include-with-history to process the customers skipped for money "
                    "owed or completed sales."
                )
            )
