"""Walking a business's audit chain to prove nobody edited, removed or slipped in an entry.

Each entry stores the hash of its business's previous entry and a hash over its own
canonical form (audit/hashing.py): an HMAC with the audit key from the head's
`keyed_from_sequence` on, plain SHA-256 before it (entries written before the chain was
keyed). Walking the chain in sequence order, an entry whose content no longer matches its
own hash was altered; a sequence number that skips was removed; an entry whose
`previous_hash` does not match the entry before it was inserted, moved or swapped, or the
entry before it was rewritten with a freshly computed hash. The chain head records the last
link and where the keyed range starts, under a seal only the key can make, so removing
entries from the end, or passing a rewritten tail off as unkeyed, shows too.

The walk goes on past a problem and reports every one. It reads the head first and then the
entries, in one snapshot (`pos_project.database.read_snapshot`), so that entries written
meanwhile by a shop still selling are neither half-seen nor mistaken for tampering.

Anchors (audit/anchors.py), copies of past heads kept off the database host, catch what the
chain alone cannot: a rewrite by someone holding the key, or the end cut off.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from django.conf import settings

from audit.anchors import Anchor
from audit.hashing import GENESIS_HASH, HashRule, entry_hash, head_seal, seals_match
from audit.models import AuditChainHead, AuditLog
from pos_project.database import read_snapshot
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
    # The chain head's seal does not match it: its last link or the start of the keyed
    # range was changed without the key (or the key is not the one the chain was written with).
    HEAD_SEAL = "head_seal"
    # The chain no longer passes through a head recorded in the anchor file.
    ANCHOR = "anchor"


@dataclass(frozen=True)
class ChainProblem:
    kind: ProblemKind
    sequence: int
    entry_id: str | None
    message: str


@dataclass(frozen=True)
class RuleRange:
    """Consecutive sequences hashed under one rule."""

    rule: HashRule
    first: int
    last: int

    def describe(self) -> str:
        span = f"{self.first}" if self.first == self.last else f"{self.first}-{self.last}"
        if self.rule is HashRule.KEYED:
            return f"sequences {span} keyed (HMAC-SHA256)"
        return f"sequences {span} unkeyed (SHA-256, written before the chain was keyed)"


@dataclass
class ChainReport:
    """The outcome for one business: entries checked, every problem, the rule of each range."""

    business_id: str
    business_name: str
    checked: int = 0
    problems: list[ChainProblem] = field(default_factory=list)
    ranges: list[RuleRange] = field(default_factory=list)
    anchors_checked: int = 0

    @property
    def intact(self) -> bool:
        return not self.problems


@dataclass
class VerificationResult:
    reports: list[ChainReport] = field(default_factory=list)
    # Anchors naming a business the database no longer has.
    orphan_anchors: list[Anchor] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.orphan_anchors and all(report.intact for report in self.reports)

    @property
    def checked(self) -> int:
        return sum(report.checked for report in self.reports)

    @property
    def broken(self) -> list[ChainReport]:
        return [report for report in self.reports if not report.intact]

    @property
    def problems_by_kind(self) -> Counter:
        return Counter(problem.kind for report in self.reports for problem in report.problems)


def verify_chain(
    business: Business, *, anchors: Iterable[Anchor] = (), chunk_size: int = 2000
) -> ChainReport:
    """Walk one business's chain in sequence order and report every problem on the way."""
    with read_snapshot():
        return _ChainWalk(business, anchors).run(chunk_size)


def verify_audit_log(businesses=None, *, anchors: Iterable[Anchor] = ()) -> VerificationResult:
    """Verify the chain of each business given (all of them by default), in one snapshot."""
    anchors_by_business = defaultdict(list)
    for anchor in anchors:
        anchors_by_business[anchor.business_id].append(anchor)
    with read_snapshot():
        every_business = businesses is None
        if every_business:
            businesses = list(Business.objects.order_by("name", "id"))
        result = VerificationResult(
            reports=[
                _ChainWalk(business, anchors_by_business.pop(str(business.id), ())).run()
                for business in businesses
            ]
        )
    if every_business:
        result.orphan_anchors = [a for found in anchors_by_business.values() for a in found]
    return result


def _describe(entry) -> str:
    return f"entry {entry.id} (sequence {entry.sequence}, {entry.event_type})"


