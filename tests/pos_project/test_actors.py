import pytest
from django.test import RequestFactory, override_settings

from pos_project.actors import client_ip


@pytest.mark.parametrize(
    ("remote", "forwarded", "trusted", "expected"),
    [
        ("203.0.113.9", "", [], "203.0.113.9"),
        # A spoofed header from an untrusted peer is ignored.
        ("203.0.113.9", "10.0.0.1", [], "203.0.113.9"),
        # Behind a trusted proxy, the right-most untrusted hop is the client.
        ("10.0.0.2", "198.51.100.7", ["10.0.0.2"], "198.51.100.7"),
        ("10.0.0.2", "1.1.1.1, 198.51.100.7, 10.0.0.3", ["10.0.0.2", "10.0.0.3"], "198.51.100.7"),
        ("10.0.0.2", "garbage", ["10.0.0.2"], "10.0.0.2"),
        ("not-an-ip", "", [], None),
    ],
)
def test_client_ip_trusts_forwarded_for_only_from_trusted_proxies(
    remote, forwarded, trusted, expected
):
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(TRUSTED_PROXIES=trusted):
        assert client_ip(request) == expected
