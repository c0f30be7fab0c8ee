"""Property-based fuzzing of every operation in the app's own OpenAPI schema.

Runs in-process over WSGI, once as a manager and once as a cashier (whose refusals differ):
no input may produce a 5xx, and every documented response must match its schema. Left out of
the default run (`./scripts/test --fuzz` runs it); CI runs it once, on PostgreSQL.
"""

import os
from collections import Counter

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from pos_project.wsgi import application
from tests.conftest import client_for

pytestmark = pytest.mark.fuzz


@pytest.fixture
def api_schema(db):
    # Requests made over WSGI fire Django's request signals, whose close_old_connections
    # would close the test's connection mid-transaction; Django's own test client
    # disconnects it for the same reason.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/schema/", application)
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")

# Cases run per (role, operation), reported at the end of the session (tests/conftest.py).
CASES_RUN: Counter = Counter()


def _token(user) -> str:
    client_for(user)
    return user.auth_token.key


# The case budget per operation: generated cases on top of the examples and boundary cases
# schemathesis derives from the schema. CI keeps 20 (from the fixed seed of the `ci`
# profile); FUZZ_EXAMPLES raises it for a deep run by hand (README, Development).
FUZZ_SETTINGS = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "20")),
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)


@schema.parametrize()
@FUZZ_SETTINGS
def test_no_input_breaks_the_api_as_a_manager(case, manager, storefront):
    _run(case, "manager", _token(manager))


@schema.parametrize()
@FUZZ_SETTINGS
def test_no_input_breaks_the_api_as_a_cashier(case, cashier, storefront):
    _run(case, "cashier", _token(cashier))


def _run(case, role: str, token: str) -> None:
    # Every case runs in a block that is always rolled back: on PostgreSQL one failed
    # statement would otherwise abort the shared test transaction and fail every case after.
    CASES_RUN[role, case.operation.label] += 1
    outcome = None
    try:
        with transaction.atomic():
            try:
                case.call_and_validate(
                    headers={"Authorization": f"Token {token}"},
                    checks=[not_a_server_error, response_schema_conformance],
                )
            except Exception as failure:  # re-raised once the block is undone
                outcome = failure
            raise Undo
    except Undo:
        pass
    if outcome is not None:
        raise outcome


class Undo(Exception):
    """Raised to roll a fuzz case's block back."""
