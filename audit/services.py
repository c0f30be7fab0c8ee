"""Recording audit events: the one way every app writes to the trail."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from audit.hashing import GENESIS_HASH, entry_hash
from audit.models import AuditChainHead, AuditLog
from pos_project.actors import Actor


def _json_safe(data: dict) -> dict:
    # Stored exactly as hashed: Decimals, UUIDs and datetimes become strings first.
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def audit_record(
    *,
    business,
    actor: Actor,
    event_type: str,
    description: str,
    event_data: dict | None = None,
    sale=None,
    customer=None,
) -> AuditLog:
    """Append one event to the business's chain, inside the caller's transaction.

    Call it from the service that makes the change, after the change: if the change rolls
    back, so does its entry. The chain head is locked last, after every row the caller
    locked, so the lock order stays customer, sale, stock, audit everywhere.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction of the change it records.")
    try:
        head = AuditChainHead.objects.select_for_update().get(business=business)
    except AuditChainHead.DoesNotExist:
        # The business's first entry: the head is created once, then locked like any other.
        AuditChainHead.objects.get_or_create(
            business=business, defaults={"last_hash": GENESIS_HASH}
        )
        head = AuditChainHead.objects.select_for_update().get(business=business)
    entry = AuditLog(
        business=business,
        sequence=head.last_sequence + 1,
        event_type=event_type,
        timestamp=timezone.now(),
        user=actor.user,
        user_name=actor.name,
        sale=sale,
        customer=customer,
        event_data=_json_safe(event_data or {}),
        description=description,
        ip_address=actor.ip_address,
        previous_hash=head.last_hash,
    )
    entry.entry_hash = entry_hash(entry)
    entry.save(force_insert=True)
    head.last_sequence = entry.sequence
    head.last_hash = entry.entry_hash
    head.save(update_fields=["last_sequence", "last_hash"])
    return entry
