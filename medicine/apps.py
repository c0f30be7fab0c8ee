from django.apps import AppConfig


class MedicineConfig(AppConfig):
    name = "medicine"
    verbose_name = "Catalogue and stock"
