from django.apps import AppConfig


class PosProjectConfig(AppConfig):
    name = "pos_project"
    verbose_name = "Businesses and staff"

    def ready(self):
        from pos_project import schema  # noqa: F401  (registers OpenAPI extensions)
