"""Auth, the caller's own endpoints, health, and the error format for malformed requests."""

import re

import pytest

from pos_project.models import Role
from tests.contracts import assert_error
from tests.factories.kernel import PASSWORD, StaffMemberFactory, StorefrontFactory, UserFactory


class TestToken:
    def test_valid_credentials_get_a_token_that_works(self, anon_client, cashier):
        response = anon_client.post(
            "/api/auth/token/", {"username": cashier.username, "password": PASSWORD}
        )
        assert response.status_code == 200
        anon_client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
        assert anon_client.get("/api/me/").json()["username"] == cashier.username

    def test_wrong_password_is_refused(self, anon_client, cashier):
        response = anon_client.post(
            "/api/auth/token/", {"username": cashier.username, "password": "nope"}
        )
        assert_error(response, 400, "Invalid credentials")

    def test_user_without_staff_membership_is_refused_a_token(self, anon_client, db):
        user = UserFactory()
        response = anon_client.post(
            "/api/auth/token/", {"username": user.username, "password": PASSWORD}
        )
        assert_error(response, 403, "No staff membership")

    def test_password_guessing_is_throttled(self, anon_client, cashier):
        statuses = [
            anon_client.post(
                "/api/auth/token/", {"username": cashier.username, "password": f"guess{i}"}
            ).status_code
            for i in range(12)
        ]
        assert statuses[:10] == [400] * 10
        body = assert_error(
            anon_client.post(
                "/api/auth/token/", {"username": cashier.username, "password": PASSWORD}
            ),
            429,
            "Too many requests",
        )
        assert "seconds" in body["message"]

    def test_missing_fields_name_them(self, anon_client, db):
        body = assert_error(anon_client.post("/api/auth/token/", {}), 400, "Invalid input")
        assert set(body["fields"]) == {"username", "password"}


class TestMe:
    def test_me_shows_role_business_and_currency(self, manager_client, manager, business):
        body = manager_client.get("/api/me/").json()
        assert body["username"] == manager.username
        assert body["role"] == Role.MANAGER
        assert body["is_manager"] is True
        assert body["business"]["id"] == str(business.id)
        assert body["business"]["currency_code"] == "MAD"
        assert body["business"]["currency_symbol"] == "DH"

    def test_storefronts_are_the_callers_business_only(
        self, cashier_client, storefront, other_storefront
    ):
        body = cashier_client.get("/api/storefronts/").json()
        assert body["count"] == 1
        assert body["results"][0]["id"] == str(storefront.id)

    def test_storefront_list_query_count_is_flat(
        self, cashier_client, business, django_assert_max_num_queries
    ):
        from tests.contracts import assert_flat_queries

        def grow(n):
            while business.storefronts.count() < n:
                StorefrontFactory(business=business)

        assert_flat_queries(
            django_assert_max_num_queries, lambda: cashier_client.get("/api/storefronts/"), grow
        )

    def test_page_size_is_capped(self, cashier_client, business):
        for _ in range(3):
            StorefrontFactory(business=business)
        body = cashier_client.get("/api/storefronts/?page_size=1000").json()
        assert body["count"] == 3 and len(body["results"]) == 3


class TestErrors:
    def test_no_token_is_401_with_the_error_body(self, anon_client, db):
        assert_error(anon_client.get("/api/me/"), 401, "Authentication required")

    @pytest.mark.parametrize(
        "header", ["Token", "Token a b", "Token nonexistent", "Bearer x", "Bearer a b"]
    )
    def test_malformed_or_unknown_tokens_are_401(self, anon_client, db, header):
        anon_client.credentials(HTTP_AUTHORIZATION=header)
        response = anon_client.get("/api/me/")
        assert_error(response, 401, "Invalid token")

    def test_another_scheme_is_no_token_at_all(self, anon_client, db):
        anon_client.credentials(HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz")
        assert_error(anon_client.get("/api/me/"), 401, "Authentication required")

    def test_inactive_user_token_is_refused(self, cashier_client, cashier):
        cashier.is_active = False
        cashier.save()
        assert_error(cashier_client.get("/api/me/"), 401, "Invalid token")

    def test_bad_json_is_400(self, anon_client, db):
        response = anon_client.post(
            "/api/auth/token/", data="{not json", content_type="application/json"
        )
        assert_error(response, 400, "Malformed request body")

    def test_form_encoding_is_415(self, anon_client, db):
        response = anon_client.post("/api/auth/token/", data={"username": "x"}, format="multipart")
        assert_error(response, 415, "Unsupported media type")

    def test_wrong_method_is_405(self, cashier_client):
        assert_error(cashier_client.delete("/api/me/"), 405, "Method not allowed")

    def test_unknown_url_is_a_json_404(self, cashier_client):
        assert_error(cashier_client.get("/api/nothing-here/"), 404, "Not found")

    def test_unknown_page_is_404(self, cashier_client, storefront):
        assert_error(cashier_client.get("/api/storefronts/?page=99"), 404)

    def test_unexpected_failure_is_a_generic_500(self, cashier_client, monkeypatch):
        from pos_project.api import views

        def explode(*args, **kwargs):
            raise RuntimeError("secret internals")

        monkeypatch.setattr(views.MeSerializer, "to_representation", explode)
        body = assert_error(cashier_client.get("/api/me/"), 500, "Internal error")
        assert "secret" not in str(body)


class TestPublicEndpoints:
    def test_healthz_checks_the_database(self, client, db):
        response = client.get("/healthz")
        assert response.status_code == 200
        assert response.json() == {"status": "ok", "database": "ok"}

    @pytest.mark.parametrize("page", ["/api/docs/", "/api/redoc/"])
    def test_schema_and_docs_load_nothing_from_elsewhere(self, client, db, page):
        assert client.get("/api/schema/").status_code == 200
        html = client.get(page).content.decode()

        # Every script, style sheet, font and image comes from this server: the pages work
        # offline and tell no third party who reads them.
        links = re.findall(r"""(?:src|href)\s*=\s*["']([^"']*)""", html)
        assert links and all(re.match(r"/(?!/)|#", link) for link in links), links
        assert not re.search(r"""url\(\s*["']?(?:https?:)?//""", html)
        assert "/static/drf_spectacular_sidecar/" in html


def test_a_second_staff_member_reads_only_its_business(client, business, other_business):
    staff = StaffMemberFactory(business=other_business)
    from tests.conftest import client_for

    body = client_for(staff.user).get("/api/me/").json()
    assert body["business"]["id"] == str(other_business.id)


@pytest.mark.parametrize(
    "query",
    [
        "until=9999-12-31T23:59:59-12:00",
        "since=0001-01-01T00:00:00%2B05:00",
        "since=not-a-date",
    ],
)
def test_out_of_range_date_times_are_refused_not_crashed(manager_client, query):
    body = assert_error(manager_client.get(f"/sales/api/audit-logs/?{query}"), 400, "Invalid input")
    assert "since" in body["fields"] or "until" in body["fields"]


def test_offsets_the_database_cannot_store_are_converted_to_utc(manager_client):
    response = manager_client.get("/sales/api/audit-logs/?until=3467-10-04T19:38:21%2B17:46")
    assert response.status_code == 200
