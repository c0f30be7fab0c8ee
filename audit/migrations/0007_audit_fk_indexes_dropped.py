# Single-column foreign-key indexes that a composite index already leads with, dropped.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0006_event_vocabulary'),
        ('customers', '0010_customer_business_fk_index_dropped'),
        ('pos_project', '0005_business_cash_control'),
        ('sales', '0008_purchase_history_index_and_fk_indexes_dropped'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditlog',
            name='business',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='audit_logs', to='pos_project.business'),
        ),
        migrations.AlterField(
            model_name='auditlog',
            name='customer',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='audit_logs', to='customers.customer'),
        ),
        migrations.AlterField(
            model_name='auditlog',
            name='sale',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='audit_logs', to='sales.sale'),
        ),
        migrations.AlterField(
            model_name='auditlog',
            name='user',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
    ]
