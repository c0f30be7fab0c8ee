import uuid

from django.core.management.base import BaseCommand, CommandError

from pos_project.actors import Actor
from pos_project.errors import DomainError
from pos_project.models import Business, Role
from staff.services import staff_add


class Command(BaseCommand):
    help = "Add a staff account (cashier, manager or owner) to a business."

    def add_arguments(self, parser):
        parser.add_argument("--business", required=True, help="The business id (a UUID).")
        parser.add_argument("--username", required=True)
        parser.add_argument("--password", required=True)
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument(
            "--full-name", default="", help="Shown on receipts and in the audit log."
        )

    def handle(self, *args, **options):
        try:
            business = Business.objects.get(pk=uuid.UUID(options["business"]))
        except (ValueError, Business.DoesNotExist):
            raise CommandError(f"No business with id {options['business']!r}.") from None
        try:
            staff = staff_add(
                business=business,
                username=options["username"],
                password=options["password"],
                role=options["role"],
                full_name=options["full_name"],
                actor=Actor.system("manage.py add_staff"),
            )
        except DomainError as exc:
            raise CommandError(f"{exc.error}: {exc.message}") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {staff.user.username} as {staff.get_role_display()} of {business}"
            )
        )
