import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo import customers as customers_demo
from demo import medicine as medicine_demo
from demo import sales as sales_demo
from demo import tills as tills_demo
from demo.bulk import seed_bulk
from demo.kernel import DEMO_ACCOUNTS, seed_demo_business
from pos_project.languages import LANGUAGE_CODES


class Command(BaseCommand):
    help = (
        "Load the demo pharmacy: business, storefront, staff and their tokens, catalogue, "
        "customers and a sales history. Safe to run twice. With --customers/--sales, also "
        "bulk-load a large data set for benchmarks."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--customers", type=int, default=0, help="Bulk-load this many more customers."
        )
        parser.add_argument(
            "--sales", type=int, default=0, help="Bulk-load this many more completed sales."
        )
        parser.add_argument(
            "--language",
            choices=LANGUAGE_CODES,
            help=(
                "The demo pharmacy's language: its back office, API answers and printed pages "
                "(English unless given; given again, it changes)."
            ),
        )

    def handle(self, *args, customers: int, sales: int, language: str | None, **options):
        if customers < 0 or sales < 0:
            raise CommandError("--customers and --sales must be zero or more.")
        demo = seed_demo_business(language)
        verb = "Created" if demo.created else "Found"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} demo business {demo.business.name} ({demo.business.id}), "
                f"language {demo.business.language}"
            )
        )
        # Tills last: the history is rung up before cash control is turned on.
        for seed in (medicine_demo.seed, customers_demo.seed, sales_demo.seed, tills_demo.seed):
            self.stdout.write(f"  {seed(demo)}")
        if customers or sales:
            started = time.monotonic()
            seller = get_user_model().objects.get(username="cashier")
            counts = seed_bulk(
                business=demo.business,
                storefront=demo.storefront,
                seller=seller,
                customers=customers,
                sales=sales,
            )
            # A benchmark's shelves hold expired lots too: a sale must pass them by.
            with transaction.atomic():
                counts["expired lots"] = medicine_demo.expired_lots(
                    demo.business, demo.storefront, every=4
                )
            elapsed = time.monotonic() - started
            summary = ", ".join(f"{count:,} {name}" for name, count in counts.items())
            self.stdout.write(self.style.SUCCESS(f"Bulk-loaded {summary} in {elapsed:.0f} s"))
        self.stdout.write("Accounts (username / password / role / API token):")
        for username, password, role, _ in DEMO_ACCOUNTS:
            self.stdout.write(
                f"  {username:<8} {password:<20} {role.label:<8} {demo.tokens[username]}"
            )
