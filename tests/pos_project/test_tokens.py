"""API keys: sent as `Token <key>` or `Bearer <key>`, and revoked by logging out (a manager
revoking another's key: tests/staff/test_key_revoke.py)."""

import pytest
from rest_framework.test import APIClient

from tests.conftest import client_for
from tests.contracts import assert_error
from tests.factories.kernel import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN = "/api/auth/token/"


def _with(keyword: str, key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{keyword} {key}")
    return client


def _key(user) -> str:
    client_for(user)
    return user.auth_token.key


@pytest.mark.parametrize("keyword", ["Token", "Bearer", "bearer", "token"])
def test_either_keyword_carries_the_same_key(cashier, keyword):
    response = _with(keyword, _key(cashier)).get("/api/me/")

    assert response.status_code == 200
    assert response.json()["username"] == cashier.username


@pytest.mark.parametrize("header", ["Basic abc", "Bearer", "Bearer a b", "Bearer unknown"])
def test_anything_else_is_a_401(cashier, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)

    assert_error(client.get("/api/me/"), 401)


def test_the_schema_names_both_ways_of_sending_the_key(anon_client):
    schema = anon_client.get("/api/schema/?format=json").json()

    schemes = schema["components"]["securitySchemes"]
    assert schemes["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schemes["bearerAuth"]["description"],
    }
    assert "Bearer <key>" in schemes["tokenAuth"]["description"]
    assert {"bearerAuth": []} in schema["paths"]["/api/me/"]["get"]["security"]


def test_logging_out_revokes_the_key_and_logging_in_gives_a_new_one(cashier):
    key = _key(cashier)
    till = _with("Bearer", key)

    logged_out = till.delete(TOKEN)
    after = till.get("/api/me/")
    again = APIClient().post(
        TOKEN, {"username": cashier.username, "password": PASSWORD}, format="json"
    )

    assert logged_out.status_code == 204
    assert_error(after, 401)
    assert again.status_code == 200 and again.json()["token"] != key


def test_logging_out_without_a_key_is_a_401(anon_client):
    assert_error(anon_client.delete(TOKEN), 401)
