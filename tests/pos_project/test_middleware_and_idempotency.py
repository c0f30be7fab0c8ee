"""The admin's time zone, and what an Idempotency-Key may contain."""

import pytest
from django.test import RequestFactory
from django.utils import timezone

from pos_project.middleware import BusinessTimeZoneMiddleware
from tests.contracts import assert_error
from tests.factories.customers import CustomerFactory


def _zone_seen(user, path):
    seen = {}

    def view(request):
        seen["zone"] = timezone.get_current_timezone_name()

    request = RequestFactory().get(path)
    request.user = user
    BusinessTimeZoneMiddleware(view)(request)
    return seen["zone"]


def test_admin_pages_use_the_business_time_zone(manager, business):
    business.time_zone = "Africa/Casablanca"
    business.save()
    assert _zone_seen(manager, "/admin/sales/sale/") == "Africa/Casablanca"
    assert timezone.get_current_timezone_name() == "UTC"


def test_the_api_keeps_utc(manager):
    assert _zone_seen(manager, "/api/me/") == "UTC"


@pytest.mark.parametrize("key", ["nul\x00byte", "tab\tinside", "é-accent", "x" * 256])
def test_unusable_idempotency_keys_are_refused(manager_client, business, key):
    customer = CustomerFactory(business=business)
    response = manager_client.post(
        f"/customers/api/customers/{customer.id}/record_payment/",
        {"amount": "1.00", "method": "CASH", "allow_overpayment": True},
        HTTP_IDEMPOTENCY_KEY=key,
    )
    assert_error(response, 400, "Invalid Idempotency-Key")
