"""The append-only, tamper-evident audit trail."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.events import AuditEvent


class AuditLogImmutable(Exception):
    """Raised on any attempt to change or remove an audit entry."""


class AuditLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditLogImmutable("Audit entries cannot be changed.")

    def delete(self):
        raise AuditLogImmutable("Audit entries cannot be deleted.")


class AuditLog(models.Model):
    """One recorded change, chained to its business's previous entry by hash.

    `sale`, `customer` and `user` keep their ids even after the row they point to is
    deleted: the trail outlives what it describes, so they carry no database constraint.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # No single-column index on the business, user, sale or customer: an index of Meta
    # leads with each (the unique chain position and `audit_business_time` with the business).
    business = models.ForeignKey(
        "pos_project.Business", on_delete=models.PROTECT, related_name="audit_logs", db_index=False
    )
    sequence = models.PositiveBigIntegerField(help_text=_("Position in the business's chain."))
    event_type = models.CharField(max_length=64, choices=AuditEvent.choices)
    timestamp = models.DateTimeField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    user_name = models.CharField(max_length=150)
    sale = models.ForeignKey(
        "sales.Sale",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="audit_logs",
        db_index=False,
    )
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="audit_logs",
        db_index=False,
    )
    event_data = models.JSONField(default=dict)
    description = models.TextField()
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    previous_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64)

    objects = AuditLogQuerySet.as_manager()

    # The application's database role may read and append, never change or remove
    # (pos_project/database_roles.py).
    database_privileges = ("SELECT", "INSERT")

    class Meta:
        ordering = ["-timestamp", "-sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["business", "sequence"], name="audit_log_one_entry_per_chain_position"
            )
        ]
        indexes = [
            # The list's order (Meta.ordering), so its first page is read off the index.
            models.Index(
                fields=["business", "-timestamp", "-sequence"], name="audit_business_time"
            ),
            models.Index(fields=["business", "event_type", "-timestamp"], name="audit_event"),
            models.Index(fields=["sale", "-timestamp"], name="audit_sale"),
            models.Index(fields=["customer", "-timestamp"], name="audit_customer"),
            models.Index(fields=["user", "-timestamp"], name="audit_user"),
        ]

    def __str__(self):
        return f"{self.event_type} by {self.user_name} at {self.timestamp:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditLogImmutable("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogImmutable("Audit entries cannot be deleted.")


class AuditChainHead(models.Model):
    """The last link of a business's chain, locked by every writer.

    Locking this one row is what keeps concurrent writers from forking the chain. Entries
    from `keyed_from_sequence` on are hashed with the audit key, those before it (written
    before the chain was keyed) without; `seal` is the key's HMAC over the last link and
    that boundary (audit/hashing.py).
    """

    business = models.OneToOneField(
        "pos_project.Business", on_delete=models.PROTECT, primary_key=True, related_name="+"
    )
    last_sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)
    keyed_from_sequence = models.PositiveBigIntegerField(
        default=1, help_text=_("The first entry hashed with the audit key.")
    )
    seal = models.CharField(max_length=64)

    # Moved on by every entry; never removed.
    database_privileges = ("SELECT", "INSERT", "UPDATE")

    class Meta:
        ordering = ["business"]

    def __str__(self):
        return f"{self.business}: #{self.last_sequence}"
