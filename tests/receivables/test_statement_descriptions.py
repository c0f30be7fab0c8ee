"""The statement's Description column in the reader's language.

Each ledger entry keeps its English description as written and what it names as data; the
statement (API, printed page, export) and the profile read it in the language of their
reader, and an entry whose data says too little reads as its stored text.
"""

import csv
import io
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext

from customers.locks import customer_lock
from pos_project.actors import Actor
from pos_project.bidi import isolate
from pos_project.money import format_money
from receivables.descriptions import ledger_description
from receivables.ledger import ledger_post
from receivables.models import CustomerLedgerEntry, LedgerEntryType
from receivables.services import customer_adjust_credit, customer_record_payment
from sales.services import sale_cancel, sale_return
from tests.conftest import admin_client_for
from tests.contracts import assert_flat_queries
from tests.customers.languages import in_language
from tests.factories.customers import CustomerFactory
from tests.factories.kernel import printed_in
from tests.receivables.test_receivables_service import sell_on_account

pytestmark = pytest.mark.django_db

REASON = "Geste pour فاطمة"


def history_of_every_kind(*, storefront, cashier, manager, customer) -> None:
    """Two sales on account, a cash payment, credit given, the first sale cancelled (what
    had settled it released), the second returned, and credit taken back without a reason:
    one entry of every kind."""
    boss = Actor.for_user(manager)
    first = sell_on_account(storefront=storefront, user=cashier, customer=customer, amount="100")
    second = sell_on_account(storefront=storefront, user=cashier, customer=customer, amount="60")
    customer_record_payment(customer=customer, amount=Decimal("50.00"), method="CASH", actor=boss)
    customer_adjust_credit(
        customer=customer, type="add", amount=Decimal("5.00"), reason=REASON, actor=boss
    )
    sale_cancel(sale=first, reason="Wrong customer", actor=boss)
    sale_return(
        sale=second,
        lines=[{"item": second.items.get().pk, "quantity": 1}],
        reason="Not needed",
        actor=boss,
    )
    customer_adjust_credit(customer=customer, type="deduct", amount=Decimal("10.00"), actor=boss)


def expected(language: str) -> list[str]:
    with translation.override(language):
        released = format_money(Decimal("55.00"), "DH")
    reason = isolate(REASON)
    # In Arabic, receipt and return numbers are isolated too: they read left to right.
    return {
        "en": [
            "On-account part of sale S-000001",
            "On-account part of sale S-000002",
            "Payment (Cash)",
            f"Credit given: {reason}",
            f"Reversal of cancelled sale S-000001 ({released} already paid on it released "
            "as credit)",
            "Return R-000001 of sale S-000002",
            "Credit taken back: no reason given",
        ],
        "fr": [
            "Part à crédit de la vente S-000001",
            "Part à crédit de la vente S-000002",
            "Paiement (Espèces)",
            f"Avoir accordé : {reason}",
            f"Annulation de la vente S-000001 ({released} déjà réglés sur cette vente, rendus "
            "en avoir)",
            "Retour R-000001 de la vente S-000002",
            "Avoir repris : sans motif",
        ],
        "ar": [
            f"الجزء المسجَّل بالدين من البيع {isolate('S-000001')}",
            f"الجزء المسجَّل بالدين من البيع {isolate('S-000002')}",
            "دفعة (نقدًا)",
            f"رصيد ممنوح: {reason}",
            f"إلغاء البيع الملغى {isolate('S-000001')} ({released} مدفوعة عليه سابقًا أصبحت "
            "رصيدًا لصالح الزبون)",
            f"الإرجاع {isolate('R-000001')} من البيع {isolate('S-000002')}",
            "رصيد مسترجَع: دون ذكر السبب",
        ],
        "uz": [
            "S-000001 sotuvining qarzga yozilgan qismi",
            "S-000002 sotuvining qarzga yozilgan qismi",
            "Toʻlov (Naqd)",  # noqa: RUF001
            f"Kredit berildi: {reason}",
            f"Bekor qilingan S-000001 sotuvining qaytarilishi (unga toʻlangan {released} "  # noqa: RUF001
            "mijoz foydasiga qoldirildi)",
            "S-000002 sotuvining R-000001 qaytarilishi",
            "Kredit qaytarib olindi: sabab koʻrsatilmagan",  # noqa: RUF001
        ],
    }[language]


ENTRY_TYPES = [
    "SALE_CHARGE",
    "SALE_CHARGE",
    "PAYMENT",
    "CREDIT_ADJUSTMENT",
    "SALE_REVERSAL",
    "SALE_RETURN",
    "CREDIT_ADJUSTMENT",
]
STORED = [
    "On-account part of sale S-000001",
    "On-account part of sale S-000002",
    "Payment (Cash)",
    f"Credit given: {REASON}",
    "Reversal of cancelled sale S-000001 (55.00 DH already paid on it released as credit)",
    "Return R-000001 of sale S-000002",
    "Credit taken back: no reason given",
]


@pytest.fixture
def customer(business, storefront, cashier, manager):
    customer = CustomerFactory(business=business, name="Chaïmae Alami")
    history_of_every_kind(
        storefront=storefront, cashier=cashier, manager=manager, customer=customer
    )
    customer.refresh_from_db()
    return customer


def statement_url(customer) -> str:
    return f"/customers/api/customers/{customer.pk}/statement/"


