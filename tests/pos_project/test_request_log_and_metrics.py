"""Request lines with their id, slow requests, server errors, JSON rendering, /metrics."""

import io
import json
import logging
import os
import subprocess
import sys

import pytest
import structlog
from django.conf import settings
from django.db import OperationalError
from django.test import Client, override_settings
from prometheus_client import REGISTRY

from pos_project.api.views import MeView
from pos_project.logs import logging_settings


def _lines(caplog, logger_name="pos.requests"):
    return [record for record in caplog.records if record.name == logger_name]


def test_a_request_id_is_generated_and_returned_when_no_proxy_sends_one(owner_client, caplog):
    response = owner_client.get("/api/me/", HTTP_X_REQUEST_ID="chosen-by-the-client")

    request_id = response["X-Request-ID"]
    assert request_id != "chosen-by-the-client" and len(request_id) == 32
    (line,) = _lines(caplog)
    assert line.msg["request_id"] == request_id and line.msg["route"] == "me"


def test_a_trusted_proxys_request_id_is_kept(owner_client, caplog):
    with override_settings(TRUSTED_PROXIES=["127.0.0.1"]):
        response = owner_client.get("/api/me/", HTTP_X_REQUEST_ID="edge-7f3a")

    assert response["X-Request-ID"] == "edge-7f3a"
    assert _lines(caplog)[0].msg["request_id"] == "edge-7f3a"


def test_a_malformed_request_id_from_a_trusted_proxy_is_replaced(owner_client):
    with override_settings(TRUSTED_PROXIES=["127.0.0.1"]):
        response = owner_client.get("/api/me/", HTTP_X_REQUEST_ID="bad id\twith spaces")

    assert response["X-Request-ID"] != "bad id\twith spaces"


def test_a_slow_request_is_a_warning_with_its_statement_count(owner_client, caplog):
    with override_settings(SLOW_REQUEST_MS=0):
        owner_client.get("/api/me/")

    (line,) = _lines(caplog)
    assert line.levelname == "WARNING" and line.msg["event"] == "slow_request"
    assert line.msg["threshold_ms"] == 0 and line.msg["statements"] >= 1


def test_a_server_error_is_logged_at_error_with_its_traceback(owner_client, caplog, monkeypatch):
    def broken(self, request):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(MeView, "get", broken)

    response = owner_client.get("/api/me/")

    assert response.status_code == 500
    (traceback,) = _lines(caplog, "pos_project.exceptions")
    assert traceback.levelname == "ERROR" and traceback.exc_info[0] is RuntimeError
    (line,) = _lines(caplog)
    assert line.levelname == "ERROR" and line.msg["status"] == 500
    # Logged once with the traceback, not again by Django without it.
    assert not _lines(caplog, "django.request")


def test_a_lock_timeout_is_a_503_to_retry_logged_as_a_refusal(owner_client, caplog, monkeypatch):
    def waits_too_long(self, request):
        raise OperationalError("database is locked")

    monkeypatch.setattr(MeView, "get", waits_too_long)

    response = owner_client.get("/api/me/")

    assert response.status_code == 503
    assert response.json()["code"] == "lock_timeout"
    (refusal,) = _lines(caplog, "pos.refusals")
    assert refusal.levelname == "INFO" and refusal.msg["code"] == "lock_timeout"


def test_json_format_renders_one_object_per_line_with_the_request_context():
    config = logging_settings(json=True, level="INFO")["formatters"]["structured"]
    formatter = config["()"](
        processors=config["processors"], foreign_pre_chain=config["foreign_pre_chain"]
    )
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    logger = logging.getLogger("pos.test.json")
    logger.addHandler(handler)
    try:
        with structlog.contextvars.bound_contextvars(request_id="abc123"):
            structlog.get_logger("pos.test.json").info("request", status=200)
            logger.warning("from the standard library")
    finally:
        logger.removeHandler(handler)

    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first["event"] == "request" and first["status"] == 200
    assert first["request_id"] == second["request_id"] == "abc123"
    assert second["level"] == "warning" and second["event"] == "from the standard library"


