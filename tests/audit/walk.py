"""This app's routes for the auth and isolation walk; see tests/pos_project/walk.py."""

from tests.audit.entries import record

ROUTES = {
    "auditlog-detail": lambda business: {"pk": record(business).pk},
}

EXEMPT = {}
