"""Prometheus metrics, served at /metrics when METRICS_ENABLED=1, to a scraper that sends
`Authorization: Bearer <METRICS_TOKEN>` from one of the METRICS_ALLOWED addresses (the
client's address as `client_ip` finds it, behind a trusted proxy the forwarded one).

Under gunicorn with several workers, set PROMETHEUS_MULTIPROC_DIR to an empty folder so every
worker's figures are added up (prometheus_client's multiprocess mode).
"""

import hmac
import ipaddress
import os
from contextlib import contextmanager

from django.conf import settings
from django.http import HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from rest_framework.exceptions import ValidationError

from pos_project.actors import client_ip
from pos_project.errors import DomainError
from pos_project.exceptions import busy_refusal, json_not_found

REQUESTS = Counter(
    "pos_http_requests",
    "HTTP requests answered, by route and status.",
    ["route", "method", "status"],
)
LATENCY = Histogram(
    "pos_http_request_duration_seconds",
    "Time to answer a request, by route.",
    ["route", "method"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
STATEMENTS = Counter(
    "pos_db_statements", "Database statements run while answering requests, by route.", ["route"]
)
CHECKOUTS = Counter(
    "pos_checkouts",
    "Sale completions: completed, or refused with the refusal's code as reason.",
    ["outcome", "reason"],
)


def observe_request(*, route: str, method: str, status: int, seconds: float, statements: int):
    REQUESTS.labels(route, method, str(status)).inc()
    LATENCY.labels(route, method).observe(seconds)
    STATEMENTS.labels(route).inc(statements)


@contextmanager
def counting_outcome(counter: Counter):
    """Count the block as completed, or as refused with the refusal's code."""
    try:
        yield
    except DomainError as refusal:
        counter.labels("refused", str(refusal.code or "invalid_input")).inc()
        raise
    except ValidationError:
        counter.labels("refused", "invalid_input").inc()
        raise
    except Exception as error:
        busy = busy_refusal(error)
        if busy is not None:
            counter.labels("refused", str(busy.code)).inc()
        raise
    counter.labels("completed", "").inc()


def _allowed(address: str | None) -> bool:
    try:
        client = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    allowed = settings.METRICS_ALLOWED
    return any(client in ipaddress.ip_network(network, strict=False) for network in allowed)


def _bearer_matches(request) -> bool:
    token = settings.METRICS_TOKEN
    scheme, _, sent = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if not token or scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(sent.strip().encode(), token.encode())


def metrics_view(request):
    # Off, without the token, or asked from elsewhere: answered exactly like an address
    # that does not exist, so a prober learns nothing about it.
    if not (settings.METRICS_ENABLED and _bearer_matches(request) and _allowed(client_ip(request))):
        return json_not_found(request)
    registry = REGISTRY
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
