# The ledger, payments, allocations and the Debtors report's totals belong to the
# `receivables` app from here on. Only Django's picture of the models moves: the tables
# stay where they are, under their names (see receivables/migrations/0001_initial.py).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('customers', '0006_receivables_summary'),
        ('sales', '0003_unpaid_sales_by_customer_index'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='ReceivableAllocation'),
                migrations.DeleteModel(name='CustomerLedgerEntry'),
                migrations.DeleteModel(name='CustomerPayment'),
                migrations.DeleteModel(name='ReceivablesSummary'),
                migrations.DeleteModel(name='ReceivablesDueSlot'),
            ],
            database_operations=[],
        ),
    ]
