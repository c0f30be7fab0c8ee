# The customer's field and model names as the back office shows them, marked for translation
# (labels only: no column changes).

import django.db.models.deletion
from decimal import Decimal
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0010_customer_business_fk_index_dropped"),
        ("pos_project", "0005_business_cash_control"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="customer",
            options={
                "ordering": ["name", "id"],
                "verbose_name": "customer",
                "verbose_name_plural": "customers",
            },
        ),
        migrations.AlterField(
            model_name="customer",
            name="address",
            field=models.CharField(blank=True, max_length=255, verbose_name="address"),
        ),
        migrations.AlterField(
            model_name="customer",
            name="business",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="customers",
                to="pos_project.business",
                verbose_name="business",
            ),
        ),
        migrations.AlterField(
            model_name="customer",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="created at"),
        ),
        migrations.AlterField(
            model_name="customer",
            name="credit_limit",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                help_text="Empty: no limit. 0: no credit at all.",
                max_digits=14,
                null=True,
                verbose_name="credit limit",
            ),
        ),
        migrations.AlterField(
            model_name="customer",
            name="customer_type",
            field=models.CharField(
                choices=[("RETAIL", "Retail"), ("WHOLESALE", "Wholesale")],
                default="RETAIL",
                max_length=10,
                verbose_name="customer type",
            ),
        ),
        migrations.AlterField(
            model_name="customer",
            name="email",
            field=models.EmailField(blank=True, max_length=254, verbose_name="email"),
        ),
        migrations.AlterField(
            model_name="customer",
            name="is_active",
            field=models.BooleanField(default=True, verbose_name="is active"),
        ),
        migrations.AlterField(
            model_name="customer",
            name="last_purchase_date",
            field=models.DateTimeField(blank=True, null=True, verbose_name="last purchase date"),
        ),
        migrations.AlterField(
            model_name="customer",
            name="name",
            field=models.CharField(max_length=200, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="customer",
            name="notes",
            field=models.TextField(blank=True, verbose_name="notes"),
        ),
        migrations.AlterField(
            model_name="customer",
            name="outstanding_balance",
            field=models.DecimalField(
                decimal_places=2,
                default=Decimal("0.00"),
                help_text="What the customer owes; negative is credit held for them.",
                max_digits=14,
                verbose_name="outstanding balance",
            ),
        ),
        migrations.AlterField(
            model_name="customer",
            name="phone",
            field=models.CharField(
                blank=True,
                help_text="E.164, e.g. +212612345678.",
                max_length=20,
                null=True,
                verbose_name="phone",
            ),
        ),
        migrations.AlterField(
            model_name="customer",
            name="sales_count",
            field=models.PositiveIntegerField(default=0, verbose_name="sales count"),
        ),
        migrations.AlterField(
            model_name="customer",
            name="total_purchases",
            field=models.DecimalField(
                decimal_places=2,
                default=Decimal("0.00"),
                max_digits=14,
                verbose_name="total purchases",
            ),
        ),
        migrations.AlterField(
            model_name="customer",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, verbose_name="updated at"),
        ),
    ]
