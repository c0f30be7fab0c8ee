"""Hostile request bodies: nesting deep enough to crash a parser, bodies too big to read,
and values the database cannot store. Each answers a 4xx in the error format."""

import io
import logging

import pytest
from django.db import DataError
from django.test import RequestFactory
from django.urls import reverse

from pos_project.middleware import RequestBodyLimitMiddleware
from staff.api.views import TokenView
from tests.contracts import assert_error
from tests.factories.customers import CustomerFactory
from tests.factories.sales import SaleFactory

DEEPLY_NESTED = "[" * 1200 + "]" * 1200


@pytest.fixture
def targets(business, storefront, cashier):
    customer = CustomerFactory(business=business)
    sale = SaleFactory(business=business, storefront=storefront, created_by=cashier)
    return {
        "token": reverse("auth-token"),
        "customers": reverse("customer-list"),
        "record_payment": reverse("customer-record-payment", kwargs={"pk": customer.pk}),
        "complete": reverse("sale-complete", kwargs={"pk": sale.pk}),
    }


@pytest.mark.parametrize("target", ["token", "customers", "record_payment", "complete"])
def test_attack_deeply_nested_json_is_a_400_not_a_recursion_crash(cashier_client, targets, target):
    response = cashier_client.post(
        targets[target], data=DEEPLY_NESTED, content_type="application/json"
    )
    body = assert_error(response, 400, "Malformed request body")
    assert "nested" in body["message"]


def test_attack_oversized_body_is_a_413_before_login(anon_client, db, settings):
    settings.MAX_REQUEST_BODY_BYTES = 1024
    payload = '{"username": "x", "password": "' + "a" * 2048 + '"}'
    response = anon_client.post(
        reverse("auth-token"), data=payload, content_type="application/json"
    )
    body = assert_error(response, 413, "Request body too large")
    assert body["limit_bytes"] == 1024


def test_the_default_limit_is_one_megabyte(settings):
    assert settings.MAX_REQUEST_BODY_BYTES == 1024 * 1024


def test_a_body_within_the_limit_is_read(anon_client, db, settings):
    settings.MAX_REQUEST_BODY_BYTES = 1024
    response = anon_client.post(reverse("auth-token"), {"username": "x", "password": "y"})
    assert_error(response, 400, "Invalid credentials")


def test_attack_body_longer_than_its_declared_length_is_cut_off_while_it_is_read(db, settings):
    """A server may hand over a stream longer than its Content-Length says: reading stops
    one byte past the limit and the API answers 413."""
    settings.MAX_REQUEST_BODY_BYTES = 1024
    endless = io.BytesIO(b'{"username": "' + b"a" * 10_000_000 + b'"}')
    request = RequestFactory().post(
        reverse("auth-token"), content_type="application/json", CONTENT_LENGTH="100"
    )
    request._stream = endless

    response = RequestBodyLimitMiddleware(TokenView.as_view())(request)

    assert response.status_code == 413
    assert response.data["error"] == "Request body too large"
    assert endless.tell() <= 1025


def test_attack_a_value_the_database_cannot_store_is_a_400_and_logged(
    cashier_client, monkeypatch, caplog
):
    from pos_project.api import views

    def overflow(*args, **kwargs):
        raise DataError("numeric field overflow")

    monkeypatch.setattr(views.MeSerializer, "to_representation", overflow)
    with caplog.at_level(logging.WARNING, logger="pos_project.exceptions"):
        body = assert_error(cashier_client.get("/api/me/"), 400, "Value out of range")
    assert "numeric field overflow" not in str(body)
    assert "numeric field overflow" in caplog.text


def test_a_form_body_is_read_through_the_limit(client, manager):
    """The admin's login form arrives URL-encoded: Django reads it whole, then closes it."""
    response = client.post(
        "/admin/login/",
        data=f"username={manager.username}&password=wrong",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()
