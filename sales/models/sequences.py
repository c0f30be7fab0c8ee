"""The per-business counters that number receipts, returns and Z reports without gaps."""

from django.db import models


class BusinessSequence(models.Model):
    """The last number a business issued of one kind; one row per business.

    Taken by `sales.locks.sequence_take`, which increments and locks the row in the
    transaction that uses the number: a transaction that rolls back gives its number back,
    and two tills never get the same one.
    """

    # Printed before the zero-padded number: "S-000042".
    prefix = ""

    business = models.OneToOneField(
        "pos_project.Business", on_delete=models.PROTECT, primary_key=True, related_name="+"
    )
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["business"]

    def __str__(self):
        return f"{self.business}: {self.last_number}"

    @classmethod
    def label(cls, number: int) -> str:
        return f"{cls.prefix}-{number:06d}"
