"""The canonical form of an audit entry, the two rules that hash it, and the chain head's seal.

- `UNKEYED`: SHA-256 of the canonical form. Every entry written before the chain was keyed
  keeps verifying under it; anyone with write access to the database can recompute it.
- `KEYED`: HMAC-SHA256 of the canonical form with `settings.AUDIT_HMAC_KEY`, a key kept out
  of the database, so rewriting an entry needs the key as well as the rows.

Which entries use which rule is recorded once per chain, in its head
(`AuditChainHead.keyed_from_sequence`), and the head itself carries a seal: an HMAC of the
last link and that boundary. Without the key nobody can move the boundary to pass a
rewritten tail off as old unkeyed entries.
"""

import hashlib
import hmac
import json
from datetime import UTC
from enum import StrEnum

from django.db.models import GenericIPAddressField

GENESIS_HASH = "0" * 64

# The address exactly as the column stores it: the field's own preparation of the value
# (which keeps an IPv4-mapped address as `::ffff:10.0.0.5`). Applying it again to what the
# database returns gives the same string, whatever notation the database prints.
_IP_ADDRESS_FIELD = GenericIPAddressField()


class HashRule(StrEnum):
    UNKEYED = "sha256"
    KEYED = "hmac-sha256"


def stored_ip_address(value: str | None) -> str | None:
    return _IP_ADDRESS_FIELD.get_prep_value(value)


def _canonical(entry, ip_address: str | None) -> bytes:
    fields = {
        "id": str(entry.id),
        "business": str(entry.business_id),
        "sequence": entry.sequence,
        "event_type": entry.event_type,
        "timestamp": entry.timestamp.astimezone(UTC).isoformat(),
        "user": str(entry.user_id) if entry.user_id is not None else None,
        "user_name": entry.user_name,
        "sale": str(entry.sale_id) if entry.sale_id else None,
        "customer": str(entry.customer_id) if entry.customer_id else None,
        "event_data": entry.event_data,
        "description": entry.description,
        "ip_address": ip_address,
        "previous_hash": entry.previous_hash,
    }
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def unkeyed_entry_hash(entry) -> str:
    """The rule entries were written with before the chain was keyed, unchanged."""
    return hashlib.sha256(_canonical(entry, entry.ip_address)).hexdigest()


def keyed_entry_hash(entry, key: str) -> str:
    message = _canonical(entry, stored_ip_address(entry.ip_address))
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


def entry_hash(entry, rule: HashRule, key: str) -> str:
    if rule is HashRule.KEYED:
        return keyed_entry_hash(entry, key)
    return unkeyed_entry_hash(entry)


def head_seal(
    *, business_id, last_sequence: int, last_hash: str, keyed_from_sequence: int, key: str
) -> str:
    """The HMAC over a chain head's last link and the sequence its keyed range starts at."""
    fields = {
        "chain_head": str(business_id),
        "last_sequence": last_sequence,
        "last_hash": last_hash,
        "keyed_from_sequence": keyed_from_sequence,
    }
    message = json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


def seals_match(expected: str, actual: str) -> bool:
    return hmac.compare_digest(expected.encode(), actual.encode())
