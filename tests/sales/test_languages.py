"""Sales in French, Arabic and Uzbek: a refusal's message in the reader's language with its
code unchanged, and the printed pages (receipt, return slip, X and Z reports) laid out right
to left in Arabic, with dates in the language's named format and phones as the shop writes
them."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from customers.phones import display_phone
from pos_project.actors import Actor
from pos_project.bidi import isolate
from pos_project.money import format_money
from sales.receipts import receipt_html
from sales.return_receipts import return_receipt_html
from sales.services import sale_return
from sales.services.tills import till_session_close, till_session_open
from sales.till_report import till_report_html
from tests.contracts import assert_error
from tests.factories.customers import CustomerFactory
from tests.factories.kernel import printed_in
from tests.factories.medicine import MedicineFactory
from tests.factories.sales import complete_sale
from tests.factories.tills import TillFactory
from tests.sales.conftest import sale_url

EMPTY_SALE = {
    "fr": "Ajoutez au moins un article avant de terminer la vente.",
    "ar": "أضف مادة واحدة على الأقل قبل إكمال البيع.",
    "uz": "Sotuvni yakunlashdan oldin kamida bitta tovar qoʻshing.",  # noqa: RUF001 (the Uzbek letter)
}

# A CSS property that names a physical side: it would not flip for a right-to-left page.
PHYSICAL_SIDE = re.compile(
    r"(margin|padding|border)-(left|right)\b|text-align:\s*(left|right)\b|float:\s*(left|right)"
    r"|[\s;{\"](left|right)\s*:"
)
TEMPLATE_DIRS = [Path("sales/templates"), Path("medicine/templates")]


def complete_through_api(cashier_client, sale, language):
    with translation.override(language):
        return cashier_client.post(
            sale_url(sale, "sale-complete"),
            {"payments": [{"method": "CASH", "amount": "10.00"}]},
            format="json",
            HTTP_ACCEPT_LANGUAGE=language,
        )


@pytest.mark.parametrize("language", ["fr", "ar", "uz"])
def test_a_refusal_reads_in_the_language_and_keeps_its_code(cashier_client, draft, language):
    body = assert_error(complete_through_api(cashier_client, draft, language), 400)

    assert body["code"] == "empty_sale"
    assert body["message"] == EMPTY_SALE[language]


def test_the_same_refusal_stays_english_without_a_language(cashier_client, draft):
    body = assert_error(complete_through_api(cashier_client, draft, "en"), 400)

    assert body["code"] == "empty_sale"
    assert body["message"] == "Add at least one item before completing the sale."


@pytest.mark.parametrize("language", ["fr", "ar", "uz"])
def test_a_customers_name_inside_a_refusal_is_isolated(
    cashier_client, business, draft, stocked, language
):
    customer = CustomerFactory(business=business, name="فاطمة الزهراء", credit_limit=Decimal("5"))
    medicine = stocked("25.40")
    cashier_client.post(
        sale_url(draft, "sale-items"), {"medicine": str(medicine.pk), "quantity": 1}
    )
    cashier_client.post(
        sale_url(draft, "sale-update-customer"), {"customer": str(customer.pk)}, format="json"
    )
    with translation.override(language):
        response = cashier_client.post(
            sale_url(draft, "sale-complete"),
            {"payments": [{"method": "ON_ACCOUNT", "amount": "25.40"}]},
            format="json",
            HTTP_ACCEPT_LANGUAGE=language,
        )

    body = assert_error(response, 400)
    assert body["code"] == "credit_limit_exceeded"
    assert isolate("فاطمة الزهراء") in body["message"]
    assert "Take the rest" not in body["message"]


@pytest.fixture
def phoned_sale(business, storefront, cashier):
    customer = CustomerFactory(business=business, name="Fred Amugi", phone="+212661361611")
    medicine = MedicineFactory(business=business, prix_br=Decimal("30.00"), name="Doliprane")
    return complete_sale(
        storefront=storefront, actor_user=cashier, lines=[(medicine, 2)], customer=customer
    )


def test_the_receipt_prints_right_to_left_in_arabic(phoned_sale):
    printed_in(phoned_sale.business, "ar")
    with translation.override("ar"):
        page = receipt_html(phoned_sale)
        moment = timezone.localtime(phoned_sale.completed_at, phoned_sale.business.zone)
        date_text = date_format(moment, "DATETIME_FORMAT")

    assert '<html lang="ar" dir="rtl">' in page
    assert "شكرًا على زيارتكم" in page and "Thank you" not in page
    assert '<span dir="ltr">S-000001</span>' in page
    assert f"<bdi>{date_text}</bdi>" in page
    phone = display_phone("+212661361611", region=phoned_sale.business.default_region)
    assert f'<span dir="ltr">{phone}</span>' in page and "+212661361611" not in page
    assert "<bdi>Fred Amugi</bdi>" in page


def test_the_return_slip_prints_right_to_left_in_arabic(phoned_sale, manager):
    line = phoned_sale.items.get()
    returned = sale_return(
        sale=phoned_sale,
        lines=[{"item": line.pk, "quantity": 1}],
        reason="Boîte abîmée",
        refund_method="CASH",
        actor=Actor.for_user(manager),
    )

    printed_in(returned.business, "ar")
    with translation.override("ar"):
        page = return_receipt_html(returned)
        moment = timezone.localtime(returned.created_at, phoned_sale.business.zone)
        date_text = date_format(moment, "DATETIME_FORMAT")
        refunded = format_money(Decimal("30.00"), "DH")

    assert '<html lang="ar" dir="rtl">' in page
    assert "مجموع المرجَع" in page and "TOTAL RETURNED" not in page
    # The amount keeps its left-to-right order inside the Arabic refund words.
    assert f"{isolate(refunded)} نقدًا" in page
    assert f"<bdi>{date_text}</bdi>" in page
    assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", page) is None
    phone = display_phone("+212661361611", region=phoned_sale.business.default_region)
    assert f'<span dir="ltr">{phone}</span>' in page and "+212661361611" not in page


def test_the_z_report_prints_right_to_left_in_arabic(storefront, cashier):
    session = till_session_open(
        till=TillFactory(storefront=storefront, name="Comptoir"),
        opening_float="100.00",
        actor=Actor.for_user(cashier),
    )
    complete_sale(storefront=storefront, actor_user=cashier)
    closed = till_session_close(
        session=session, counted_cash="100.00", actor=Actor.for_user(cashier)
    )

    printed_in(closed.business, "ar")
    with translation.override("ar"):
        page = till_report_html(closed)
        closed_text = date_format(
            timezone.localtime(closed.closed_at, closed.business.zone), "DATETIME_FORMAT"
        )

    assert '<html lang="ar" dir="rtl">' in page
    assert f"تقرير Z {closed.z_number}" in page
    assert "النقد المعدود" in page and "Counted cash" not in page
    assert f"<bdi>{closed_text}</bdi>" in page
    assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", page) is None


def test_the_x_report_reads_in_french(storefront, cashier):
    session = till_session_open(
        till=TillFactory(storefront=storefront), opening_float="0.00", actor=Actor.for_user(cashier)
    )

    printed_in(session.business, "fr")
    page = till_report_html(session)

    assert '<html lang="fr" dir="ltr">' in page
    assert "Rapport X (session ouverte)" in page and "Fond de caisse" in page


@pytest.mark.parametrize(
    "template", sorted(path for root in TEMPLATE_DIRS for path in root.rglob("*.html")), ids=str
)
def test_templates_use_logical_css_and_load_their_translations(template):
    text = template.read_text()

    assert PHYSICAL_SIDE.search(text) is None
    assert "{% load i18n" in text
