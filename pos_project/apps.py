from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PosProjectConfig(AppConfig):
    name = "pos_project"
    verbose_name = _("Businesses and staff")

    def ready(self):
        from pos_project import schema  # noqa: F401  (registers OpenAPI extensions)
