from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from audit.anchors import AnchorFileError, read_anchors
from audit.verification import verify_audit_log
from pos_project.commands import business_from_option


class Command(BaseCommand):
    help = (
        "Walk every business's audit chain (or one with --business) in one snapshot, recompute "
        "each entry's hash and report every entry altered, removed or inserted, and which hash "
        "rule each range of the chain uses. With --anchors, also fail if the chain no longer "
        "passes through every head recorded by audit_anchor. Exits non-zero on any problem."
    )

    def add_arguments(self, parser):
        parser.add_argument("--business", metavar="ID", help="Only this business (its UUID).")
        parser.add_argument(
            "--anchors",
            metavar="FILE",
            type=Path,
            help="A file written by audit_anchor --out: every head in it must still be in "
            "its chain.",
        )

    def handle(self, *args, **options):
        businesses = None
        if options["business"] is not None:
            businesses = [business_from_option(options["business"])]
        anchors = []
        if options["anchors"] is not None:
            try:
                anchors = read_anchors(options["anchors"])
            except AnchorFileError as error:
                raise CommandError(str(error)) from None
        result = verify_audit_log(businesses, anchors=anchors)

        for report in result.reports:
            label = f"{report.business_name} ({report.business_id})"
            checked = _count(report.checked, "entry", "entries")
            if report.anchors_checked:
                checked += f" and {_count(report.anchors_checked, 'anchor', 'anchors')}"
            if report.intact:
                self.stdout.write(f"{label}: {checked} checked, chain intact")
            else:
                problems = _count(len(report.problems), "problem", "problems")
                self.stdout.write(f"{label}: {checked} checked, {problems}:")
                for problem in report.problems:
                    self.stdout.write(f"  - {problem.message}")
            for rule_range in report.ranges:
                self.stdout.write(f"  {rule_range.describe()}")
        for anchor in result.orphan_anchors:
            self.stdout.write(
                f"Anchor lost: the anchor file names business {anchor.business_name} "
                f"({anchor.business_id}), which the database no longer has."
            )

        businesses_checked = _count(len(result.reports), "business", "businesses")
        totals = f"{_count(result.checked, 'entry', 'entries')} checked in {businesses_checked}"
        if not result.intact:
            kinds = ", ".join(
                f"{count} {kind.value.replace('_', ' ')}"
                for kind, count in sorted(result.problems_by_kind.items())
            )
            problems = sum(result.problems_by_kind.values()) + len(result.orphan_anchors)
            if result.orphan_anchors:
                kinds = ", ".join(
                    filter(None, [kinds, f"{len(result.orphan_anchors)} orphan anchor"])
                )
            self.stdout.write(
                f"Summary: {totals}; {_count(problems, 'problem', 'problems')} ({kinds})."
            )
            raise CommandError(
                f"Audit log tampered with in {len(result.broken)} of {businesses_checked}; "
                "see above."
            )
        self.stdout.write(self.style.SUCCESS(f"Summary: {totals}; every chain is intact."))


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"
