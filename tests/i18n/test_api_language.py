"""The API answers in the request's Accept-Language, else the caller's language, else the
business's; its error codes, field names and enum values stay English."""

import pytest
from django.utils import translation

from pos_project.models import StaffMember
from tests.conftest import client_for
from tests.factories.customers import CustomerFactory
from tests.factories.sales import SaleFactory

LOGIN = "/api/auth/token/"
WRONG_PASSWORD = "The username or password is wrong. Check them and try again."
NO_SUCH_STAFF = "/api/auth/token/?username=nobody"


def translated(message: str, language: str) -> str:
    with translation.override(language):
        return translation.gettext(message)


@pytest.mark.parametrize("language", ["en", "fr", "ar", "uz"])
def test_the_same_refusal_in_each_language(anon_client, owner, language):
    response = anon_client.post(
        LOGIN,
        {"username": owner.username, "password": "not the password"},
        HTTP_ACCEPT_LANGUAGE=language,
    )

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_credentials"
    assert body["error"] == "Invalid credentials"
    assert body["message"] == translated(WRONG_PASSWORD, language)
    assert (body["message"] == WRONG_PASSWORD) == (language == "en")
    assert response["Content-Language"] == language
    assert "Accept-Language" in response["Vary"]


def test_a_regional_variant_counts_as_its_language(anon_client, owner):
    response = anon_client.post(
        LOGIN, {"username": owner.username, "password": "x"}, HTTP_ACCEPT_LANGUAGE="fr-MA,ar;q=0.8"
    )

    assert response.json()["message"] == translated(WRONG_PASSWORD, "fr")


def test_a_caller_not_logged_in_naming_no_language_of_ours_reads_english(anon_client, owner):
    response = anon_client.post(
        LOGIN, {"username": owner.username, "password": "x"}, HTTP_ACCEPT_LANGUAGE="de-DE"
    )

    assert response.json()["message"] == WRONG_PASSWORD


def _named(business, staff_language: str):
    business.language = "fr"
    business.save()
    StaffMember.objects.filter(business=business).update(language=staff_language)


def _refusal(client, **headers) -> str:
    response = client.delete(NO_SUCH_STAFF, **headers)
    assert response.status_code == 404
    return response.json()["message"]


def test_accept_language_beats_the_staff_language_which_beats_the_business(business, manager):
    no_such = "No staff member named %(username)s in your business."
    client = client_for(manager)

    _named(business, staff_language="ar")
    assert _refusal(client, HTTP_ACCEPT_LANGUAGE="uz") == translated(no_such, "uz") % {
        "username": "\u2068nobody\u2069"
    }
    assert _refusal(client) == translated(no_such, "ar") % {"username": "\u2068nobody\u2069"}

    _named(business, staff_language="")
    assert _refusal(client) == translated(no_such, "fr") % {"username": "\u2068nobody\u2069"}


def test_me_shows_the_languages(business, cashier_client, cashier):
    business.language = "uz"
    business.save()

    me = cashier_client.get("/api/me/").json()
    assert (me["language"], me["reading_language"], me["business"]["language"]) == ("", "uz", "uz")

    StaffMember.objects.filter(user=cashier).update(language="ar")
    me = cashier_client.get("/api/me/").json()
    assert (me["language"], me["reading_language"]) == ("ar", "ar")


def test_codes_and_enum_values_stay_english_in_another_language(cashier_client):
    me = cashier_client.get("/api/me/", HTTP_ACCEPT_LANGUAGE="ar").json()

    assert me["role"] == "CASHIER"
    assert "business" in me


def test_the_schema_documents_accept_language_on_every_operation(anon_client):
    schema = anon_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()

    operations = [
        operation
        for path in schema["paths"].values()
        for method, operation in path.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]
    assert operations
    for operation in operations:
        headers = {
            parameter["name"]
            for parameter in operation.get("parameters", [])
            if parameter["in"] == "header"
        }
        assert "Accept-Language" in headers, operation["operationId"]


def test_seed_004_update_customer_stays_english_without_a_language(
    business, storefront, cashier, cashier_client
):
    customer = CustomerFactory(business=business, name="Fred Amugi")
    draft = SaleFactory(business=business, storefront=storefront, created_by=cashier)
    url = f"/sales/api/sales/{draft.pk}/update_customer/"

    updated = cashier_client.post(url, {"customer": str(customer.pk)}).json()
    missing = cashier_client.post(url, {}).json()
    business.language = "fr"
    business.save()
    asked_in_english = cashier_client.post(url, {}, HTTP_ACCEPT_LANGUAGE="en").json()

    assert updated["message"] == "Customer updated successfully to Fred Amugi"
    assert missing["message"] == "Please provide a customer UUID in the request body"
    assert asked_in_english["message"] == "Please provide a customer UUID in the request body"


def test_the_language_of_one_request_does_not_stay_for_the_next(anon_client, owner):
    anon_client.post(
        LOGIN, {"username": owner.username, "password": "x"}, HTTP_ACCEPT_LANGUAGE="ar"
    )

    assert translation.get_language() == "en"
    assert (
        anon_client.post(LOGIN, {"username": owner.username, "password": "x"}).json()["message"]
        == WRONG_PASSWORD
    )
