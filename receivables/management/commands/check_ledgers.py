from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from customers.models import Customer
from medicine.lot_checks import stock_lots_check
from pos_project.commands import business_from_option
from pos_project.database import read_snapshot
from pos_project.models import Business
from receivables.ledger_checks import REBUILD_HINT, ledger_check, receivables_summary_check
from receivables.return_checks import returns_check
from sales.till_checks import till_sessions_check


class Command(BaseCommand):
    help = (
        "Check every customer's balance, statement, payment allocations and purchase "
        "statistics, each business's receivables summary and due slots, every return against "
        "its sale, refunds and ledger entries, and every closed till session's Z report against "
        "its sources. Exits non-zero naming each difference."
    )

    def add_arguments(self, parser):
        parser.add_argument("--business", help="Only this business (its id, a UUID).")

    def handle(self, *args, **options):
        customers = Customer.objects.all()
        businesses = Business.objects.all()
        if options["business"]:
            business = business_from_option(options["business"])
            customers = customers.filter(business=business)
            businesses = businesses.filter(pk=business.pk)
        # One snapshot for every query: a payment committed while the check runs is either
        # wholly in it or wholly out, never half counted as a difference.
        with read_snapshot():
            result = ledger_check(customers=customers)
            differences = result.differences + returns_check(businesses=businesses)
            summary_differences = receivables_summary_check(businesses=businesses)
            tills = till_sessions_check(businesses=businesses)
            lots = stock_lots_check(businesses=businesses)
            count = businesses.count()
        # One sentence whatever the count: scripts and the operations' proofs read it.
        self.stdout.write(_("Checked %(count)d customers.") % {"count": result.checked})
        self.stdout.write(
            ngettext(
                "Checked the receivables summaries of %(count)d business.",
                "Checked the receivables summaries of %(count)d businesses.",
                count,
            )
            % {"count": count}
        )
        self.stdout.write(
            _("Checked the Z reports of %(count)d closed till sessions.") % {"count": tills.checked}
        )
        self.stdout.write(
            _(
                "Checked %(count)s stock rows against their lots (a lot below zero is refused by "
                "the database)."
            )
            % {"count": lots.checked}
        )
        if differences or summary_differences or tills.differences or lots.differences:
            # The message carries every difference: manage.py prints it and exits 1.
            hint = [str(REBUILD_HINT)] if summary_differences else []
            found = differences + summary_differences + tills.differences + lots.differences
            heading = ngettext(
                "%(count)d difference found in the customers' ledgers, the tills' Z reports "
                "and the stock's lots:",
                "%(count)d differences found in the customers' ledgers, the tills' Z reports "
                "and the stock's lots:",
                len(found),
            ) % {"count": len(found)}
            raise CommandError("\n".join([heading, *found, *hint]))
        self.stdout.write(
            self.style.SUCCESS(
                _("All ledgers, allocations, statistics and receivables summaries agree.")
            )
        )
