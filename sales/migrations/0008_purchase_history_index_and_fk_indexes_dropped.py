# The purchase history's index in its page's order; single-column foreign-key indexes that a composite index already leads with, dropped.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('customers', '0010_customer_business_fk_index_dropped'),
        ('pos_project', '0005_business_cash_control'),
        ('sales', '0007_return_till_session'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='sale',
            name='business',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='sales', to='pos_project.business'),
        ),
        migrations.AlterField(
            model_name='sale',
            name='customer',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='sales', to='customers.customer'),
        ),
        migrations.AddIndex(
            model_name='sale',
            index=models.Index(condition=models.Q(('receipt_number__isnull', False)), fields=['customer', '-completed_at', '-created_at', '-id'], name='sale_purchase_history'),
        ),
    ]
