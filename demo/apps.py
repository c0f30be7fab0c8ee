from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo pharmacy and the bulk loader behind `seed_demo`: above every app, since it
    fills them all."""

    name = "demo"
    verbose_name = _("Demo data")
