"""Password guessing at POST /api/auth/token/: counted per real client address and per
username, in a cache every worker process shares."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.urls import reverse

from tests.contracts import assert_error
from tests.factories.kernel import PASSWORD

PROXY = "10.0.0.2"


@pytest.fixture(autouse=True)
def shared_cache(db, settings):
    """Counts kept where a server keeps them: the database cache (made by a migration)."""
    settings.CACHES = settings.SHARED_CACHES
    assert caches["default"].__class__.__name__ == "DatabaseCache"


def _guess(client, username, *, address="192.0.2.10", forwarded=None, password="wrong"):
    headers = {"REMOTE_ADDR": address}
    if forwarded:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(
        reverse("auth-token"), {"username": username, "password": password}, **headers
    )


def test_attack_a_new_forwarded_for_on_every_attempt_does_not_reset_the_count(anon_client, cashier):
    statuses = [
        _guess(anon_client, cashier.username, forwarded=f"198.51.100.{i}").status_code
        for i in range(12)
    ]
    assert statuses == [400] * 10 + [429] * 2


def test_behind_a_trusted_proxy_each_client_is_counted_on_its_own(anon_client, settings):
    settings.TRUSTED_PROXIES = [PROXY]

    def guess(number, client_address):
        return _guess(
            anon_client, f"nobody{number}", address=PROXY, forwarded=client_address
        ).status_code

    assert [guess(number, "203.0.113.7") for number in range(11)] == [400] * 10 + [429]
    assert guess(11, "203.0.113.8") == 400


def test_attack_many_addresses_spraying_one_username_are_throttled(anon_client, cashier, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    statuses = [
        _guess(
            anon_client, cashier.username, address=PROXY, forwarded=f"198.51.100.{i}"
        ).status_code
        for i in range(21)
    ]
    assert statuses == [400] * 20 + [429]
    body = assert_error(
        _guess(
            anon_client,
            cashier.username.upper(),
            address=PROXY,
            forwarded="198.51.100.99",
            password=PASSWORD,
        ),
        429,
        "Too many requests",
    )
    assert "seconds" in body["message"]
    # Another account from the same addresses is not held back.
    assert (
        _guess(anon_client, "someone-else", address=PROXY, forwarded="198.51.100.1").status_code
        == 400
    )


def test_attack_counts_kept_in_one_worker_are_seen_by_every_worker(anon_client, cashier):
    """Two workers used to count in their own memory, allowing twice the rate."""
    _guess(anon_client, cashier.username)

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT cache_key FROM {settings.CACHE_TABLE}")
        stored = [row[0] for row in cursor.fetchall()]
    assert any("login" in key for key in stored), stored
    another_worker = caches.create_connection("default")
    assert any(another_worker.get(key.split(":", 2)[-1]) for key in stored)


def test_the_cache_is_redis_when_redis_url_is_set():
    code = "from django.conf import settings; print(settings.SHARED_CACHES['default']['BACKEND'])"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=Path(settings.BASE_DIR),
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "pos_project.test_settings",
            "REDIS_URL": "redis://cache.internal:6379/0",
        },
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "django.core.cache.backends.redis.RedisCache"
