from django.core.management.base import BaseCommand

from pos_project.demo import DEMO_ACCOUNTS, seed_demo_business


class Command(BaseCommand):
    help = "Load the demo pharmacy: business, storefront, staff accounts and their tokens."

    def handle(self, *args, **options):
        demo = seed_demo_business()
        verb = "Created" if demo.created else "Found"
        self.stdout.write(
            self.style.SUCCESS(f"{verb} demo business {demo.business.name} ({demo.business.id})")
        )
        self.stdout.write("Accounts (username / password / role / API token):")
        for username, password, role, _ in DEMO_ACCOUNTS:
            self.stdout.write(
                f"  {username:<8} {password:<20} {role.label:<8} {demo.tokens[username]}"
            )
