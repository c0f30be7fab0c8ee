"""This app's routes for the auth and isolation walk; see tests/pos_project/walk.py."""

from tests.factories.medicine import MedicineFactory


def _medicine(business):
    return {"pk": MedicineFactory(business=business).pk}


ROUTES = {
    "medicine-detail": _medicine,
    "medicine-adjust-stock": _medicine,
}

EXEMPT = {}
