"""`manage.py verify_audit_log` passes an intact trail and names every tampered entry."""

import uuid

import pytest
from django.conf import settings
from django.core.management import CommandError

from audit.hashing import keyed_entry_hash
from audit.models import AuditLog
from audit.verification import ProblemKind, verify_chain
from tests.audit.entries import command_output, db_id, forge, record, tamper, verify_failing

pytestmark = pytest.mark.django_db

TABLE = AuditLog._meta.db_table


def run(*args):
    return command_output("verify_audit_log", *args)


@pytest.fixture
def chain(business):
    return [record(business, description=f"Event {n}") for n in range(1, 6)]


def test_an_intact_log_passes_with_the_counts(chain, business, other_business):
    record(other_business)
    output = run()
    assert f"Pharmacie Atlas ({business.id}): 5 entries checked, chain intact" in output
    assert f"Pharmacie Rival ({other_business.id}): 1 entry checked, chain intact" in output
    assert "Summary: 6 entries checked in 2 businesses; every chain is intact." in output


def test_one_business_can_be_checked_alone(chain, business, other_business):
    record(other_business)
    output = run("--business", str(business.id))
    assert "Summary: 5 entries checked in 1 business" in output
    assert "Pharmacie Rival" not in output


@pytest.mark.parametrize(
    ("value", "message"),
    [("not-a-uuid", "No business with id"), (str(uuid.UUID(int=7)), "No business with id")],
)
def test_an_unknown_or_malformed_business_is_a_clear_error(db, value, message):
    with pytest.raises(CommandError, match=message):
        run("--business", value)


def test_an_altered_entry_is_named(chain, business):
    # given someone edits the third entry's description in the database
    tamper(f"UPDATE {TABLE} SET description = %s WHERE id = %s", ["Nothing", db_id(chain[2])])
    # then the command fails, naming that entry
    output, error = verify_failing()
    assert f"Entry altered: entry {chain[2].id} (sequence 3" in output
    assert "5 entries checked, 1 problem:" in output
    assert "Summary: 5 entries checked in 1 business; 1 problem (1 altered)." in output
    assert "tampered with in 1 of 1 business" in error


def test_altered_event_data_is_named(chain, business):
    tamper(f"UPDATE {TABLE} SET event_data = %s WHERE id = %s", ['{"amount": 1}', db_id(chain[0])])
    report = verify_chain(business)
    assert [(p.kind, p.entry_id) for p in report.problems] == [
        (ProblemKind.ALTERED, str(chain[0].id))
    ]


def test_an_entry_deleted_in_the_middle_is_named(chain, business):
    tamper(f"DELETE FROM {TABLE} WHERE id = %s", [db_id(chain[2])])
    output, _ = verify_failing()
    assert (
        f"Entry removed: sequence 3 missing after entry {chain[1].id} "
        f"(sequence 2, business.updated), before entry {chain[3].id} (sequence 4" in output
    )


def test_entries_deleted_from_the_end_are_noticed(chain, business):
    tamper(f"DELETE FROM {TABLE} WHERE id IN (%s, %s)", [db_id(chain[3]), db_id(chain[4])])
    output, _ = verify_failing()
    assert "sequences 4 to 5 missing from the end of the chain" in output


def test_two_swapped_entries_are_named(chain, business):
    # given the second and third entries trade places in the chain
    second, third = chain[1], chain[2]
    swap = f"UPDATE {TABLE} SET sequence = %s WHERE id = %s"
    tamper(swap, [1000, db_id(second)])
    tamper(swap, [2, db_id(third)])
    tamper(swap, [3, db_id(second)])
    # then the entry now out of place is named, and so is each entry after it that no longer
    # follows its predecessor
    output, _ = verify_failing()
    assert f"Chain broken at entry {third.id} (sequence 2" in output
    assert "inserted, moved or swapped" in output
    report = verify_chain(business)
    out_of_place = [p.sequence for p in report.problems if p.kind == ProblemKind.OUT_OF_PLACE]
    assert out_of_place == [2, 3, 4]
    assert {p.kind for p in report.problems} == {ProblemKind.OUT_OF_PLACE, ProblemKind.ALTERED}


def test_a_rewritten_entry_with_a_fresh_hash_breaks_the_next_link(chain, business):
    # given an intruder who holds the audit key and recomputes the altered entry's own hash
    forge(
        [chain[1]],
        previous_hash=chain[1].previous_hash,
        hash_of=lambda entry: keyed_entry_hash(entry, settings.AUDIT_HMAC_KEY),
    )
    # then the entry after it no longer follows it, and the walk goes on to the end
    report = verify_chain(business)
    assert [(p.kind, p.entry_id) for p in report.problems] == [
        (ProblemKind.OUT_OF_PLACE, str(chain[2].id))
    ]
    assert report.checked == 5


def test_a_business_without_entries_is_intact(business):
    report = verify_chain(business)
    assert report.intact and report.checked == 0 and report.ranges == []


def test_every_broken_entry_is_reported_with_a_summary(chain, business, other_business):
    # given two altered entries, one removed, and another business left alone
    record(other_business)
    for entry in (chain[0], chain[3]):
        tamper(f"UPDATE {TABLE} SET description = %s WHERE id = %s", ["Nothing", db_id(entry)])
    tamper(f"DELETE FROM {TABLE} WHERE id = %s", [db_id(chain[1])])
    # then each is named, not only the first, and the summary counts them by kind
    output, error = verify_failing()
    assert f"Entry altered: entry {chain[0].id} (sequence 1" in output
    assert f"Entry removed: sequence 2 missing after entry {chain[0].id}" in output
    assert f"Entry altered: entry {chain[3].id} (sequence 4" in output
    assert "4 entries checked, 3 problems:" in output
    assert "Pharmacie Rival" in output and "1 entry checked, chain intact" in output
    assert output.rstrip().endswith(
        "Summary: 5 entries checked in 2 businesses; 3 problems (2 altered, 1 removed)."
    )
    assert "tampered with in 1 of 2 businesses" in error
