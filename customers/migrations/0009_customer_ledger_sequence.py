# Each customer's last ledger sequence kept on the customer row, filled from the ledger.

from django.db import migrations, models
from django.db.models import Max, OuterRef, Subquery
from django.db.models.functions import Coalesce


def fill_ledger_sequence(apps, schema_editor):
    Customer = apps.get_model("customers", "Customer")
    CustomerLedgerEntry = apps.get_model("receivables", "CustomerLedgerEntry")
    last = (
        CustomerLedgerEntry.objects.filter(customer=OuterRef("pk"))
        .order_by()
        .values("customer")
        .annotate(last=Max("sequence"))
        .values("last")
    )
    Customer.objects.filter(pk__in=CustomerLedgerEntry.objects.values("customer")).update(
        ledger_sequence=Coalesce(Subquery(last), 0)
    )


class Migration(migrations.Migration):

    dependencies = [
        ("customers", "0008_customer_counts"),
        ("receivables", "0003_sale_returns"),
    ]

    operations = [
        migrations.AddField(
            model_name="customer",
            name="ledger_sequence",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(fill_ledger_sequence, migrations.RunPython.noop),
    ]
