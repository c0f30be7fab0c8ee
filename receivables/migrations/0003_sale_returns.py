# A ledger entry type for goods of a sale brought back.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('receivables', '0002_debt_payment_till_session'),
    ]

    operations = [
        migrations.AlterField(
            model_name='customerledgerentry',
            name='entry_type',
            field=models.CharField(choices=[('SALE_CHARGE', 'Sale charge'), ('PAYMENT', 'Payment'), ('SALE_REVERSAL', 'Sale reversal'), ('CREDIT_ADJUSTMENT', 'Credit adjustment'), ('SALE_RETURN', 'Sale return')], max_length=20),
        ),
    ]
