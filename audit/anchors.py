"""Anchors: copies of each chain head, kept away from the database.

A chain can only prove itself against what it contains: someone able to rewrite every entry
and the head consistently (with the audit key, or by cutting the end off) leaves a chain
that verifies. An anchor written daily to a file on another host fixes a point the chain
must keep passing through: `verify_audit_log --anchors FILE` fails if it no longer does.

The file holds one JSON object a line: business, sequence, hash, time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.utils import timezone

from audit.hashing import GENESIS_HASH
from audit.models import AuditChainHead
from pos_project.models import Business


class AnchorFileError(ValueError):
    """The anchor file cannot be read as anchors."""


@dataclass(frozen=True)
class Anchor:
    business_id: str
    business_name: str
    sequence: int
    hash: str
    anchored_at: datetime

    def to_line(self) -> str:
        return json.dumps(
            {
                "business": self.business_id,
                "business_name": self.business_name,
                "sequence": self.sequence,
                "hash": self.hash,
                "anchored_at": self.anchored_at.isoformat(),
            },
            ensure_ascii=False,
        )


def current_anchors() -> list[Anchor]:
    """Each business's chain head as of now (a business without entries anchors at 0)."""
    now = timezone.now()
    heads = {head.business_id: head for head in AuditChainHead.objects.all()}
    anchors = []
    for business in Business.objects.order_by("name", "id"):
        head = heads.get(business.id)
        anchors.append(
            Anchor(
                business_id=str(business.id),
                business_name=business.name,
                sequence=head.last_sequence if head else 0,
                hash=head.last_hash if head else GENESIS_HASH,
                anchored_at=now,
            )
        )
    return anchors


def read_anchors(path: Path) -> list[Anchor]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise AnchorFileError(f"Cannot read the anchor file {path}: {error.strerror}.") from None
    return [_parse(line, path, number) for number, line in enumerate(lines, 1) if line.strip()]


def _parse(line: str, path: Path, number: int) -> Anchor:
    try:
        fields = json.loads(line)
        anchor = Anchor(
            business_id=str(fields["business"]),
            business_name=str(fields.get("business_name", "")),
            sequence=fields["sequence"],
            hash=fields["hash"],
            anchored_at=datetime.fromisoformat(fields["anchored_at"]),
        )
    except (ValueError, KeyError, TypeError) as error:
        raise AnchorFileError(
            f"{path}, line {number}: not an anchor written by audit_anchor ({error})."
        ) from None
    if not isinstance(anchor.sequence, int) or anchor.sequence < 0:
        raise AnchorFileError(f"{path}, line {number}: the sequence must be a whole number.")
    if not isinstance(anchor.hash, str) or len(anchor.hash) != len(GENESIS_HASH):
        raise AnchorFileError(f"{path}, line {number}: the hash must be 64 hexadecimal digits.")
    return anchor
