"""One log line per request, with its id, and the request metrics.

The id comes from `X-Request-ID` when a trusted proxy (`TRUSTED_PROXIES`) sends one, so a
line here matches the proxy's own; otherwise it is generated. Either way it is bound to every
line logged while the request runs and returned in the response's `X-Request-ID` header.
"""

import re
import time
import uuid

import structlog
from django.conf import settings
from django.db import connection
from django.utils.functional import SimpleLazyObject, empty

from pos_project.metrics import observe_request
from pos_project.permissions import staff_of

REQUEST_ID_HEADER = "X-Request-ID"
_ACCEPTED_ID = re.compile(r"^[A-Za-z0-9._:@/+=-]{1,128}$")

logger = structlog.get_logger("pos.requests")


class StatementCounter:
    """A database execute wrapper that counts the statements a request runs."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = _request_id(request)
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        statements = StatementCounter()
        started = time.perf_counter()
        with connection.execute_wrapper(statements):
            response = self.get_response(request)
        seconds = time.perf_counter() - started
        route = _route(request)
        fields = {
            "method": request.method,
            "route": route,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": round(seconds * 1000, 1),
            "statements": statements.count,
            **_caller(request),
        }
        if response.status_code >= 500:
            logger.error("request", **fields)
        elif seconds * 1000 > settings.SLOW_REQUEST_MS:
            logger.warning("slow_request", threshold_ms=settings.SLOW_REQUEST_MS, **fields)
        else:
            logger.info("request", **fields)
        observe_request(
            route=route,
            method=request.method,
            status=response.status_code,
            seconds=seconds,
            statements=statements.count,
        )
        response[REQUEST_ID_HEADER] = request_id
        structlog.contextvars.clear_contextvars()
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Lines logged by the view itself (a refusal, a traceback) name the route too.
        structlog.contextvars.bind_contextvars(route=_route(request))


def _request_id(request) -> str:
    sent = request.headers.get(REQUEST_ID_HEADER, "")
    if request.META.get("REMOTE_ADDR") in settings.TRUSTED_PROXIES and _ACCEPTED_ID.match(sent):
        return sent
    return uuid.uuid4().hex


def _route(request) -> str:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match is not None else "unmatched"


def _caller(request) -> dict:
    """The user and business, when the request already looked them up: logging never costs
    a query of its own."""
    user = getattr(request, "user", None)
    if user is None or (isinstance(user, SimpleLazyObject) and user._wrapped is empty):
        return {}
    staff = staff_of(user) if _staff_loaded(user) else None
    return {
        "user": user.get_username() or None,
        "business": str(staff.business_id) if staff else None,
    }


def _staff_loaded(user) -> bool:
    descriptor = getattr(type(user), "staff_member", None)
    return descriptor is not None and descriptor.related.is_cached(user)
