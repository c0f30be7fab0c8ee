"""Error answers: a page in the back office's look for people, JSON for the API."""

import pytest
from django.test import Client, RequestFactory, override_settings

from pos_project.error_pages import server_error
from tests.conftest import admin_client_for

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=False)
def test_a_mistyped_back_office_address_is_a_page_with_a_way_back(manager):
    client = admin_client_for(manager)

    response = client.get("/admin/customers/custmer/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "Page not found" in page
    assert 'href="/admin/"' in page and "Pharmacy back office" in page
    assert '"error"' not in page


@override_settings(DEBUG=False)
def test_any_other_html_path_answers_a_page():
    response = Client().get("/nothing-here/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert "Page not found" in response.content.decode()


@override_settings(DEBUG=False)
@pytest.mark.parametrize(
    "path", ["/customers/api/nothing/", "/api/nothing/", "/sales/api/sales/nothing/x/"]
)
def test_api_paths_answer_json(path):
    response = Client().get(path)

    assert response.status_code in (401, 404)
    assert response["Content-Type"].startswith("application/json")
    assert "message" in response.json()


def test_a_crash_on_a_page_is_a_page_and_on_the_api_json():
    factory = RequestFactory()

    page = server_error(factory.get("/admin/customers/customer/"))
    api = server_error(factory.get("/customers/api/customers/"))

    assert page.status_code == api.status_code == 500
    assert page["Content-Type"].startswith("text/html")
    assert "Something went wrong" in page.content.decode()
    assert api["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("debug", [True, False])
@pytest.mark.parametrize(
    "path", ["/sales/api/nope/", "/sales/api/nope", "/api/nothing/", "/medicine/api/x/y/"]
)
def test_an_api_path_that_names_nothing_is_a_json_404_whatever_debug_says(
    settings, cashier_client, path, debug
):
    settings.DEBUG = debug

    response = cashier_client.get(path)

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert set(response.json()) == {"error", "message"}


@pytest.mark.parametrize("debug", [True, False])
def test_every_api_route_answers_alike_without_its_trailing_slash(
    settings, cashier_client, storefront, debug
):
    settings.DEBUG = debug

    created = cashier_client.post(
        "/sales/api/sales", {"storefront": str(storefront.pk), "type": "RETAIL"}, format="json"
    )
    sale = created.json()["id"]
    read = cashier_client.get(f"/sales/api/sales/{sale}?page_size=1")
    items = cashier_client.get(f"/sales/api/sales/{sale}/receipt")
    me = cashier_client.get("/api/me")

    assert created.status_code == 201
    assert read.status_code == 200 and read.json()["id"] == sale
    # A draft has no receipt: the sale's own refusal, not a redirect.
    assert items.status_code in (400, 409) and "message" in items.json()
    assert me.status_code == 200 and me.json()["username"]


def test_a_login_without_the_trailing_slash_is_answered_in_place(settings, cashier):
    settings.DEBUG = True

    response = Client().post(
        "/api/auth/token",
        {"username": cashier.username, "password": "wrong"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_credentials"