class _ChainWalk:
    def __init__(self, business: Business, anchors: Iterable[Anchor]):
        self.business = business
        self.report = ChainReport(business_id=str(business.id), business_name=business.name)
        self.anchors = defaultdict(list)
        for anchor in anchors:
            self.anchors[anchor.sequence].append(anchor)

    def run(self, chunk_size: int = 2000) -> ChainReport:
        # The head first: entries committed after it are past its last link, not missing.
        head = AuditChainHead.objects.filter(business=self.business).first()
        keyed_from = head.keyed_from_sequence if head else 1
        if head is not None:
            self._check_seal(head)
        previous = None
        expected_sequence = 1
        entries = AuditLog.objects.filter(business=self.business).order_by("sequence")
        for entry in entries.iterator(chunk_size=chunk_size):
            rule = HashRule.KEYED if entry.sequence >= keyed_from else HashRule.UNKEYED
            self._check_entry(entry, previous, expected_sequence, rule)
            self._check_anchors(entry)
            self._extend_ranges(entry.sequence, rule)
            self.report.checked += 1
            previous = entry
            expected_sequence = entry.sequence + 1
        self._check_head(head, previous)
        self._check_anchors_past_the_end(previous.sequence if previous else 0)
        return self.report

    def _problem(self, kind: ProblemKind, sequence: int, entry, message: str) -> None:
        entry_id = str(entry.id) if entry is not None else None
        self.report.problems.append(ChainProblem(kind, sequence, entry_id, message))

    def _extend_ranges(self, sequence: int, rule: HashRule) -> None:
        ranges = self.report.ranges
        if ranges and ranges[-1].rule is rule:
            ranges[-1] = RuleRange(rule, ranges[-1].first, sequence)
        else:
            ranges.append(RuleRange(rule, sequence, sequence))

    def _check_seal(self, head: AuditChainHead) -> None:
        expected = head_seal(
            business_id=head.business_id,
            last_sequence=head.last_sequence,
            last_hash=head.last_hash,
            keyed_from_sequence=head.keyed_from_sequence,
            key=settings.AUDIT_HMAC_KEY,
        )
        if not seals_match(expected, head.seal):
            self._problem(
                ProblemKind.HEAD_SEAL,
                head.last_sequence,
                None,
                f"Chain head seal broken: the head (sequence {head.last_sequence}, keyed from "
                f"sequence {head.keyed_from_sequence}) was changed without the audit key, or "
                "AUDIT_HMAC_KEY is not the key this chain was written with.",
            )

    def _check_entry(self, entry, previous, expected_sequence: int, rule: HashRule) -> None:
        if entry.sequence != expected_sequence:
            missing = (
                f"sequence {expected_sequence}"
                if entry.sequence == expected_sequence + 1
                else f"sequences {expected_sequence} to {entry.sequence - 1}"
            )
            after = f"after {_describe(previous)}" if previous else "at the start of the chain"
            self._problem(
                ProblemKind.REMOVED,
                expected_sequence,
                entry,
                f"Entry removed: {missing} missing {after}, before {_describe(entry)}.",
            )
        else:
            # After a gap the link cannot match; the removal is what is reported.
            expected_link = previous.entry_hash if previous else GENESIS_HASH
            if entry.previous_hash != expected_link:
                before = _describe(previous) if previous else "the start of the chain"
                self._problem(
                    ProblemKind.OUT_OF_PLACE,
                    entry.sequence,
                    entry,
                    f"Chain broken at {_describe(entry)}: it does not follow {before}. An entry "
                    "was inserted, moved or swapped here, or the one before it was rewritten.",
                )
        if entry_hash(entry, rule, settings.AUDIT_HMAC_KEY) != entry.entry_hash:
            self._problem(
                ProblemKind.ALTERED,
                entry.sequence,
                entry,
                f"Entry altered: {_describe(entry)} no longer matches the hash it was written "
                f"with ({rule.value}).",
            )

    def _check_anchors(self, entry) -> None:
        for anchor in self.anchors.pop(entry.sequence, ()):
            self.report.anchors_checked += 1
            if anchor.hash != entry.entry_hash:
                self._problem(
                    ProblemKind.ANCHOR,
                    entry.sequence,
                    entry,
                    f"Anchor lost: the head anchored at {anchor.anchored_at.isoformat()} "
                    f"(sequence {anchor.sequence}, hash {anchor.hash}) is no longer in the "
                    f"chain; {_describe(entry)} now has hash {entry.entry_hash}.",
                )

    def _check_anchors_past_the_end(self, last_sequence: int) -> None:
        for sequence, anchors in sorted(self.anchors.items()):
            for anchor in anchors:
                self.report.anchors_checked += 1
                if sequence == 0 and anchor.hash == GENESIS_HASH:
                    continue
                self._problem(
                    ProblemKind.ANCHOR,
                    sequence,
                    None,
                    f"Anchor lost: the head anchored at {anchor.anchored_at.isoformat()} "
                    f"(sequence {anchor.sequence}, hash {anchor.hash}) is no longer in the "
                    f"chain, which now ends at sequence {last_sequence}.",
                )

    def _check_head(self, head, last) -> None:
        head_sequence = head.last_sequence if head else 0
        head_hash = head.last_hash if head else GENESIS_HASH
        last_sequence = last.sequence if last else 0
        last_hash = last.entry_hash if last else GENESIS_HASH
        if (head_sequence, head_hash) == (last_sequence, last_hash):
            return
        if head_sequence > last_sequence:
            missing = (
                f"sequence {head_sequence}"
                if head_sequence == last_sequence + 1
                else f"sequences {last_sequence + 1} to {head_sequence}"
            )
            self._problem(
                ProblemKind.REMOVED,
                last_sequence + 1,
                None,
                f"Entry removed: {missing} missing from the end of the chain "
                f"(the chain head records {head_sequence} entries).",
            )
            return
        where = _describe(last) if last else "an empty chain"
        self._problem(
            ProblemKind.HEAD_MISMATCH,
            last_sequence,
            last,
            f"Chain head mismatch at {where}: the chain head records sequence {head_sequence} "
            "with another hash. The last entry was appended or rewritten outside the audit "
            "service.",
        )
