"""Adding the due slots' buyers: a database that already holds customers with purchases
migrates forward with every slot counting its buyers, the slots that had no row made, and
`check_ledgers` clean."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from receivables.models import ReceivablesDueSlot
from receivables.summary import slot_start
from tests.factories.customers import CustomerFactory
from tests.receivables.test_move_migration import migrate_to
from tests.receivables.test_receivables_service import sell_on_account

BEFORE_THE_BUYERS = [("receivables", "0005_ledger_fk_indexes_dropped")]


@pytest.mark.django_db(transaction=True)
def test_a_shop_with_buyers_migrates_forward_with_each_slot_counting_them(storefront, cashier):
    # given customers who last bought on account (their slot has a row for the amount due)
    # and in cash two days ago (its slot's row is then removed, as before the buyers were
    # counted no paid sale needed one), and a customer who never bought
    business = storefront.business
    cash_at = timezone.now() - timedelta(days=2)
    for amount in ("40.00", "25.50"):
        sell_on_account(
            storefront=storefront,
            user=cashier,
            customer=CustomerFactory(business=business),
            amount=amount,
        )
    for _ in range(2):
        sell_on_account(
            storefront=storefront,
            user=cashier,
            customer=CustomerFactory(business=business),
            amount="12.00",
            on_account="0",
            completed_at=cash_at,
        )
    CustomerFactory(business=business)
    old_apps = migrate_to(BEFORE_THE_BUYERS)
    old_apps.get_model("receivables", "ReceivablesDueSlot").objects.filter(
        starts_at=slot_start(cash_at)
    ).delete()

    # when it migrates forward
    migrate_to()

    # then each slot counts the customers who last bought in it
    buyers = dict(ReceivablesDueSlot.objects.exclude(buyers=0).values_list("starts_at", "buyers"))
    assert buyers[slot_start(cash_at)] == 2
    assert sum(buyers.values()) == 4
    out = StringIO()
    call_command("check_ledgers", stdout=out)  # raises CommandError on any difference
    assert "receivables summaries agree" in out.getvalue()
