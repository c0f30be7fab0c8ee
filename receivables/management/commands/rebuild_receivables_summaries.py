from django.core.management.base import BaseCommand

from pos_project.commands import business_from_option
from pos_project.models import Business
from receivables.summary import receivables_summary_rebuild


class Command(BaseCommand):
    help = (
        "Recompute each business's receivables summary and due slots (what the unfiltered "
        "Debtors report reads) from its customers and sales, for a difference check_ledgers "
        "reported. Each business in its own transaction; safe to run at any time."
    )

    def add_arguments(self, parser):
        parser.add_argument("--business", metavar="ID", help="Only this business (its UUID).")

    def handle(self, *args, **options):
        if options["business"]:
            businesses = [business_from_option(options["business"])]
        else:
            businesses = Business.objects.order_by("name", "id")
        for business in businesses:
            receivables_summary_rebuild(business=business)
            self.stdout.write(f"{business.name} ({business.pk}): summary and due slots rebuilt.")
        self.stdout.write(self.style.SUCCESS("Done."))
