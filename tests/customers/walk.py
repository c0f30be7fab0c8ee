"""This app's routes for the auth and isolation walk; see tests/pos_project/walk.py."""

from tests.factories.customers import CustomerFactory

ROUTES = {
    "customer-detail": lambda business: {"pk": CustomerFactory(business=business).pk},
    "customer-record-payment": lambda business: {"pk": CustomerFactory(business=business).pk},
    "customer-adjust-credit": lambda business: {"pk": CustomerFactory(business=business).pk},
    "customer-sales": lambda business: {"pk": CustomerFactory(business=business).pk},
    "customer-payments": lambda business: {"pk": CustomerFactory(business=business).pk},
    "customer-ledger": lambda business: {"pk": CustomerFactory(business=business).pk},
    "customer-statement": lambda business: {"pk": CustomerFactory(business=business).pk},
}

EXEMPT = {}
