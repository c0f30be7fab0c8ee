"""The chain is keyed: entries written before the key keep verifying under the plain rule, and
nobody without the key can rewrite an entry or pass a rewritten tail off as unkeyed."""

import importlib
from io import StringIO
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from audit.hashing import HashRule, unkeyed_entry_hash
from audit.models import AuditChainHead, AuditLog
from audit.verification import ProblemKind, RuleRange, verify_chain
from tests.audit.entries import (
    command_output,
    db_business_id,
    forge,
    record,
    tamper,
    verify_failing,
    write_unkeyed_entries,
)

pytestmark = pytest.mark.django_db

HEAD_TABLE = AuditChainHead._meta.db_table
keyed_chain_migration = importlib.import_module("audit.migrations.0005_keyed_chain")


def _unkeyed_chain(business, length):
    """Entries as they were written before the chain was keyed, then the keying migration."""
    previous = write_unkeyed_entries(business, length)
    AuditChainHead.objects.create(business=business, last_sequence=length, last_hash=previous)
    keyed_chain_migration.seal_existing_heads(apps, SimpleNamespace(connection=connection))


@pytest.fixture
def mixed_chain(business):
    """Three entries from before the key, then two keyed ones."""
    _unkeyed_chain(business, 3)
    return [
        *AuditLog.objects.filter(business=business).order_by("sequence"),
        record(business, description="After the key 4"),
        record(business, description="After the key 5"),
    ]


def _run_failing(*args):
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("verify_audit_log", *args, stdout=out)
    return out.getvalue()


def test_entries_from_before_the_key_still_verify_and_each_range_names_its_rule(
    mixed_chain, business
):
    head = AuditChainHead.objects.get(business=business)
    assert (head.last_sequence, head.keyed_from_sequence) == (5, 4)
    report = verify_chain(business)
    assert report.intact, report.problems
    assert report.ranges == [
        RuleRange(HashRule.UNKEYED, 1, 3),
        RuleRange(HashRule.KEYED, 4, 5),
    ]
    output = command_output("verify_audit_log")
    assert "5 entries checked, chain intact" in output
    assert "sequences 1-3 unkeyed (SHA-256, written before the chain was keyed)" in output
    assert "sequences 4-5 keyed (HMAC-SHA256)" in output


def test_a_keyed_entry_rewritten_with_a_plain_hash_is_altered(mixed_chain, business):
    # given an intruder without the key who edits entry 5 and recomputes its SHA-256
    forged_hash = forge(
        [mixed_chain[4]], previous_hash=mixed_chain[3].entry_hash, hash_of=unkeyed_entry_hash
    )
    tamper(
        f"UPDATE {HEAD_TABLE} SET last_hash = %s WHERE business_id = %s",
        [forged_hash, db_business_id(business)],
    )
    # then the entry is altered under its keyed rule, and the head's seal no longer matches
    kinds = {problem.kind for problem in verify_chain(business).problems}
    assert kinds == {ProblemKind.ALTERED, ProblemKind.HEAD_SEAL}


def test_moving_the_keyed_boundary_to_downgrade_the_tail_breaks_the_seal(mixed_chain, business):
    # given an intruder who rewrites the keyed tail (4 and 5) under the plain rule and moves
    # the head's boundary past it, so that the whole chain claims to predate the key
    previous = forge(
        mixed_chain[3:], previous_hash=mixed_chain[2].entry_hash, hash_of=unkeyed_entry_hash
    )
    tamper(
        f"UPDATE {HEAD_TABLE} SET last_hash = %s, keyed_from_sequence = 6 WHERE business_id = %s",
        [previous, db_business_id(business)],
    )
    # then every entry verifies under the plain rule, but the head's seal gives it away
    report = verify_chain(business)
    assert [problem.kind for problem in report.problems] == [ProblemKind.HEAD_SEAL]
    assert report.ranges == [RuleRange(HashRule.UNKEYED, 1, 5)]
    assert "Chain head seal broken" in verify_failing()[0]


def test_the_next_entry_does_not_reseal_a_forged_head(mixed_chain, business):
    # given a head whose boundary was moved without the key
    tamper(
        f"UPDATE {HEAD_TABLE} SET keyed_from_sequence = 6 WHERE business_id = %s",
        [db_business_id(business)],
    )
    # when the shop writes its next entry
    record(business)
    # then the head is left unsealed, and the forgery is still reported
    head = AuditChainHead.objects.get(business=business)
    assert head.seal == ""
    assert ProblemKind.HEAD_SEAL in {problem.kind for problem in verify_chain(business).problems}


def test_verifying_with_another_key_fails(mixed_chain, business):
    with override_settings(AUDIT_HMAC_KEY="not-the-key-the-chain-was-written-with-" + "x" * 10):
        report = verify_chain(business)
    kinds = [problem.kind for problem in report.problems]
    assert kinds.count(ProblemKind.ALTERED) == 2
    assert ProblemKind.HEAD_SEAL in kinds


def test_a_new_chain_is_keyed_from_its_first_entry(business):
    record(business)
    head = AuditChainHead.objects.get(business=business)
    assert head.keyed_from_sequence == 1
    assert verify_chain(business).ranges == [RuleRange(HashRule.KEYED, 1, 1)]
    assert settings.AUDIT_HMAC_KEY
