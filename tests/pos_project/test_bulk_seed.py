"""`seed_demo --customers N --sales M` builds data the ledger checks accept."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from customers.models import Customer
from receivables.models import CustomerLedgerEntry
from sales.models import Sale, SaleStatus


@pytest.mark.django_db(transaction=True)
def test_bulk_data_passes_check_ledgers_and_numbers_receipts_without_gaps():
    out = StringIO()
    call_command("seed_demo", "--customers", "40", "--sales", "120", stdout=out)
    assert "Bulk-loaded" in out.getvalue()

    call_command("check_ledgers", stdout=StringIO())  # raises CommandError on any difference
    numbers = sorted(
        Sale.objects.exclude(receipt_sequence=None).values_list("receipt_sequence", flat=True)
    )
    assert numbers == list(range(1, len(numbers) + 1))
    assert Sale.objects.filter(status=SaleStatus.COMPLETED).count() >= 120
    assert Customer.objects.count() >= 40
    # Every entry keeps what its description names, as the services write it.
    bulk = CustomerLedgerEntry.objects.all()
    assert not bulk.filter(details=None).exists()
    charge = bulk.filter(entry_type="SALE_CHARGE").select_related("sale").first()
    assert charge.details == {"receipt_number": charge.sale.receipt_number}
    payment = bulk.filter(entry_type="PAYMENT").select_related("payment").first()
    assert payment.details == {"method": payment.payment.method}


@pytest.mark.django_db
def test_negative_sizes_are_refused():
    with pytest.raises(CommandError, match="zero or more"):
        call_command("seed_demo", "--customers", "-1", stdout=StringIO())
