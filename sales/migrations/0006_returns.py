# Returns of completed sales: the return, its lines and refunds, its number sequence, and
# what each sale and line has had returned.

import django.db.models.deletion
import uuid
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('medicine', '0001_initial'),
        ('pos_project', '0004_idempotency_claim_token'),
        ('sales', '0005_closed_till_session_is_final'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Return',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('sequence', models.PositiveIntegerField(editable=False)),
                ('number', models.CharField(editable=False, max_length=20)),
                ('reason', models.TextField()),
                ('refund_method', models.CharField(choices=[('AMOUNT_DUE', 'Off the amount due'), ('CASH', 'Cash'), ('CARD', 'Card'), ('MOBILE_MONEY', 'Mobile money'), ('ACCOUNT', 'Credit on account')], help_text='How what was not owed on the sale was given back.', max_length=12)),
                ('total', models.DecimalField(decimal_places=2, max_digits=14)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='ReturnItem',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('quantity', models.PositiveIntegerField()),
                ('amount', models.DecimalField(decimal_places=2, help_text="What these units were paid, the line's discount included.", max_digits=14)),
                ('restocked', models.BooleanField(default=True, help_text='Put back on the shelf (not damaged or expired).')),
            ],
            options={
                'ordering': ['sale_return', 'sale_item__created_at', 'sale_item_id'],
            },
        ),
        migrations.CreateModel(
            name='ReturnRefund',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('method', models.CharField(choices=[('AMOUNT_DUE', 'Off the amount due'), ('CASH', 'Cash'), ('CARD', 'Card'), ('MOBILE_MONEY', 'Mobile money'), ('ACCOUNT', 'Credit on account')], max_length=12)),
                ('amount', models.DecimalField(decimal_places=2, max_digits=14)),
            ],
            options={
                'ordering': ['sale_return', models.Case(models.When(method='AMOUNT_DUE', then=models.Value(0)), default=models.Value(1)), 'method'],
            },
        ),
        migrations.CreateModel(
            name='ReturnSequence',
            fields=[
                ('business', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, primary_key=True, related_name='+', serialize=False, to='pos_project.business')),
                ('last_number', models.PositiveIntegerField(default=0)),
            ],
            options={
                'ordering': ['business'],
            },
        ),
        migrations.AddField(
            model_name='sale',
            name='returned_total',
            field=models.DecimalField(db_default=Decimal('0.00'), decimal_places=2, default=Decimal('0.00'), help_text="Given back by the sale's returns.", max_digits=14),
        ),
        migrations.AddField(
            model_name='saleitem',
            name='returned_quantity',
            field=models.PositiveIntegerField(db_default=0, default=0, help_text="Units brought back by the sale's returns."),
        ),
        migrations.AddConstraint(
            model_name='sale',
            constraint=models.CheckConstraint(condition=models.Q(('returned_total__gte', 0), ('returned_total__lte', models.F('total_amount'))), name='sale_returned_within_total'),
        ),
        migrations.AddConstraint(
            model_name='saleitem',
            constraint=models.CheckConstraint(condition=models.Q(('returned_quantity__lte', models.F('quantity'))), name='sale_item_returned_within_quantity'),
        ),
        migrations.AddField(
            model_name='return',
            name='business',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='pos_project.business'),
        ),
        migrations.AddField(
            model_name='return',
            name='created_by',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='return',
            name='sale',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='returns', to='sales.sale'),
        ),
        migrations.AddField(
            model_name='returnitem',
            name='sale_item',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='return_items', to='sales.saleitem'),
        ),
        migrations.AddField(
            model_name='returnitem',
            name='sale_return',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='items', to='sales.return'),
        ),
        migrations.AddField(
            model_name='returnrefund',
            name='sale_return',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='refunds', to='sales.return'),
        ),
        migrations.AddIndex(
            model_name='return',
            index=models.Index(fields=['business', '-created_at'], name='return_business_time'),
        ),
        migrations.AddIndex(
            model_name='return',
            index=models.Index(fields=['sale', 'created_at'], name='return_sale_time'),
        ),
        migrations.AddConstraint(
            model_name='return',
            constraint=models.UniqueConstraint(fields=('business', 'sequence'), name='return_unique_number_per_business'),
        ),
        migrations.AddConstraint(
            model_name='return',
            constraint=models.CheckConstraint(condition=models.Q(('total__gte', 0)), name='return_total_not_negative'),
        ),
        migrations.AddConstraint(
            model_name='returnitem',
            constraint=models.CheckConstraint(condition=models.Q(('quantity__gt', 0)), name='return_item_quantity_positive'),
        ),
        migrations.AddConstraint(
            model_name='returnitem',
            constraint=models.CheckConstraint(condition=models.Q(('amount__gte', 0)), name='return_item_amount_not_negative'),
        ),
        migrations.AddConstraint(
            model_name='returnitem',
            constraint=models.UniqueConstraint(fields=('sale_return', 'sale_item'), name='return_item_one_per_line'),
        ),
        migrations.AddConstraint(
            model_name='returnrefund',
            constraint=models.CheckConstraint(condition=models.Q(('amount__gt', 0)), name='return_refund_positive'),
        ),
        migrations.AddConstraint(
            model_name='returnrefund',
            constraint=models.UniqueConstraint(fields=('sale_return', 'method'), name='return_refund_one_per_method'),
        ),
    ]
