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
