"""Payments, the Debtors export and the statement in French, Arabic and Uzbek.

The refusal's `error` and `code` stay the English contract; its `message` and the words a
person reads (headers, totals, the printed statement) follow the language. Requests name
their language in `Accept-Language` and run inside `translation.override`.
"""

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from receivables.statements import statement_html, statement_of_account
from tests.contracts import assert_error
from tests.customers.languages import in_language
from tests.factories.customers import CustomerFactory
from tests.factories.kernel import printed_in
from tests.receivables.test_receivables_service import sell_on_account

pytestmark = pytest.mark.django_db

OVERPAYMENT = {
    "en": "to hold the extra as credit for them",
    "fr": "pour garder le surplus comme avoir du client",
    "ar": "للاحتفاظ بالفائض كرصيد لصالحه",
    "uz": "ortiqchasini mijoz foydasiga qoldirish uchun",
}
# A physical side in a CSS declaration: the layout would not mirror in Arabic.
PHYSICAL_CSS = re.compile(
    r"(?:margin|padding|border|inset)-(?:left|right)\b"
    r"|text-align\s*:\s*(?:left|right)\b"
    r"|float\s*:\s*(?:left|right)\b"
    r"|(?<![-\w])(?:left|right)\s*:"
)
TEMPLATES_AND_STYLES = [
    *Path(settings.BASE_DIR, "customers").rglob("*.html"),
    *Path(settings.BASE_DIR, "customers").rglob("*.css"),
    *Path(settings.BASE_DIR, "receivables").rglob("*.html"),
]


@pytest.fixture
def debtor(business, storefront, cashier):
    customer = CustomerFactory(business=business, name="Chaïmae Alami", phone="+212612345678")
    sell_on_account(storefront=storefront, user=cashier, customer=customer, amount="50.00")
    customer.refresh_from_db()
    return customer


@pytest.mark.parametrize("language", ["en", "fr", "ar", "uz"])
def test_an_overpayment_is_refused_in_the_language_with_its_code(cashier_client, debtor, language):
    url = reverse("customer-record-payment", kwargs={"pk": debtor.pk})

    response = in_language(
        language,
        lambda **headers: cashier_client.post(
            url, {"amount": "80.00", "method": "CASH"}, **headers
        ),
    )

    body = assert_error(response, 400, "Payment exceeds the amount owed")
    assert body["code"] == "overpayment_not_allowed"
    assert body["outstanding_balance"] == "50.00"
    assert OVERPAYMENT[language] in body["message"]
    assert body["fields"] == {"amount": [body["message"]]}
    debtor.refresh_from_db()
    assert debtor.outstanding_balance == Decimal("50.00")


@pytest.mark.parametrize(
    ("language", "headers", "owed_row"),
    [
        ("fr", ["Client", "Téléphone", "Devise", "Dû 0-30 jours"], "Dû au magasin (1 client"),
        ("ar", ["الزبون", "الهاتف", "العملة", "المستحق 0-30 يومًا"], "المستحق للمحل"),
        ("uz", ["Mijoz", "Telefon", "Valyuta", "Qarz: 0-30 kun"], "Doʻkonga qarz"),  # noqa: RUF001
    ],
)
def test_the_debtors_export_headers_and_totals_translate(
    manager_client, debtor, language, headers, owed_row
):
    response = in_language(
        language,
        lambda **extra: manager_client.get("/customers/api/debtors/", {"format": "csv"}, **extra),
    )

    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8").removeprefix("\ufeff"))))
    assert set(headers) <= set(rows[0])
    assert rows[1][0] == "Chaïmae Alami"
    assert rows[-3][0].startswith(owed_row)


def test_the_statement_prints_right_to_left_in_arabic(debtor):
    statement = statement_of_account(customer=debtor)
    printed_in(statement.business, "ar")

    page = statement_html(statement)

    assert '<html lang="ar" dir="rtl">' in page
    assert '<h2 style="margin-top:0">كشف الحساب</h2>' in page
    assert "حركات الحساب" in page and "طريقة الدفع." in page
    assert "Chaïmae Alami" in page
    # The phone reads left to right inside the right-to-left page.
    assert '<div dir="ltr" class="phone">0612-345678</div>' in page
    style = page.split("<style>")[1].split("</style>")[0]
    assert "text-align: end" in style
    assert not PHYSICAL_CSS.search(style)


def test_the_statement_stays_left_to_right_in_english_and_french(debtor):
    statement = statement_of_account(customer=debtor)

    english = statement_html(statement)
    printed_in(statement.business, "fr")
    french = statement_html(statement)

    assert '<html lang="fr" dir="ltr">' in french and "Relevé de compte" in french
    assert '<html lang="en" dir="ltr">' in english and "Statement of account" in english


@pytest.mark.parametrize("path", TEMPLATES_AND_STYLES, ids=lambda path: path.name)
def test_the_pages_are_styled_with_logical_properties_only(path):
    found = PHYSICAL_CSS.findall(path.read_text(encoding="utf-8"))

    assert not found, f"{path}: {found}"


@pytest.mark.parametrize(
    ("language", "checked", "agree"),
    [
        ("fr", "Clients vérifiés : 1.", "Tous les comptes, imputations, statistiques"),
        ("ar", "عدد الزبائن المفحوصين: 1.", "كل الحسابات والتخصيصات والإحصاءات"),
        ("uz", "Tekshirilgan mijozlar: 1.", "Barcha hisoblar, taqsimotlar, statistika"),
    ],
)
def test_check_ledgers_reports_to_the_administrator_in_the_language(
    debtor, language, checked, agree
):
    out = io.StringIO()

    with translation.override(language):
        call_command("check_ledgers", "--business", str(debtor.business_id), stdout=out)

    assert checked in out.getvalue()
    assert agree in out.getvalue()
