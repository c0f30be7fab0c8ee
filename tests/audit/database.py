"""Test-database plumbing for the audit trail's PostgreSQL trigger.

The trigger installed by audit/migrations/0003 refuses TRUNCATE of audit_auditlog, and
Django empties the database after every `transaction=True` test with one TRUNCATE of all
tables, which the trigger would refuse. The flush SQL is therefore prefixed with
`SET LOCAL session_replication_role = replica`, which skips ordinary triggers for the rest
of that flush's transaction only. It needs a superuser, which the test database user is.
Nothing else changes: every test still runs with the trigger armed.
"""

import pytest
from django.db.backends.postgresql.operations import DatabaseOperations

BYPASS_TRIGGERS = "SET LOCAL session_replication_role = replica"


@pytest.fixture(scope="session", autouse=True)
def _flush_past_audit_trigger():
    original = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        statements = original(
            self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
        return [BYPASS_TRIGGERS, *statements] if statements else statements

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DatabaseOperations, "sql_flush", sql_flush)
        yield
