# Single-column foreign-key indexes that a composite index already leads with, dropped.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('medicine', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='stock',
            name='medicine',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='stocks', to='medicine.medicine'),
        ),
    ]
