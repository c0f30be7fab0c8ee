"""Migrating a database whose chains predate the key: they keep verifying, and what is
written afterwards is keyed."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from audit.hashing import HashRule
from audit.verification import RuleRange, verify_chain
from tests.audit.entries import record, write_unkeyed_entries

BEFORE_THE_KEY = [("audit", "0004_audit_index_in_list_order")]


def migrate_to(targets=None):
    """Migrate to `targets` (every app's latest by default); the apps as of that state."""
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_chains_written_before_the_key_are_sealed_by_the_migration(business):
    # given a chain of three entries written, as before the key, with plain SHA-256
    old_apps = migrate_to(BEFORE_THE_KEY)
    previous = write_unkeyed_entries(business, 3)
    old_apps.get_model("audit", "AuditChainHead").objects.create(
        business_id=business.pk, last_sequence=3, last_hash=previous
    )
    # when the database is migrated and the shop writes on
    migrate_to()
    record(business)
    # then the old entries verify under the old rule and the new one is keyed
    report = verify_chain(business)
    assert report.intact, report.problems
    assert report.ranges == [RuleRange(HashRule.UNKEYED, 1, 3), RuleRange(HashRule.KEYED, 4, 4)]
