"""Walking a business's audit chain to prove nobody edited, removed or slipped in an entry.

Each entry stores the hash of its business's previous entry and a hash over its own
canonical form (audit/hashing.py). Walking the chain in sequence order, an entry whose
content no longer matches its own hash was altered; a sequence number that skips was
removed; an entry whose `previous_hash` does not match the entry before it was inserted,
moved or swapped, or the entry before it was rewritten with a freshly computed hash. The
chain head records the last link, so removing entries from the end shows too.

This proves tampering by anyone who edits rows without re-deriving the whole chain and its
head; someone able to rewrite all of them consistently is beyond what a hash chain without
an external anchor can detect.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from audit.hashing import GENESIS_HASH, entry_hash
from audit.models import AuditChainHead, AuditLog
from pos_project.models import Business


class ProblemKind(StrEnum):
    # The entry's content no longer matches the hash it was written with.
    ALTERED = "altered"
    # A sequence number is missing from the chain.
    REMOVED = "removed"
    # The entry does not follow the entry before it: inserted, moved, swapped, or the entry
    # before it was rewritten together with its hash.
    OUT_OF_PLACE = "out_of_place"
    # The chain head disagrees with the last entry: entries were removed from the end or
    # appended without the audit service.
    HEAD_MISMATCH = "head_mismatch"


@dataclass(frozen=True)
class ChainProblem:
    kind: ProblemKind
    sequence: int
    entry_id: str | None
    message: str


@dataclass
class ChainReport:
    """The outcome for one business: how many entries were checked and the first problem."""

    business_id: str
    business_name: str
    checked: int = 0
    problem: ChainProblem | None = None

    @property
    def intact(self) -> bool:
        return self.problem is None


@dataclass
class VerificationResult:
    reports: list[ChainReport] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return all(report.intact for report in self.reports)

    @property
    def checked(self) -> int:
        return sum(report.checked for report in self.reports)

    @property
    def broken(self) -> list[ChainReport]:
        return [report for report in self.reports if not report.intact]


def verify_chain(business: Business, *, chunk_size: int = 2000) -> ChainReport:
    """Walk one business's chain in sequence order and stop at the first problem."""
    report = ChainReport(business_id=str(business.id), business_name=business.name)
    expected_sequence = 1
    previous = None
    entries = AuditLog.objects.filter(business=business).order_by("sequence")
    for entry in entries.iterator(chunk_size=chunk_size):
        report.problem = _check_entry(entry, previous, expected_sequence)
        if report.problem:
            return report
        report.checked += 1
        previous = entry
        expected_sequence = entry.sequence + 1
    report.problem = _check_head(business, previous)
    return report


def verify_audit_log(businesses=None) -> VerificationResult:
    """Verify the chain of each business given (all of them by default)."""
    if businesses is None:
        businesses = Business.objects.order_by("name", "id")
    return VerificationResult(reports=[verify_chain(business) for business in businesses])


def _describe(entry) -> str:
    return f"entry {entry.id} (sequence {entry.sequence}, {entry.event_type})"


def _check_entry(entry, previous, expected_sequence: int) -> ChainProblem | None:
    if entry.sequence != expected_sequence:
        missing = (
            f"sequence {expected_sequence}"
            if entry.sequence == expected_sequence + 1
            else f"sequences {expected_sequence} to {entry.sequence - 1}"
        )
        after = f"after {_describe(previous)}" if previous else "at the start of the chain"
        return ChainProblem(
            ProblemKind.REMOVED,
            expected_sequence,
            str(entry.id),
            f"Entry removed: {missing} missing {after}, before {_describe(entry)}.",
        )
    expected_link = previous.entry_hash if previous else GENESIS_HASH
    if entry.previous_hash != expected_link:
        before = _describe(previous) if previous else "the start of the chain"
        return ChainProblem(
            ProblemKind.OUT_OF_PLACE,
            entry.sequence,
            str(entry.id),
            f"Chain broken at {_describe(entry)}: it does not follow {before}. An entry was "
            "inserted, moved or swapped here, or the one before it was rewritten.",
        )
    if entry_hash(entry) != entry.entry_hash:
        return ChainProblem(
            ProblemKind.ALTERED,
            entry.sequence,
            str(entry.id),
            f"Entry altered: {_describe(entry)} no longer matches the hash it was written with.",
        )
    return None


def _check_head(business, last) -> ChainProblem | None:
    head = AuditChainHead.objects.filter(business=business).first()
    head_sequence = head.last_sequence if head else 0
    head_hash = head.last_hash if head else GENESIS_HASH
    last_sequence = last.sequence if last else 0
    last_hash = last.entry_hash if last else GENESIS_HASH
    if (head_sequence, head_hash) == (last_sequence, last_hash):
        return None
    if head_sequence > last_sequence:
        missing = (
            f"sequence {head_sequence}"
            if head_sequence == last_sequence + 1
            else f"sequences {last_sequence + 1} to {head_sequence}"
        )
        return ChainProblem(
            ProblemKind.REMOVED,
            last_sequence + 1,
            None,
            f"Entry removed: {missing} missing from the end of the chain "
            f"(the chain head records {head_sequence} entries).",
        )
    where = _describe(last) if last else "an empty chain"
    return ChainProblem(
        ProblemKind.HEAD_MISMATCH,
        last_sequence,
        str(last.id) if last else None,
        f"Chain head mismatch at {where}: the chain head records sequence {head_sequence} "
        "with another hash. The last entry was appended or rewritten outside the audit service.",
    )
