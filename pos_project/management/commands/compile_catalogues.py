from django.core.management.base import BaseCommand

from pos_project.catalogues import compile_catalogues


class Command(BaseCommand):
    help = (
        "Compile every app's translation catalogues (locale/*/LC_MESSAGES/django.po) to the "
        ".mo files Django reads, in Python: gettext's msgfmt is not needed. Only catalogues "
        "changed since their last compilation are compiled again, unless --force."
    )
    # Compiling reads and writes files only: no database, no system checks needed.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Compile every catalogue, changed or not."
        )

    def handle(self, *args, **options):
        compiled = compile_catalogues(force=options["force"])
        if options["verbosity"] >= 2:
            for target in compiled:
                self.stdout.write(f"Compiled {target}", self.style.SUCCESS)
        if options["verbosity"] >= 1:
            self.stdout.write(f"{len(compiled)} catalogue(s) compiled.")
