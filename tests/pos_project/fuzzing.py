"""What the schema fuzz tests share: the schema served in-process, a role's token, and each
case run in a block that is always rolled back."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections, transaction
from schemathesis.core.failures import FailureGroup

from pos_project.wsgi import application
from tests.conftest import client_for


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


def token_of(user) -> str:
    client_for(user)
    return user.auth_token.key


def rolled_back(call) -> Exception | FailureGroup | None:
    """Runs `call` in a block that is always rolled back, and answers what it raised.

    On PostgreSQL one failed statement would otherwise abort the shared test transaction and
    fail every case after it.
    """
    outcome = None
    try:
        with transaction.atomic():
            try:
                call()
            # A FailureGroup is a BaseExceptionGroup, which `except Exception` lets through.
            except (Exception, FailureGroup) as failure:  # handed back once the block is undone
                outcome = failure
            raise Undo
    except Undo:
        pass
    return outcome


class Undo(Exception):
    """Raised to roll a fuzz case's block back."""
