"""The customers' refusals and pages in French, Arabic and Uzbek; the codes stay English.

Each request names its language in `Accept-Language` and runs inside
`translation.override`, so the answer is in that language whichever of the two the
language resolution honours.
"""

import pytest
from django.urls import reverse
from django.utils import translation

from customers.admin import CustomerAdmin
from customers.models import Customer, CustomerType
from pos_project.bidi import isolate
from tests.contracts import assert_error
from tests.customers.history import give_ledger_entry
from tests.customers.languages import in_language
from tests.factories.customers import CustomerFactory

pytestmark = pytest.mark.django_db

# A sentence of each refusal, in each language, that no amount format changes.
STILL_OWES = {
    "en": "a customer with a debt cannot be removed",
    "fr": "un client endetté ne peut pas être supprimé",
    "ar": "لا يمكن حذف زبون عليه دين",
    "uz": "qarzi bor mijozni oʻchirib boʻlmaydi",  # noqa: RUF001 (Uzbek's letter U+02BB)
}
MANAGER_ONLY = {
    "en": "Only a manager or the owner may set this field.",
    "fr": "Seul un gérant ou le propriétaire peut définir ce champ.",
    "ar": "لا يمكن تحديد هذا الحقل إلا للمسيّر أو المالك.",
    "uz": "Bu maydonni faqat menejer yoki egasi belgilashi mumkin.",
}


def detail(customer) -> str:
    return reverse("customer-detail", kwargs={"pk": customer.pk})


@pytest.mark.parametrize("language", ["en", "fr", "ar", "uz"])
def test_a_refused_delete_speaks_the_language_and_keeps_its_code(
    manager_client, business, language
):
    customer = CustomerFactory(business=business, name="Fatima Zahra")
    give_ledger_entry(customer, "420.75")

    response = in_language(
        language, lambda **headers: manager_client.delete(detail(customer), **headers)
    )

    body = assert_error(response, 409, "Customer owes money")
    assert body["code"] == "customer_has_balance"
    assert body["outstanding_balance"] == "420.75"
    assert STILL_OWES[language] in body["message"]
    # The name cannot reorder the sentence around it, whatever its script.
    assert isolate("Fatima Zahra") in body["message"]


@pytest.mark.parametrize("language", ["en", "fr", "ar", "uz"])
def test_a_cashier_setting_a_credit_limit_is_told_why_in_the_language(
    cashier_client, business, language
):
    customer = CustomerFactory(business=business)

    response = in_language(
        language,
        lambda **headers: cashier_client.patch(
            detail(customer), {"credit_limit": "500.00"}, format="json", **headers
        ),
    )

    body = assert_error(response, 403, "Permission denied")
    assert body["code"] == "manager_only_field"
    assert body["fields"] == {"credit_limit": [MANAGER_ONLY[language]]}
    assert "credit_limit" in body["message"]
    customer.refresh_from_db()
    assert customer.credit_limit is None


def test_a_duplicate_phone_names_its_owner_isolated_in_arabic(manager_client, business):
    CustomerFactory(business=business, name="Omar Tazi", phone="+212612345678")

    response = in_language(
        "ar",
        lambda **headers: manager_client.post(
            reverse("customer-list"), {"name": "عمر", "phone": "0612345678"}, **headers
        ),
    )

    body = assert_error(response, 400, "Duplicate phone number")
    assert body["code"] == "duplicate_phone"
    assert body["message"].startswith(f"الرقم {isolate('+212612345678')} مسجل باسم ")
    assert isolate("Omar Tazi") in body["message"]
    assert body["fields"] == {"phone": [f"مستعمل من قبل {isolate('Omar Tazi')}."]}


@pytest.mark.parametrize(
    ("language", "first", "balance"),
    [
        ("en", "Customer", "Balance (negative: credit held)"),
        ("fr", "Client", "Solde (négatif : avoir)"),
        ("ar", "الزبون", "الرصيد (السالب: رصيد لصالح الزبون)"),
        ("uz", "Mijoz", "Qoldiq (manfiy: mijoz foydasiga)"),
    ],
)
def test_the_customer_list_export_headers_are_in_the_language(language, first, balance):
    with translation.override(language):
        headers = [str(header) for header in CustomerAdmin.export_columns]

    assert headers[0] == first
    assert balance in headers
    assert len(set(headers)) == len(headers)


def test_the_back_office_labels_of_a_customer_translate():
    with translation.override("fr"):
        assert str(Customer._meta.verbose_name_plural) == "clients"
        assert str(Customer._meta.get_field("credit_limit").verbose_name) == "plafond de crédit"
        assert str(CustomerType.WHOLESALE.label) == "Gros"
    with translation.override("uz"):
        assert str(CustomerType.RETAIL.label) == "Chakana"
    # The stored values (the API's enum) stay English whatever the language.
    assert CustomerType.WHOLESALE.value == "WHOLESALE"


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("fr", "n'est pas un numéro de téléphone"),
        ("ar", "ليس رقم هاتف"),
        ("uz", "telefon raqami emas"),
    ],
)
def test_a_phone_that_is_not_one_is_refused_in_the_language(
    cashier_client, business, language, words
):
    response = in_language(
        language,
        lambda **headers: cashier_client.post(
            reverse("customer-list"), {"name": "Karim", "phone": "not a phone"}, **headers
        ),
    )

    body = assert_error(response, 400, "Invalid phone number")
    assert body["code"] == "invalid_phone"
    assert words in body["message"] and "'not a phone'" in body["message"]
    assert body["fields"]["phone"] == [body["message"]]
    assert not Customer.objects.filter(business=business).exists()
