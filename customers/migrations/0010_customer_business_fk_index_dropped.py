# Single-column foreign-key indexes that a composite index already leads with, dropped.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('customers', '0009_customer_ledger_sequence'),
        ('pos_project', '0005_business_cash_control'),
    ]

    operations = [
        migrations.AlterField(
            model_name='customer',
            name='business',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='customers', to='pos_project.business'),
        ),
    ]
