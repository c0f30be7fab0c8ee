"""Keeping what a ledger entry's description names: a database whose entries have only their
English text migrates forward with each entry's details as the services write them now,
read from its sale, its payment and its text; an entry whose text it cannot read keeps none
and shows its text; and the migration goes back and forward again."""

from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import translation

from customers.locks import customer_lock
from pos_project.actors import Actor
from receivables.descriptions import ledger_description
from receivables.ledger import ledger_post
from receivables.models import CustomerLedgerEntry, LedgerEntryType
from receivables.services import customer_adjust_credit
from tests.factories.customers import CustomerFactory
from tests.receivables.test_move_migration import migrate_to
from tests.receivables.test_statement_descriptions import history_of_every_kind

BEFORE_THE_DETAILS = [("receivables", "0006_due_slot_buyers")]


def _details() -> dict:
    return dict(CustomerLedgerEntry.objects.values_list("pk", "details"))


@pytest.mark.django_db(transaction=True)
def test_entries_written_before_get_their_details_from_their_sale_payment_and_text(
    business, storefront, cashier, manager
):
    # given a customer with an entry of every kind, one whose reason is long and holds
    # brackets, and an entry of a shape the ledger never wrote
    customer = CustomerFactory(business=business, name="Chaïmae Alami")
    history_of_every_kind(
        storefront=storefront, cashier=cashier, manager=manager, customer=customer
    )
    boss = Actor.for_user(manager)
    customer_adjust_credit(
        customer=customer,
        type="add",
        amount=Decimal("2.00"),
        reason="Box (damaged): swapped, see note: 12",
        actor=boss,
    )
    with transaction.atomic():
        odd = ledger_post(
            customer=customer_lock(customer=customer),
            entry_type=LedgerEntryType.PAYMENT,
            amount=Decimal("-1.00"),
            description="Paid at the counter",
            actor=boss,
        )
    written = _details()
    assert sum(details is not None for details in written.values()) == 8
    # and the database as it was before the details: only the English text
    old_apps = migrate_to(BEFORE_THE_DETAILS)
    old_entry = old_apps.get_model("receivables", "CustomerLedgerEntry")
    assert "details" not in {field.name for field in old_entry._meta.get_fields()}

    # when it migrates forward
    migrate_to()

    # then every entry holds the details the services write, the odd one none
    assert _details() == written
    assert CustomerLedgerEntry.objects.get(pk=odd.pk).details is None
    with translation.override("fr"):
        described = [
            ledger_description(entry, symbol="DH")
            for entry in CustomerLedgerEntry.objects.order_by("sequence")
        ]
    assert described[0] == "Part à crédit de la vente S-000001"
    assert described[-2] == "Avoir accordé : \u2068Box (damaged): swapped, see note: 12\u2069"
    assert described[-1] == "Paid at the counter"

    # and it goes back, and forward again, to the same details
    migrate_to(BEFORE_THE_DETAILS)
    migrate_to()
    assert _details() == written


@pytest.mark.django_db(transaction=True)
def test_payments_without_their_payment_are_read_from_the_english_label(business, manager):
    # given payment entries written without a payment row, as old imports did, in each label
    customer = CustomerFactory(business=business)
    with transaction.atomic():
        locked = customer_lock(customer=customer)
        for text in ("Payment (Cash)", "Payment (Mobile money)", "Payment (Cheque)"):
            ledger_post(
                customer=locked,
                entry_type=LedgerEntryType.PAYMENT,
                amount=Decimal("-1.00"),
                description=text,
                actor=Actor.for_user(manager),
            )
    migrate_to(BEFORE_THE_DETAILS)

    # when it migrates forward
    migrate_to()

    # then the labels it knows give their method; the one it does not keeps no details
    assert list(
        CustomerLedgerEntry.objects.order_by("sequence").values_list("details", flat=True)
    ) == [{"method": "CASH"}, {"method": "MOBILE_MONEY"}, None]
