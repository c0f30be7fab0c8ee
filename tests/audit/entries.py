"""Writing audit entries in tests, tampering with them as an intruder with SQL access would,
and running the audit commands."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone

from audit.hashing import GENESIS_HASH, unkeyed_entry_hash
from audit.models import AuditLog
from audit.services import audit_record
from pos_project.actors import Actor


def record(
    business, *, actor=None, event_type="business.updated", description="Test event", **kwargs
):
    """One entry, written the way services write them: inside the change's transaction."""
    with transaction.atomic():
        return audit_record(
            business=business,
            actor=actor or Actor.system("Test suite"),
            event_type=event_type,
            description=description,
            **kwargs,
        )


def write_unkeyed_entries(business, count: int) -> str:
    """Entries 1 to `count` as they were written before the chain was keyed (plain SHA-256),
    with no chain head. Returns the last entry's hash."""
    previous = GENESIS_HASH
    for sequence in range(1, count + 1):
        entry = AuditLog(
            business=business,
            sequence=sequence,
            event_type="business.updated",
            timestamp=timezone.now(),
            user_name="Test suite",
            description=f"Before the key {sequence}",
            ip_address="10.0.0.5",
            previous_hash=previous,
        )
        entry.entry_hash = unkeyed_entry_hash(entry)
        entry.save(force_insert=True)
        previous = entry.entry_hash
    return previous


def db_id(entry):
    """The entry's id as the database stores it (SQLite keeps UUIDs as bare hex)."""
    return AuditLog._meta.pk.get_db_prep_value(entry.id, connection)


def db_business_id(business):
    """The business's id as the database stores it, for raw SQL on the chain head."""
    return business.pk.hex if connection.vendor == "sqlite" else business.pk


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


def forge(entries, *, previous_hash: str, hash_of) -> str:
    """Rewrite `entries` (consecutive, in order) as an intruder would: a new description, each
    relinked to the one before and rehashed with `hash_of`. Returns the last new hash."""
    for original in entries:
        forged = AuditLog.objects.get(pk=original.pk)
        forged.description = "Nothing happened"
        forged.previous_hash = previous_hash
        previous_hash = hash_of(forged)
        tamper(
            f"UPDATE {AuditLog._meta.db_table} SET description = %s, previous_hash = %s, "
            "entry_hash = %s WHERE id = %s",
            [forged.description, forged.previous_hash, previous_hash, db_id(forged)],
        )
    return previous_hash


def command_output(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def verify_failing(*args) -> tuple[str, str]:
    """verify_audit_log's output and error, when it fails as it must."""
    out = StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("verify_audit_log", *args, stdout=out)
    return out.getvalue(), str(failure.value)
