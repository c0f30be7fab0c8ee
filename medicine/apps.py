from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MedicineConfig(AppConfig):
    name = "medicine"
    verbose_name = _("Catalogue and stock")
