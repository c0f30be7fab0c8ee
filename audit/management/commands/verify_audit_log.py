import uuid

from django.core.management.base import BaseCommand, CommandError

from audit.verification import verify_audit_log
from pos_project.models import Business


class Command(BaseCommand):
    help = (
        "Walk every business's audit chain (or one with --business), recompute each entry's "
        "hash and report the first entry altered, removed or inserted. Exits non-zero on any."
    )

    def add_arguments(self, parser):
        parser.add_argument("--business", metavar="ID", help="Only this business (its UUID).")

    def handle(self, *args, **options):
        businesses = None
        if options["business"] is not None:
            businesses = [self._business(options["business"])]
        result = verify_audit_log(businesses)

        for report in result.reports:
            label = f"{report.business_name} ({report.business_id})"
            if report.intact:
                self.stdout.write(f"{label}: {_count(report.checked)} checked, chain intact")
            else:
                self.stdout.write(
                    f"{label}: chain broken after {report.checked} good entries: "
                    f"{report.problem.message}"
                )
        if not result.intact:
            raise CommandError(
                f"Audit log tampered with in {len(result.broken)} of {len(result.reports)} "
                f"business{'' if len(result.reports) == 1 else 'es'}; see above."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Total: {_count(result.checked)} checked in {len(result.reports)} "
                f"business{'' if len(result.reports) == 1 else 'es'}; every chain is intact."
            )
        )

    def _business(self, value: str) -> Business:
        try:
            business_id = uuid.UUID(value)
        except ValueError:
            raise CommandError(
                f"{value!r} is not a business id; pass the business's UUID."
            ) from None
        business = Business.objects.filter(pk=business_id).first()
        if business is None:
            raise CommandError(f"No business with id {business_id}.")
        return business


def _count(entries: int) -> str:
    return f"{entries} {'entry' if entries == 1 else 'entries'}"
