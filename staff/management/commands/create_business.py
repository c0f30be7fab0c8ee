from django.core.management.base import BaseCommand, CommandError

from pos_project.actors import Actor
from pos_project.errors import DomainError
from pos_project.languages import LANGUAGE_CODES
from staff.services import business_create


class Command(BaseCommand):
    help = "Onboard a shop: the business, its first storefront and its owner account."

    def add_arguments(self, parser):
        parser.add_argument("name", help="The business's name, e.g. 'Pharmacie Atlas'.")
        parser.add_argument("--owner", required=True, help="Username of the owner account.")
        parser.add_argument("--password", required=True, help="Password of the owner account.")
        parser.add_argument("--currency", default="MAD", help="ISO 4217 code (default MAD).")
        parser.add_argument("--region", default="MA", help="Default phone region (default MA).")
        parser.add_argument(
            "--time-zone",
            default="Africa/Casablanca",
            help="IANA time zone for receipts and reports.",
        )
        parser.add_argument(
            "--language",
            default="en",
            choices=LANGUAGE_CODES,
            help="The language of the back office, the API and printed pages (default en).",
        )
        parser.add_argument("--storefront", default="Main", help="First storefront's name.")
        parser.add_argument(
            "--cash-control",
            action="store_true",
            help="Take and give back cash only through an open till session (off by default).",
        )

    def handle(self, *args, **options):
        if not options["name"].strip():
            raise CommandError("The business name must not be empty.")
        try:
            business = business_create(
                name=options["name"],
                owner_username=options["owner"],
                owner_password=options["password"],
                currency_code=options["currency"],
                default_region=options["region"],
                time_zone=options["time_zone"],
                storefront_name=options["storefront"],
                cash_control=options["cash_control"],
                language=options["language"],
                actor=Actor.system("manage.py create_business"),
            )
        except DomainError as exc:
            raise CommandError(f"{exc.error}: {exc.message}") from exc
        self.stdout.write(self.style.SUCCESS(f"Created business {business.name}"))
        self.stdout.write(str(business.id))