def test_metrics_are_off_unless_enabled(db):
    response = Client().get("/metrics")

    assert response.status_code == 404 and response.json()["error"] == "Not found"


TOKEN = "scrape-token-" + "s" * 32
SCRAPER = {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}
SCRAPING = override_settings(METRICS_ENABLED=True, METRICS_TOKEN=TOKEN)


@SCRAPING
@override_settings(METRICS_ALLOWED=["10.0.0.0/8"])
def test_metrics_answer_only_allowed_addresses(db):
    assert Client().get("/metrics", **SCRAPER).status_code == 404
    assert Client(REMOTE_ADDR="10.1.2.3").get("/metrics", **SCRAPER).status_code == 200


@SCRAPING
@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Bearer wrong-token", f"Basic {TOKEN}", f"Bearer {TOKEN}x", TOKEN],
    ids=["none", "empty", "no-token", "wrong", "other-scheme", "longer", "no-scheme"],
)
def test_metrics_without_the_bearer_token_are_an_unknown_address(db, authorization):
    headers = {} if authorization is None else {"HTTP_AUTHORIZATION": authorization}

    # from the loopback, as every client is behind a proxy on the same host
    response = Client().get("/metrics", **headers)

    with override_settings(METRICS_ENABLED=False):
        off = Client().get("/metrics")
    assert response.status_code == 404
    assert response.json() == off.json()
    assert off.json()["error"] == "Not found"
    assert b"pos_http_requests_total" not in response.content


@SCRAPING
def test_metrics_with_the_bearer_token_from_the_loopback(db):
    response = Client().get("/metrics", HTTP_AUTHORIZATION=f"bearer  {TOKEN} ")

    assert response.status_code == 200
    assert b"pos_http_requests_total" in response.content


@SCRAPING
@override_settings(TRUSTED_PROXIES=["127.0.0.1"])
def test_behind_a_trusted_proxy_the_forwarded_address_must_be_allowed_too(db):
    outside = Client().get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.9", **SCRAPER)
    on_the_host = Client().get("/metrics", HTTP_X_FORWARDED_FOR="127.0.0.1", **SCRAPER)

    assert (outside.status_code, on_the_host.status_code) == (404, 200)


@SCRAPING
@override_settings(SECURE_SSL_REDIRECT=True, SECURE_REDIRECT_EXEMPT=[r"^healthz$", r"^metrics$"])
def test_plain_http_metrics_are_exempt_from_the_redirect_but_not_from_the_token(db):
    # the production settings (DEBUG=0): every other page is redirected to HTTPS
    assert Client().get("/api/me/").status_code == 301
    assert Client().get("/metrics").status_code == 404
    assert Client().get("/metrics", **SCRAPER).status_code == 200


@SCRAPING
def test_metrics_count_requests_latencies_and_statements_by_route(owner_client):
    labels = {"route": "me", "method": "GET", "status": "200"}
    before = REGISTRY.get_sample_value("pos_http_requests_total", labels) or 0
    owner_client.get("/api/me/")

    response = Client().get("/metrics", **SCRAPER)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert 'pos_http_requests_total{method="GET",route="me",status="200"}' in body
    assert REGISTRY.get_sample_value("pos_http_requests_total", labels) == before + 1
    assert 'pos_http_request_duration_seconds_bucket{le="0.01",method="GET",route="me"}' in body
    assert REGISTRY.get_sample_value("pos_db_statements_total", {"route": "me"}) > 0
    assert "# TYPE pos_checkouts_total counter" in body


def test_metrics_enabled_without_a_token_stops_the_server_from_starting():
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("METRICS_TOKEN", "DJANGO_SETTINGS_MODULE")
    }
    env.update(METRICS_ENABLED="1", DEBUG="1", ENV_FILE="")
    completed = subprocess.run(
        [sys.executable, "-c", "import pos_project.settings"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert completed.returncode != 0
    assert "METRICS_ENABLED=1 needs METRICS_TOKEN" in completed.stderr


@pytest.mark.parametrize("path", ["/healthz", "/no/such/page"])
def test_every_answer_carries_a_request_id(db, path):
    assert len(Client().get(path)["X-Request-ID"]) == 32
