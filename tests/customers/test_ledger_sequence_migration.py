"""The migration that keeps each customer's last ledger sequence on the customer row fills
it from the ledger: the largest sequence of each customer's entries, 0 without any."""

import importlib

import pytest
from django.apps import apps

from customers.models import Customer
from receivables.services import customer_record_payment
from tests.factories.customers import CustomerFactory
from tests.receivables.test_receivables_service import sell_on_account

pytestmark = pytest.mark.django_db

migration = importlib.import_module("customers.migrations.0009_customer_ledger_sequence")


def test_the_kept_sequence_is_filled_from_each_ledger(storefront, cashier, cashier_actor):
    debtor, idle = CustomerFactory.create_batch(2, business=storefront.business)
    for amount in ("40.00", "60.00"):
        sell_on_account(storefront=storefront, user=cashier, customer=debtor, amount=amount)
    customer_record_payment(customer=debtor, amount="30.00", method="CASH", actor=cashier_actor)
    Customer.objects.update(ledger_sequence=0)

    migration.fill_ledger_sequence(apps, None)

    kept = dict(Customer.objects.values_list("pk", "ledger_sequence"))
    assert kept == {debtor.pk: 3, idle.pk: 0}
