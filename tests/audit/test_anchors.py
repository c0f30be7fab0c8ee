"""`audit_anchor` records each chain head off the database; `verify_audit_log --anchors` fails
when the chain no longer passes through one, even after a rewrite made with the audit key."""

import json
import uuid

import pytest
from django.conf import settings
from django.core.management import CommandError

from audit.hashing import head_seal, keyed_entry_hash
from audit.models import AuditChainHead, AuditLog
from tests.audit.entries import (
    command_output,
    db_business_id,
    forge,
    record,
    tamper,
    verify_failing,
)

pytestmark = pytest.mark.django_db

TABLE = AuditLog._meta.db_table
HEAD_TABLE = AuditChainHead._meta.db_table


@pytest.fixture
def chain(business):
    return [record(business, description=f"Event {n}") for n in range(1, 6)]


@pytest.fixture
def anchor_file(tmp_path):
    return tmp_path / "anchors.jsonl"


def _rewrite_with_the_key(business, entries, *, from_index):
    """What an intruder holding AUDIT_HMAC_KEY can do: rewrite entries from `from_index` on,
    re-derive every hash and link, and reseal the head. The chain alone then verifies."""
    previous = forge(
        entries[from_index:],
        previous_hash=entries[from_index - 1].entry_hash,
        hash_of=lambda entry: keyed_entry_hash(entry, settings.AUDIT_HMAC_KEY),
    )
    _set_head(business, entries[-1].sequence, previous)


def _set_head(business, sequence, last_hash):
    seal = head_seal(
        business_id=business.pk,
        last_sequence=sequence,
        last_hash=last_hash,
        keyed_from_sequence=1,
        key=settings.AUDIT_HMAC_KEY,
    )
    tamper(
        f"UPDATE {HEAD_TABLE} SET last_sequence = %s, last_hash = %s, seal = %s "
        "WHERE business_id = %s",
        [sequence, last_hash, seal, db_business_id(business)],
    )


def test_each_business_head_is_printed_and_appended(chain, business, other_business, anchor_file):
    # when anchored twice, the second time after another entry
    first = command_output("audit_anchor", "--out", str(anchor_file))
    record(business)
    command_output("audit_anchor", "--out", str(anchor_file))
    # then each run printed one line per business, and the file holds both runs
    printed = [json.loads(line) for line in first.splitlines()]
    assert [(a["business"], a["sequence"], a["hash"]) for a in printed] == [
        (str(business.id), 5, chain[-1].entry_hash),
        (str(other_business.id), 0, "0" * 64),
    ]
    assert all(a["anchored_at"] for a in printed)
    stored = [json.loads(line) for line in anchor_file.read_text().splitlines()]
    assert [a["sequence"] for a in stored] == [5, 0, 6, 0]


def test_a_chain_that_grew_past_its_anchors_passes(chain, business, anchor_file):
    command_output("audit_anchor", "--out", str(anchor_file))
    record(business)
    command_output("audit_anchor", "--out", str(anchor_file))
    record(business)
    output = command_output("verify_audit_log", "--anchors", str(anchor_file))
    assert "7 entries and 2 anchors checked, chain intact" in output
    assert "every chain is intact" in output


def test_a_rewrite_made_with_the_key_is_caught_by_the_anchor(chain, business, anchor_file):
    # given the head anchored at entry 3, then two more entries
    chain_so_far = chain[:3]
    tamper(f"DELETE FROM {TABLE} WHERE sequence > 3")
    _set_head(business, 3, chain_so_far[-1].entry_hash)
    command_output("audit_anchor", "--out", str(anchor_file))
    entries = [*chain_so_far, record(business), record(business)]
    # when an intruder with the key rewrites entries 2 to 5 consistently
    _rewrite_with_the_key(business, entries, from_index=1)
    # then the chain alone verifies, but not against its anchor
    assert "every chain is intact" in command_output("verify_audit_log")
    output, error = verify_failing("--anchors", str(anchor_file))
    assert "Anchor lost: the head anchored at" in output
    assert f"(sequence 3, hash {entries[2].entry_hash}) is no longer in the chain" in output
    assert "1 problem (1 anchor)" in output
    assert "tampered with in 1 of 1 business" in error


def test_an_end_cut_off_with_the_key_is_caught_by_the_anchor(chain, business, anchor_file):
    # given the head anchored at 5, then entries 4 and 5 removed and the head rewound
    command_output("audit_anchor", "--out", str(anchor_file))
    tamper(f"DELETE FROM {TABLE} WHERE sequence > 3")
    _set_head(business, 3, chain[2].entry_hash)
    # then only the anchor shows the chain is shorter than it was
    assert "every chain is intact" in command_output("verify_audit_log")
    output, _ = verify_failing("--anchors", str(anchor_file))
    assert "is no longer in the chain, which now ends at sequence 3" in output


def test_an_anchor_for_a_business_the_database_lost_fails(chain, anchor_file):
    anchor_file.write_text(
        json.dumps(
            {
                "business": str(uuid.uuid4()),
                "business_name": "Pharmacie Disparue",
                "sequence": 12,
                "hash": "a" * 64,
                "anchored_at": "2026-01-01T00:00:00+00:00",
            }
        )
        + "\n"
    )
    output, _ = verify_failing("--anchors", str(anchor_file))
    assert "names business Pharmacie Disparue" in output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json\n", "line 1: not an anchor"),
        ('{"business": "x", "sequence": -1, "hash": "", "anchored_at": "2026-01-01"}\n', "line 1"),
        ('\n{"business": "x"}\n', "line 2: not an anchor"),
    ],
)
def test_a_malformed_anchor_file_is_a_clear_error(db, anchor_file, content, message):
    anchor_file.write_text(content)
    with pytest.raises(CommandError, match=message):
        command_output("verify_audit_log", "--anchors", str(anchor_file))


def test_a_missing_anchor_file_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="Cannot read the anchor file"):
        command_output("verify_audit_log", "--anchors", str(tmp_path / "absent.jsonl"))
