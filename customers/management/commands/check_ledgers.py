import uuid

from django.core.management.base import BaseCommand, CommandError

from customers.ledger_checks import ledger_check
from customers.models import Customer
from pos_project.models import Business


class Command(BaseCommand):
    help = (
        "Check every customer's balance, statement, payment allocations and purchase "
        "statistics against their sources. Exits non-zero naming each difference."
    )

    def add_arguments(self, parser):
        parser.add_argument("--business", help="Only this business (its id, a UUID).")

    def handle(self, *args, **options):
        customers = Customer.objects.all()
        if options["business"]:
            try:
                business = Business.objects.get(pk=uuid.UUID(options["business"]))
            except (ValueError, Business.DoesNotExist):
                raise CommandError(f"No business with id {options['business']!r}.") from None
            customers = customers.filter(business=business)
        result = ledger_check(customers=customers)
        self.stdout.write(f"Checked {result.checked} customers.")
        if result.differences:
            # The message carries every difference: manage.py prints it and exits 1.
            raise CommandError(
                f"{len(result.differences)} difference(s) found in the customers' ledgers:\n"
                + "\n".join(result.differences)
            )
        self.stdout.write(self.style.SUCCESS("All ledgers, allocations and statistics agree."))
