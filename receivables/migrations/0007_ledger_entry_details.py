"""A ledger entry keeps what its description names as data (`details`), so that the statement
reads in the reader's language. Entries written before are filled from their sale and
payment, and from their stored English text for what only it says (a return's number, the
amount a cancellation released, a manager's reason). An entry whose text reads as none of
the sentences the ledger writes keeps no details and shows its stored text.
"""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import migrations, models


BATCH = 1000

CHARGE = re.compile(r"On-account part of sale (?P<receipt>\S+)")
REVERSAL = re.compile(
    r"Reversal of cancelled sale (?P<receipt>\S+)"
    # The amount as written before its currency was (12.00), and after (12.00 DH).
    r"(?: \((?P<released>[-\d.]+)(?: \S+)? already paid on it released as credit\))?"
)
RETURN = re.compile(r"Return (?P<number>\S+) of sale (?P<receipt>\S+)")
PAYMENT = re.compile(r"Payment \((?P<label>[^)]+)\)")
ADJUSTMENT = re.compile(r"Credit (?P<verb>given|taken back): (?P<reason>.*)", re.DOTALL)
# The English labels the stored payment texts were written with.
PAYMENT_LABELS = {"Cash": "CASH", "Card": "CARD", "Mobile money": "MOBILE_MONEY"}
NO_REASON = "no reason given"


def details_from(row: dict) -> dict | None:
    """The details of a ledger entry written before they were kept, from its sale and
    payment (`row`'s receipt and method) and its stored text; None when the text reads as
    none of the ledger's sentences. The shapes are written out here, as the services wrote
    them when this migration was made (receivables/descriptions.py then), so that a later
    change to the services cannot change what this migration writes."""
    text, kind = row["description"], row["entry_type"]
    receipt = row["sale__receipt_number"]
    if kind == "SALE_CHARGE" and (found := CHARGE.fullmatch(text)):
        return {"receipt_number": receipt or found["receipt"]}
    if kind == "SALE_REVERSAL" and (found := REVERSAL.fullmatch(text)):
        try:
            released = Decimal(found["released"] or "0")
        except InvalidOperation:
            return None
        return {
            "receipt_number": receipt or found["receipt"],
            "released": str(released.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)),
        }
    if kind == "SALE_RETURN" and (found := RETURN.fullmatch(text)):
        return {"return_number": found["number"], "receipt_number": receipt or found["receipt"]}
    if kind == "PAYMENT":
        method = row["payment__method"]
        if method is None and (found := PAYMENT.fullmatch(text)):
            method = PAYMENT_LABELS.get(found["label"])
        return {"method": method} if method else None
    if kind == "CREDIT_ADJUSTMENT" and (found := ADJUSTMENT.fullmatch(text)):
        reason = found["reason"]
        return {
            "type": "add" if found["verb"] == "given" else "deduct",
            "reason": "" if reason == NO_REASON else reason,
        }
    return None


def fill_details(apps, schema_editor):
    Entry = apps.get_model("receivables", "CustomerLedgerEntry")
    rows = (
        Entry.objects.filter(details__isnull=True)
        .order_by()
        .values("pk", "entry_type", "description", "sale__receipt_number", "payment__method")
    )
    filled = []
    for row in rows.iterator(chunk_size=BATCH):
        details = details_from(row)
        if details is not None:
            filled.append(Entry(pk=row["pk"], details=details))
        if len(filled) >= BATCH:
            Entry.objects.bulk_update(filled, ["details"])
            filled = []
    Entry.objects.bulk_update(filled, ["details"])


class Migration(migrations.Migration):
    dependencies = [
        ("receivables", "0006_due_slot_buyers"),
    ]

    operations = [
        migrations.AddField(
            model_name="customerledgerentry",
            name="details",
            field=models.JSONField(
                blank=True,
                editable=False,
                help_text="What the description names: receipt, return, payment method, reason.",
                null=True,
            ),
        ),
        # Undone with the column itself, which the reverse of the field above drops.
        migrations.RunPython(fill_details, migrations.RunPython.noop),
    ]
