# Lots: boxes sharing a lot number and an expiry date, and the lots each sale line took.

import django.db.models.deletion
import django.utils.timezone
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('medicine', '0003_names_in_the_readers_language'),
        ('pos_project', '0005_business_cash_control'),
        ('sales', '0009_till_float_may_be_zero'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Lot',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('lot_number', models.CharField(blank=True, max_length=64, null=True, verbose_name='lot number')),
                ('expiry_date', models.DateField(blank=True, null=True, verbose_name='expiry date')),
                ('quantity', models.IntegerField(default=0, verbose_name='quantity')),
                ('received_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='received at')),
                ('recalled_at', models.DateTimeField(blank=True, null=True, verbose_name='recalled at')),
                ('recall_reference', models.CharField(blank=True, max_length=120, verbose_name='recall reference')),
                ('recall_date', models.DateField(blank=True, null=True, verbose_name='recall date')),
                ('medicine', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='lots', to='medicine.medicine')),
                ('recalled_by', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('received_by', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('storefront', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='lots', to='pos_project.storefront')),
            ],
            options={
                'verbose_name': 'lot',
                'verbose_name_plural': 'lots',
                'ordering': ['medicine', 'storefront', 'expiry_date', 'received_at', 'id'],
            },
        ),
        migrations.CreateModel(
            name='SaleItemLot',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('quantity', models.PositiveIntegerField()),
                ('returned_quantity', models.PositiveIntegerField(db_default=0, default=0)),
                ('item', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='lots', to='sales.saleitem')),
                ('lot', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='sale_takes', to='medicine.lot')),
            ],
            options={
                'verbose_name': 'units of a lot sold on a line',
                'verbose_name_plural': 'units of lots sold on lines',
                'ordering': ['item', 'lot'],
            },
        ),
        migrations.AddIndex(
            model_name='lot',
            index=models.Index(fields=['lot_number'], name='lot_by_number'),
        ),
        migrations.AddIndex(
            model_name='lot',
            index=models.Index(fields=['storefront', 'expiry_date'], name='lot_by_expiry'),
        ),
        migrations.AddConstraint(
            model_name='lot',
            constraint=models.UniqueConstraint(fields=('medicine', 'storefront', 'lot_number'), name='lot_unique_number_per_storefront'),
        ),
        migrations.AddConstraint(
            model_name='lot',
            constraint=models.UniqueConstraint(condition=models.Q(('lot_number__isnull', True)), fields=('medicine', 'storefront'), name='lot_one_unnumbered_per_storefront'),
        ),
        migrations.AddConstraint(
            model_name='lot',
            constraint=models.CheckConstraint(condition=models.Q(('quantity__gte', 0)), name='lot_not_negative'),
        ),
        migrations.AddConstraint(
            model_name='lot',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('lot_number__isnull', True), ('expiry_date__isnull', True)), models.Q(('lot_number__isnull', False), ('expiry_date__isnull', False)), _connector='OR'), name='lot_number_and_expiry_together'),
        ),
        migrations.AddConstraint(
            model_name='saleitemlot',
            constraint=models.UniqueConstraint(fields=('item', 'lot'), name='sale_item_lot_once'),
        ),
        migrations.AddConstraint(
            model_name='saleitemlot',
            constraint=models.CheckConstraint(condition=models.Q(('quantity__gt', 0)), name='sale_item_lot_quantity_positive'),
        ),
        migrations.AddConstraint(
            model_name='saleitemlot',
            constraint=models.CheckConstraint(condition=models.Q(('returned_quantity__lte', models.F('quantity'))), name='sale_item_lot_returned_within_quantity'),
        ),
    ]