def test_every_entry_keeps_its_english_record_and_what_it_names(customer):
    entries = list(customer.ledger_entries.order_by("sequence"))

    assert [entry.entry_type for entry in entries] == ENTRY_TYPES
    assert [entry.description for entry in entries] == STORED
    assert [entry.details for entry in entries] == [
        {"receipt_number": "S-000001"},
        {"receipt_number": "S-000002"},
        {"method": "CASH"},
        {"type": "add", "reason": REASON},
        {"receipt_number": "S-000001", "released": "55.00"},
        {"return_number": "R-000001", "receipt_number": "S-000002"},
        {"type": "deduct", "reason": ""},
    ]


@pytest.mark.parametrize("language", ["en", "fr", "ar", "uz"])
def test_the_api_statement_describes_each_entry_in_the_requests_language(
    manager_client, customer, language
):
    response = in_language(
        language, lambda **headers: manager_client.get(statement_url(customer), **headers)
    )

    assert response.status_code == 200
    entries = response.json()["entries"]
    assert [entry["description"] for entry in entries] == expected(language)
    # The code stays the contract, whatever the language.
    assert [entry["entry_type"] for entry in entries] == ENTRY_TYPES


def test_the_same_statement_reads_in_english_and_french_from_the_header_alone(
    manager_client, customer
):
    english = manager_client.get(statement_url(customer), HTTP_ACCEPT_LANGUAGE="en").json()
    french = manager_client.get(statement_url(customer), HTTP_ACCEPT_LANGUAGE="fr").json()

    assert [e["description"] for e in english["entries"]] == expected("en")
    assert [e["description"] for e in french["entries"]] == expected("fr")
    assert [e["amount"] for e in english["entries"]] == [e["amount"] for e in french["entries"]]


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_the_printed_statement_describes_each_entry_in_the_links_language(
    manager_client, anon_client, customer, language
):
    link = manager_client.get(statement_url(customer)).json()["statement_url"]

    page = anon_client.get(link, {"lang": language}).content.decode()

    assert f'<html lang="{language}"' in page
    for description in expected(language):
        assert f'<td class="secondary description">{description}</td>' in page
    assert "On-account part of sale" not in page


def test_the_printed_statement_speaks_the_business_language_by_default(
    manager_client, customer, business
):
    printed_in(business, "fr")

    page = manager_client.get(statement_url(customer), {"format": "html"}).content.decode()

    assert "Part à crédit de la vente S-000001" in page
    assert "Avoir repris : sans motif" in page


def test_the_statement_export_describes_each_entry_in_the_requests_language(
    manager_client, customer
):
    response = in_language(
        "fr",
        lambda **headers: manager_client.get(
            f"/customers/api/customers/{customer.pk}/ledger/", {"format": "csv"}, **headers
        ),
    )

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8").removeprefix("\ufeff"))))
    with translation.override("fr"):
        column = rows[0].index(gettext("Description"))
    assert [row[column] for row in rows[1:]] == expected("fr")


def test_the_profile_describes_each_entry_in_the_readers_language(manager, customer, business):
    printed_in(business, "fr")  # the manager reads the business's language

    page = (
        admin_client_for(manager)
        .get(f"/admin/customers/customer/{customer.pk}/change/")
        .content.decode()
    )

    for description in expected("fr"):
        assert f'<td class="secondary wrap">{description}</td>' in page


def test_an_entry_without_details_reads_as_its_stored_text(customer, manager):
    with transaction.atomic():
        locked = customer_lock(customer=customer)
        written = ledger_post(
            customer=locked,
            entry_type=LedgerEntryType.PAYMENT,
            amount=Decimal("-1.00"),
            description="Paid at the counter",
            actor=Actor.for_user(manager),
        )
    garbled = CustomerLedgerEntry.objects.filter(entry_type=LedgerEntryType.SALE_REVERSAL)
    garbled.update(details={"receipt_number": "S-000001", "released": "a lot"})
    unknown_method = CustomerLedgerEntry.objects.filter(entry_type=LedgerEntryType.PAYMENT)
    unknown_method.exclude(pk=written.pk).update(details={"method": "CHEQUE"})

    with translation.override("fr"):
        described = {
            entry.entry_type + entry.description: ledger_description(entry, symbol="DH")
            for entry in customer.ledger_entries.all()
        }

    assert written.details is None
    assert described["PAYMENTPaid at the counter"] == "Paid at the counter"
    assert described["PAYMENTPayment (Cash)"] == "Payment (Cash)"
    assert described["SALE_REVERSAL" + STORED[4]] == STORED[4]
    assert described["SALE_CHARGE" + STORED[0]] == "Part à crédit de la vente S-000001"


def test_the_statement_takes_the_same_queries_however_many_entries(
    manager_client, business, storefront, cashier, manager, django_assert_max_num_queries
):
    reader = CustomerFactory(business=business)
    boss = Actor.for_user(manager)

    def grow(count):
        while reader.ledger_entries.count() < count:
            sell_on_account(storefront=storefront, user=cashier, customer=reader, amount="10")
            customer_record_payment(customer=reader, amount="10", method="CARD", actor=boss)
            customer_adjust_credit(customer=reader, type="add", amount="1", actor=boss)
            customer_adjust_credit(customer=reader, type="deduct", amount="1", actor=boss)

    assert_flat_queries(
        django_assert_max_num_queries,
        lambda: manager_client.get(statement_url(reader), HTTP_ACCEPT_LANGUAGE="ar"),
        grow,
        sizes=(4, 24),
    )
