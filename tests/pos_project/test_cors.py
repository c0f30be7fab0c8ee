"""A browser front end on another origin: preflights, grants and what a client may read."""

import pytest

FRONT_END = "http://localhost:3000"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _front_end_allowed(settings):
    settings.CORS_ALLOWED_ORIGINS = [FRONT_END]


def preflight(client, path, *, origin=FRONT_END, method="PATCH", headers="authorization"):
    return client.options(
        path,
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD=method,
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS=headers,
    )


def test_a_preflight_is_answered_before_authentication(anon_client):
    response = preflight(
        anon_client,
        "/sales/api/sales/00000000-0000-4000-8000-000000000000/update_customer/",
        headers="authorization,content-type,idempotency-key",
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == FRONT_END
    allowed_methods = set(response["Access-Control-Allow-Methods"].split(", "))
    assert {"GET", "POST", "PATCH", "DELETE"} <= allowed_methods
    allowed_headers = set(response["Access-Control-Allow-Headers"].split(", "))
    assert allowed_headers == {"authorization", "content-type", "idempotency-key"}


def test_an_answer_exposes_the_headers_a_client_reads(cashier_client):
    response = cashier_client.get("/api/me/", HTTP_ORIGIN=FRONT_END)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == FRONT_END
    exposed = {name.strip() for name in response["Access-Control-Expose-Headers"].split(",")}
    assert exposed == {"Idempotent-Replayed", "Content-Disposition", "X-Request-ID"}


def test_an_origin_not_listed_gets_no_grant(anon_client, cashier_client):
    response = preflight(anon_client, "/api/me/", origin="http://evil.example", method="GET")
    assert "Access-Control-Allow-Origin" not in response
    answer = cashier_client.get("/api/me/", HTTP_ORIGIN="http://localhost:3001")
    assert "Access-Control-Allow-Origin" not in answer


@pytest.mark.parametrize("path", ["/admin/login/", "/healthz"])
def test_only_the_api_is_covered(anon_client, path):
    response = anon_client.get(path, HTTP_ORIGIN=FRONT_END)
    assert "Access-Control-Allow-Origin" not in response


def test_no_origin_is_allowed_by_default(anon_client, settings):
    settings.CORS_ALLOWED_ORIGINS = []
    response = preflight(anon_client, "/api/me/", method="GET")
    assert "Access-Control-Allow-Origin" not in response
