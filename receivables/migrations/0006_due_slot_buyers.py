from collections import Counter
from datetime import UTC

from django.db import migrations, models

SLOT_MINUTES = 15


def _slot_start(moment):
    moment = moment.astimezone(UTC)
    return moment.replace(
        minute=moment.minute - moment.minute % SLOT_MINUTES, second=0, microsecond=0
    )


def count_buyers_per_slot(apps, schema_editor):
    """Count each business's customers by the 15-minute slot of their last purchase."""
    Customer = apps.get_model("customers", "Customer")
    ReceivablesDueSlot = apps.get_model("receivables", "ReceivablesDueSlot")
    buyers = Counter(
        (business_id, _slot_start(last))
        for business_id, last in Customer.objects.filter(last_purchase_date__isnull=False)
        .order_by()
        .values_list("business_id", "last_purchase_date")
        .iterator(chunk_size=10_000)
    )
    existing = {
        (slot.business_id, slot.starts_at.astimezone(UTC)): slot
        for slot in ReceivablesDueSlot.objects.filter(
            business_id__in={business_id for business_id, _ in buyers}
        )
    }
    changed, made = [], []
    for (business_id, starts_at), count in buyers.items():
        slot = existing.get((business_id, starts_at))
        if slot is None:
            made.append(
                ReceivablesDueSlot(business_id=business_id, starts_at=starts_at, buyers=count)
            )
        else:
            slot.buyers = count
            changed.append(slot)
    ReceivablesDueSlot.objects.bulk_update(changed, ["buyers"], batch_size=1000)
    ReceivablesDueSlot.objects.bulk_create(made, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("receivables", "0005_ledger_fk_indexes_dropped"),
        ("customers", "0010_customer_business_fk_index_dropped"),
    ]

    operations = [
        migrations.AddField(
            model_name="receivablesdueslot",
            name="buyers",
            field=models.IntegerField(
                default=0, help_text="Customers whose last purchase falls in this slot."
            ),
        ),
        migrations.RunPython(count_buyers_per_slot, migrations.RunPython.noop),
    ]
