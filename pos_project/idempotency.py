"""`Idempotency-Key` for POST actions that move money or stock.

A retry with the same key and body gets the first response and changes nothing; the same
key with another body is a 422; a retry while the first is still running is a 409. The key
is claimed in its own short transaction, so a concurrent retry sees it at once; the stored
response is written in the same transaction as the change itself, so a crash can never
leave a change without its key or a key claiming a change that rolled back.
"""

import functools
import hashlib
import json
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.response import Response

from pos_project.exceptions import DomainError
from pos_project.models import IdempotencyKey
from pos_project.tenancy import business_of

HEADER = "Idempotency-Key"
RETENTION = timedelta(hours=24)
# A claim older than this belongs to a request that died without finishing.
ABANDONED_AFTER = timedelta(minutes=2)
MAX_KEY_LENGTH = 255

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    name=HEADER,
    type=str,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "Any unique string (a UUID is ideal). A retry with the same key and body returns the "
        "first response without repeating the change; the same key with a different body is "
        "422; a retry while the first request is still running is 409. Kept 24 hours."
    ),
)


def _fingerprint(request) -> str:
    canonical = json.dumps(
        {"method": request.method, "path": request.path, "body": request.data},
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _in_progress() -> DomainError:
    return DomainError(
        "Request already in progress",
        "The first request with this Idempotency-Key is still running. Wait for it and "
        "retry to get its result.",
        code="idempotency_request_in_progress",
        status_code=status.HTTP_409_CONFLICT,
    )


def _claim(request, key: str) -> IdempotencyKey | Response:
    business = business_of(request)
    fingerprint = _fingerprint(request)
    lookup = {"business": business, "user": request.user, "key": key}
    # A new key, the usual case, is claimed by its INSERT alone: the unique constraint
    # turns a concurrent claim of the same key into an IntegrityError. A key found taken
    # may be released (its request failed) before it is locked: then it is claimed again.
    for _attempt in range(3):
        try:
            with transaction.atomic():
                return IdempotencyKey.objects.create(**lookup, fingerprint=fingerprint)
        except IntegrityError:
            pass
        now = timezone.now()
        with transaction.atomic():
            existing = IdempotencyKey.objects.select_for_update().filter(**lookup).first()
            if existing is None:
                continue
            expired = existing.created_at < now - RETENTION
            abandoned = (
                existing.state == IdempotencyKey.State.IN_PROGRESS
                and existing.updated_at < now - ABANDONED_AFTER
            )
            if expired or abandoned:
                existing.fingerprint = fingerprint
                existing.state = IdempotencyKey.State.IN_PROGRESS
                existing.response_status = None
                existing.response_body = None
                existing.created_at = now
                existing.save()
                return existing
        return _replay(existing, fingerprint)
    raise _in_progress()


def _replay(existing: IdempotencyKey, fingerprint: str) -> Response:
    """The first request's answer, if this is the same request and it has finished."""
    if existing.fingerprint != fingerprint:
        raise DomainError(
            "Idempotency key reused with a different request",
            "This Idempotency-Key was already used for another request. Use a new key for a "
            "new request.",
            code="idempotency_key_mismatch",
            status_code=status.HTTP_422_UNPROCESSABLE_ENTITY,
        )
    if existing.state == IdempotencyKey.State.IN_PROGRESS:
        raise _in_progress()
    replay = Response(existing.response_body, status=existing.response_status)
    replay["Idempotent-Replayed"] = "true"
    return replay


def idempotent(view_method):
    """Decorate a DRF action so it honours the `Idempotency-Key` header."""

    @functools.wraps(view_method)
    def wrapper(self, request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None:
            return view_method(self, request, *args, **kwargs)
        key = key.strip()
        # Printable ASCII only: a control character such as NUL cannot even be stored.
        if not key or len(key) > MAX_KEY_LENGTH or not (key.isascii() and key.isprintable()):
            raise DomainError(
                "Invalid Idempotency-Key",
                f"Send an Idempotency-Key of 1 to {MAX_KEY_LENGTH} printable ASCII characters, "
                "such as a UUID.",
                code="idempotency_key_invalid",
            )
        claimed = _claim(request, key)
        if isinstance(claimed, Response):
            return claimed
        try:
            with transaction.atomic():
                response = view_method(self, request, *args, **kwargs)
                if status.is_success(response.status_code):
                    claimed.state = IdempotencyKey.State.COMPLETED
                    claimed.response_status = response.status_code
                    claimed.response_body = json.loads(json.dumps(response.data, default=str))
                    claimed.save(
                        update_fields=["state", "response_status", "response_body", "updated_at"]
                    )
                    return response
        except BaseException:
            # Nothing was changed, so the key is released for a corrected retry.
            IdempotencyKey.objects.filter(pk=claimed.pk).delete()
            raise
        IdempotencyKey.objects.filter(pk=claimed.pk).delete()
        return response

    return wrapper
