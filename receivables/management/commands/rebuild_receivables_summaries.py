from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from customers.counts import customer_counts_rebuild
from pos_project.commands import business_from_option
from pos_project.models import Business
from receivables.summary import receivables_summary_rebuild


class Command(BaseCommand):
    help = (
        "Recompute each business's receivables summary and due slots (what the unfiltered "
        "Debtors report and the customer dashboard read) and its customer counts from its "
        "customers and sales, for a difference check_ledgers "
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
            customer_counts_rebuild(business=business)
            receivables_summary_rebuild(business=business)
            self.stdout.write(
                _("%(name)s (%(id)s): summary, due slots and customer counts rebuilt.")
                % {"name": business.name, "id": business.pk}
            )
        self.stdout.write(self.style.SUCCESS(_("Done.")))
