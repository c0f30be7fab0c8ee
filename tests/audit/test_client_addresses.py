"""A client's address is hashed exactly as the database stores it, so every notation a proxy
may forward (IPv4, IPv6, IPv4-mapped IPv6) leaves a chain that verifies."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from audit.models import AuditLog
from audit.verification import verify_chain
from pos_project.actors import Actor
from tests.audit.entries import record

pytestmark = pytest.mark.django_db

PROXY = "10.9.9.9"


@pytest.mark.parametrize(
    ("forwarded", "stored"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8::1", "2001:db8::1"),
        ("2001:DB8:0:0:0:0:0:1", "2001:db8::1"),
        ("::ffff:10.0.0.5", "::ffff:10.0.0.5"),
        ("::ffff:a00:5", "::ffff:10.0.0.5"),
    ],
    ids=["ipv4", "ipv6", "ipv6-long-form", "ipv4-mapped", "ipv4-mapped-hex"],
)
def test_an_address_through_a_trusted_proxy_verifies(manager_client, business, forwarded, stored):
    # given a client behind a trusted proxy that forwards its address
    with override_settings(TRUSTED_PROXIES=[PROXY]):
        response = manager_client.post(
            reverse("customer-list"),
            {"name": "Fatima Zahra", "phone": "+212612345678"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=forwarded,
        )
    assert response.status_code == 201, response.json()
    # then the entry holds the address as the column stores it, and the chain verifies
    entry = AuditLog.objects.get(business=business)
    assert entry.ip_address == stored
    out = StringIO()
    call_command("verify_audit_log", stdout=out)
    assert "1 entry checked, chain intact" in out.getvalue()


def test_the_entry_returned_holds_what_was_stored(business):
    # given an actor whose address is written in a notation the column does not keep
    entry = record(business, actor=Actor(user=None, name="Till", ip_address="::ffff:a00:5"))
    stored = AuditLog.objects.get(pk=entry.pk)
    assert entry.ip_address == stored.ip_address == "::ffff:10.0.0.5"
    assert verify_chain(business).intact
