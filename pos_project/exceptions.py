"""One error shape for the whole API.

Services raise `DomainError`; DRF and Django raise their own exceptions. The handler below
turns all of them into a JSON body with `error` (short) and `message` (what to do), plus
details, so no view builds an error dict by hand.
"""

import logging

import structlog
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import OperationalError
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from pos_project.permissions import staff_of

logger = logging.getLogger(__name__)
refusals = structlog.get_logger("pos.refusals")


class DomainError(Exception):
    """A business rule refused a change.

    `code` is a stable, machine-readable identifier (`credit_limit_exceeded`); `error` and
    `message` are for people. `details` are merged into the body. Bodies fixed word for word
    by a contract (seed 004) are raised with `code=None`, so the body is exactly theirs.
    """

    def __init__(
        self,
        error: str,
        message: str,
        *,
        code: str | None,
        status_code: int = status.HTTP_400_BAD_REQUEST,
        **details,
    ):
        super().__init__(error)
        self.error = error
        self.message = message
        self.code = code
        self.status_code = status_code
        self.details = details

    def body(self) -> dict:
        body = {"error": self.error}
        if self.code:
            body["code"] = self.code
        body.update(self.details)
        body["message"] = self.message
        return body


class Conflict(DomainError):
    def __init__(self, error: str, message: str, *, code: str, **details):
        super().__init__(error, message, code=code, status_code=status.HTTP_409_CONFLICT, **details)


class NotFound(DomainError):
    def __init__(self, error: str, message: str, *, code: str | None, **details):
        super().__init__(
            error, message, code=code, status_code=status.HTTP_404_NOT_FOUND, **details
        )


# What the client should do about each of DRF's own errors.
_DRF_MESSAGES = {
    exceptions.NotAuthenticated: (
        "Authentication required",
        "Send 'Authorization: Token <key>'; get a key from POST /api/auth/token/.",
    ),
    exceptions.AuthenticationFailed: (
        "Invalid token",
        "The token is malformed, unknown or revoked. Log in again at POST /api/auth/token/.",
    ),
    exceptions.PermissionDenied: (
        "Permission denied",
        "Your role does not allow this action. Ask a manager or the owner.",
    ),
    exceptions.NotFound: ("Not found", "Check the id or address; it does not exist here."),
    exceptions.MethodNotAllowed: (
        "Method not allowed",
        "Use one of the methods listed in the Allow header.",
    ),
    exceptions.ParseError: ("Malformed request body", "Send a valid JSON body."),
    exceptions.UnsupportedMediaType: (
        "Unsupported media type",
        "Send the body as application/json.",
    ),
    exceptions.NotAcceptable: (
        "Not acceptable",
        "Ask for application/json (or the format the endpoint documents).",
    ),
    exceptions.Throttled: ("Too many requests", "Wait before trying again."),
}


def _flatten(detail):
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_flatten(item) for item in detail]
    return str(detail)


def error_body(error: str, message: str, **details) -> dict:
    return {"error": error, **details, "message": message}


# Database errors that mean "busy, try again", by SQLSTATE: the change was rolled back whole.
_BUSY_SQLSTATES = {"55P03": "lock_timeout", "40P01": "deadlock", "40001": "serialization_failure"}


def busy_refusal(exc) -> DomainError | None:
    """A lock timeout or deadlock as the 503 a till can retry; None for any other error."""
    if not isinstance(exc, OperationalError):
        return None
    code = _BUSY_SQLSTATES.get(getattr(exc.__cause__, "sqlstate", None))
    if code is None and "database is locked" in str(exc):
        code = "lock_timeout"
    if code is None:
        return None
    return DomainError(
        "Busy",
        "Another till is changing the same records; nothing was changed. Try again.",
        code=code,
        status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
    )


def api_exception_handler(exc, context):
    exc = busy_refusal(exc) or exc
    if isinstance(exc, DomainError):
        staff = staff_of(getattr(context.get("request"), "user", None))
        refusals.info(
            "refused",
            code=exc.code or "contract_error",
            error=exc.error,
            status=exc.status_code,
            business=str(staff.business_id) if staff else None,
        )
        return Response(exc.body(), status=exc.status_code)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        if not isinstance(fields, dict):
            fields = {"non_field_errors": fields}
        body = error_body(
            "Invalid input",
            "Correct the fields listed in 'fields' and send the request again.",
            fields=fields,
        )
        return Response(body, status=exc.status_code)

    if isinstance(exc, exceptions.APIException):
        response = drf_exception_handler(exc, context)
        error, message = next(
            (texts for kind, texts in _DRF_MESSAGES.items() if isinstance(exc, kind)),
            ("Request failed", str(exc.detail)),
        )
        detail = str(exc.detail) if not isinstance(exc.detail, (dict, list)) else None
        # DRF's own wording is often more specific ("No staff membership", "Invalid page.").
        if detail and detail not in (str(type(exc).default_detail),):
            message = detail
        if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
            message = f"Too many attempts. Try again in {int(exc.wait) + 1} seconds."
        response.data = error_body(error, message)
        return response

    logger.exception("Unhandled error in %s", context.get("view"))
    response = Response(
        error_body(
            "Internal error",
            "Something went wrong on our side and nothing was changed. Try again; if it keeps "
            "happening, contact support.",
        ),
        status=status.HTTP_500_INTERNAL_SERVER_ERROR,
    )
    # Logged above with its traceback; Django's own line would say it again without one.
    response._has_been_logged = True
    return response


def json_not_found(request, exception=None):
    return JsonResponse(
        error_body("Not found", "There is nothing at this address. See /api/docs/."), status=404
    )


def json_server_error(request):
    return JsonResponse(
        error_body(
            "Internal error",
            "Something went wrong on our side and nothing was changed. Try again later.",
        ),
        status=500,
    )


def json_bad_request(request, exception=None):
    return JsonResponse(
        error_body("Bad request", "The request could not be understood."), status=400
    )


def json_permission_denied(request, exception=None):
    return JsonResponse(error_body("Permission denied", "You may not open this page."), status=403)
