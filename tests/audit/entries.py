"""Writing audit entries in tests, and tampering with them as an intruder with SQL access would."""

from django.db import connection, transaction

from audit.models import AuditLog
from audit.services import audit_record
from pos_project.actors import Actor


def record(business, *, actor=None, event_type="test.event", description="Test event", **kwargs):
    """One entry, written the way services write them: inside the change's transaction."""
    with transaction.atomic():
        return audit_record(
            business=business,
            actor=actor or Actor.system("Test suite"),
            event_type=event_type,
            description=description,
            **kwargs,
        )


def db_id(entry):
    """The entry's id as the database stores it (SQLite keeps UUIDs as bare hex)."""
    return AuditLog._meta.pk.get_db_prep_value(entry.id, connection)


def tamper(sql: str, params=()):
    """Run raw SQL on the audit table behind the application's back.

    On PostgreSQL the append-only trigger is bypassed on purpose, for this statement only, so
    that the tests can prove `verify_audit_log` notices what the trigger would have stopped.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")
