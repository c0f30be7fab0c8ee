"""Recording audit events: the one way every app writes to the trail."""

import json
import logging

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from audit.events import AuditEvent
from audit.hashing import GENESIS_HASH, head_seal, keyed_entry_hash, seals_match, stored_ip_address
from audit.models import AuditChainHead, AuditLog
from pos_project.actors import Actor

logger = logging.getLogger(__name__)


def _json_safe(data: dict) -> dict:
    # Stored exactly as hashed: Decimals, UUIDs and datetimes become strings first.
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def audit_record(
    *,
    business,
    actor: Actor,
    event_type: AuditEvent,
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
    # A name outside the vocabulary is a mistake in the caller, refused before it is chained.
    event_type = AuditEvent(event_type)
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction of the change it records.")
    try:
        head = AuditChainHead.objects.select_for_update().get(business=business)
    except AuditChainHead.DoesNotExist:
        # The business's first entry: the head is created once, then locked like any other.
        AuditChainHead.objects.get_or_create(
            business=business,
            defaults={
                "last_hash": GENESIS_HASH,
                "seal": head_seal(
                    business_id=business.pk,
                    last_sequence=0,
                    last_hash=GENESIS_HASH,
                    keyed_from_sequence=1,
                    key=settings.AUDIT_HMAC_KEY,
                ),
            },
        )
        head = AuditChainHead.objects.select_for_update().get(business=business)
    entry = AuditLog(
        business=business,
        sequence=head.last_sequence + 1,
        event_type=event_type.value,
        timestamp=timezone.now(),
        user=actor.user,
        user_name=actor.name,
        sale=sale,
        customer=customer,
        event_data=_json_safe(event_data or {}),
        description=description,
        ip_address=stored_ip_address(actor.ip_address),
        previous_hash=head.last_hash,
    )
    entry.entry_hash = keyed_entry_hash(entry, settings.AUDIT_HMAC_KEY)
    entry.save(force_insert=True)
    _advance(head, entry)
    return entry


def _head_seal(head: AuditChainHead) -> str:
    return head_seal(
        business_id=head.business_id,
        last_sequence=head.last_sequence,
        last_hash=head.last_hash,
        keyed_from_sequence=head.keyed_from_sequence,
        key=settings.AUDIT_HMAC_KEY,
    )


def _advance(head: AuditChainHead, entry: AuditLog) -> None:
    # Re-sealing a head that was changed behind the key's back would make the change
    # verify; such a head is left unsealed instead, so verify_audit_log keeps reporting it.
    intact = seals_match(_head_seal(head), head.seal)
    if not intact:
        logger.error(
            "Audit chain head of business %s does not match its seal; left unsealed. "
            "Run manage.py verify_audit_log.",
            head.business_id,
        )
    head.last_sequence = entry.sequence
    head.last_hash = entry.entry_hash
    head.seal = _head_seal(head) if intact else ""
    head.save(update_fields=["last_sequence", "last_hash", "seal"])
