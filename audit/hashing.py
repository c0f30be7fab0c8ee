"""The canonical form of an audit entry and its hash."""

import hashlib
import json
from datetime import UTC

GENESIS_HASH = "0" * 64


def canonical_entry(entry) -> bytes:
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
        "ip_address": entry.ip_address,
        "previous_hash": entry.previous_hash,
    }
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_hash(entry) -> str:
    return hashlib.sha256(canonical_entry(entry)).hexdigest()
