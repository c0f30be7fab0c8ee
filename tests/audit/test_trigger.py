"""On PostgreSQL the database itself refuses to change or remove audit entries."""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from audit.models import AuditLog
from tests.audit.entries import db_id, record
from tests.conftest import requires_postgres
from tests.factories.kernel import BusinessFactory

pytestmark = [requires_postgres, pytest.mark.postgres]

TABLE = AuditLog._meta.db_table


def _raw(sql, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "sql",
    [
        f"UPDATE {TABLE} SET description = 'Nothing happened' WHERE id = %s",
        f"DELETE FROM {TABLE} WHERE id = %s",
    ],
    ids=["update", "delete"],
)
def test_raw_sql_cannot_change_or_delete_an_entry(business, sql):
    entry = record(business)
    with pytest.raises(DatabaseError, match=r"append-only: (UPDATE|DELETE) refused"):
        _raw(sql, [db_id(entry)])
    entry.refresh_from_db()
    assert entry.description == "Test event"


@pytest.mark.django_db
def test_raw_sql_cannot_truncate_the_table(business):
    record(business)
    # The entry's deferred foreign-key checks are still pending in the test's transaction,
    # and PostgreSQL refuses any TRUNCATE until they have run; run them now.
    _raw("SET CONSTRAINTS ALL IMMEDIATE")
    with pytest.raises(DatabaseError, match="append-only: TRUNCATE refused"):
        _raw(f"TRUNCATE {TABLE} CASCADE")
    assert AuditLog.objects.filter(business=business).count() == 1


@pytest.mark.django_db(transaction=True)
def test_transactional_tests_can_still_empty_the_database():
    # given committed entries, which the flush after this test must clear
    record(BusinessFactory())
    # when the database is flushed as pytest-django does between transactional tests
    call_command("flush", verbosity=0, interactive=False)
    # then the entries are gone, and the trigger still refuses a plain TRUNCATE
    assert not AuditLog.objects.exists()
    with pytest.raises(DatabaseError, match="TRUNCATE refused"):
        _raw(f"TRUNCATE {TABLE} CASCADE")
