# The lots' audit events: received, adjusted, written off, recalled.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0008_alter_auditlog_event_type'),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditlog',
            name='event_type',
            field=models.CharField(choices=[('business.created', 'Business created'), ('business.updated', 'Business details changed'), ('storefront.created', 'Storefront added'), ('storefront.updated', 'Storefront changed'), ('storefront.deleted', 'Storefront removed'), ('staff.added', 'Staff member added'), ('staff.removed', 'Staff member removed'), ('staff.role_changed', 'Staff role changed'), ('staff.locked_out', 'Back-office log-in locked'), ('staff.lockout_lifted', 'Log-in lock lifted'), ('staff.password_reset', 'Staff password reset'), ('staff.deactivated', 'Staff member deactivated'), ('staff.reactivated', 'Staff member reactivated'), ('customer.created', 'Customer added'), ('customer.updated', 'Customer details changed'), ('customer.deactivated', 'Customer deactivated'), ('customer.reactivated', 'Customer reactivated'), ('customer.deleted', 'Customer removed'), ('customer.mock_cleanup', 'Test customers cleaned up'), ('customer.payment_recorded', 'Payment received'), ('customer.credit_adjusted', 'Credit adjusted'), ('medicine.created', 'Medicine added'), ('medicine.updated', 'Medicine details changed'), ('medicine.price_changed', 'Price changed'), ('medicine.deactivated', 'Medicine deactivated'), ('medicine.deleted', 'Medicine removed'), ('medicine.stock_adjusted', 'Stock adjusted'), ('stock.lot_received', 'Lot received'), ('stock.lot_adjusted', 'Lot adjusted'), ('stock.lot_written_off', 'Lot written off'), ('stock.lot_recalled', 'Lot recalled'), ('sale.customer_updated', "Sale's customer changed"), ('sale.completed', 'Sale completed'), ('sale.cancelled', 'Sale cancelled'), ('sale.returned', 'Items returned'), ('till.created', 'Till set up'), ('till.updated', 'Till changed'), ('till.opened', 'Till session opened'), ('till.cash_moved', 'Cash put in or taken out of a till'), ('till.closed', 'Till session closed')], max_length=64),
        ),
    ]
