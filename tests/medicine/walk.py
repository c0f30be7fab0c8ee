"""This app's routes for the auth and isolation walk; see tests/pos_project/walk.py."""

from tests.factories.medicine import LotFactory, MedicineFactory


def _medicine(business):
    return {"pk": MedicineFactory(business=business).pk}


def _lot(business):
    return {"pk": LotFactory(medicine=MedicineFactory(business=business)).pk}


ROUTES = {
    "medicine-detail": _medicine,
    "medicine-adjust-stock": _medicine,
    "lot-detail": _lot,
    "lot-adjust": _lot,
    "lot-recall": _lot,
    "lot-sales": _lot,
    "lot-write-off": _lot,
}

EXEMPT = {}
