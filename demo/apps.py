from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo pharmacy and the bulk loader behind `seed_demo`: above every app, since it
    fills them all."""

    name = "demo"
    verbose_name = "Demo data"
