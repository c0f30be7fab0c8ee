# Single-column foreign-key indexes that a composite index already leads with, dropped.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('customers', '0010_customer_business_fk_index_dropped'),
        ('pos_project', '0005_business_cash_control'),
        ('receivables', '0004_summary_purchase_totals'),
    ]

    operations = [
        migrations.AlterField(
            model_name='customerledgerentry',
            name='business',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='pos_project.business'),
        ),
        migrations.AlterField(
            model_name='customerledgerentry',
            name='customer',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='ledger_entries', to='customers.customer'),
        ),
    ]
