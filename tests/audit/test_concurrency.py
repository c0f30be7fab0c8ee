"""Concurrent writers for one business queue on its chain head instead of forking the chain."""

import threading

import pytest
from django.db import connection, transaction

from audit.models import AuditLog
from audit.services import audit_record
from audit.verification import verify_chain
from pos_project.actors import Actor
from tests.conftest import requires_postgres
from tests.factories.kernel import BusinessFactory

WRITERS = 20


@requires_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_writers_leave_one_unbroken_chain():
    # given a business whose chain does not exist yet, so the writers also race to start it
    business = BusinessFactory()
    start = threading.Barrier(WRITERS)
    errors = []

    def write(n):
        try:
            start.wait()
            with transaction.atomic():
                audit_record(
                    business=business,
                    actor=Actor.system(f"Writer {n}"),
                    event_type="business.updated",
                    description=f"Writer {n}",
                    event_data={"writer": n},
                )
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    # when twenty threads, each with its own connection, write at the same moment
    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # then every write landed, in one gap-free chain that verifies
    assert not errors, errors
    entries = list(AuditLog.objects.filter(business=business).order_by("sequence"))
    assert [entry.sequence for entry in entries] == list(range(1, WRITERS + 1))
    assert sorted(entry.event_data["writer"] for entry in entries) == list(range(WRITERS))
    report = verify_chain(business)
    assert report.intact, report.problems
    assert report.checked == WRITERS
