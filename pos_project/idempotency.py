"""Idempotency keys for actions that move money or stock: the API's `Idempotency-Key` header
and the back office's one-time form keys go through the same `run_once`.

A retry with the same key and body gets the first outcome and changes nothing; the same key
with another body is a 422; a retry while the first is still running is a 409.

How one run stays one run, whatever the timing:
- the key is claimed in its own short transaction (an INSERT, or a reclaim of a dead claim),
  so a concurrent retry sees it at once. Every claim carries a fresh `claim_token`. A new
  key's INSERT commits without waiting for the disk: the work's own commit flushes it
  (`commit_without_waiting_for_the_disk`);
- the work's own transaction first locks the key row and checks that the token is still
  this request's. A request whose claim was taken over does nothing;
- the key is marked completed, with the stored outcome, in that same transaction, so a
  change never commits without its key, and a key never claims a change that rolled back;
- a claim still in progress is reclaimed only when it is old (`IDEMPOTENCY_ABANDONED_AFTER`)
  and its row can be locked at once (`FOR UPDATE NOWAIT`): a live claimant inside its work
  holds that lock, however long it waits for its other locks (bounded by the database's
  `lock_timeout`, see settings). Should a claimant that has not yet started its work lose
  its claim that way, the token check above makes it stand down;
- a failed run deletes its key only while the row is still its own claim in progress, never
  a completed outcome or another request's claim.

Whatever the work raises rolls back the whole of its transaction, key lock included, and
goes on up: so a service that is the whole of such a work needs no savepoint of its own
(`whole_work_atomic`).
"""

from __future__ import annotations

import contextvars
import functools
import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.response import Response

from pos_project.database import commit_without_waiting_for_the_disk, lock_unavailable
from pos_project.errors import Conflict, DomainError, ErrorCode, Invalid, KeyReused
from pos_project.models import IdempotencyKey
from pos_project.tenancy import business_of

HEADER = "Idempotency-Key"
RETENTION = timedelta(hours=24)
MAX_KEY_LENGTH = 255

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    name=HEADER,
    # What `_valid_key` takes: printable ASCII, blanks at either end being trimmed away.
    type={
        "type": "string",
        "minLength": 1,
        "maxLength": MAX_KEY_LENGTH,
        "pattern": "^[!-~]([ -~]*[!-~])?$",
    },
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "Any unique string (a UUID is ideal). A retry with the same key and body returns the "
        "first response without repeating the change; the same key with a different body is "
        "422; a retry while the first request is still running is 409. Kept 24 hours. "
        f"1 to {MAX_KEY_LENGTH} printable ASCII characters; anything else is a 400."
    ),
)

Result = TypeVar("Result")

# True while `run_once` runs a work inside its transaction.
_IN_WORK: contextvars.ContextVar[bool] = contextvars.ContextVar("idempotent_work", default=False)


def whole_work_atomic() -> transaction.Atomic:
    """`transaction.atomic()` for a service whose refusal no caller survives in the same
    transaction: inside `run_once`'s work it takes no savepoint (two statements saved, the
    release among the last of the work), since a refusal rolls back that whole transaction
    anyway; anywhere else, a savepoint as usual, so a caller that goes on after a refusal
    (a test, a loader) still can.

    Only for a service the work calls without catching its errors: a view that catches a
    refusal and queries on in the same transaction needs the savepoint.
    """
    return transaction.atomic(savepoint=not _IN_WORK.get())


@dataclass(frozen=True)
class Replay:
    """The stored outcome of the first run with this key."""

    status: int
    body: Any


def fingerprint_of(**parts) -> str:
    """SHA-256 of what identifies the request: a retry must send the same parts."""
    canonical = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _in_progress() -> DomainError:
    return Conflict(
        "Request already in progress",
        _(
            "The first request with this Idempotency-Key is still running. Wait for it and "
            "retry to get its result."
        ),
        code=ErrorCode.IDEMPOTENCY_REQUEST_IN_PROGRESS,
    )


def _abandoned_after() -> timedelta:
    return timedelta(seconds=settings.IDEMPOTENCY_ABANDONED_AFTER_SECONDS)


def _reclaimable(record: IdempotencyKey, now) -> bool:
    """Expired, or still in progress long after it was claimed (its request may be dead)."""
    if record.created_at < now - RETENTION:
        return True
    return (
        record.state == IdempotencyKey.State.IN_PROGRESS
        and record.created_at < now - _abandoned_after()
    )


def _claim(*, business, user, key: str, fingerprint: str) -> IdempotencyKey | Replay:
    lookup = {"business": business, "user": user, "key": key}
    # A new key, the usual case, is claimed by its INSERT alone: the unique constraint
    # turns a concurrent claim of the same key into an IntegrityError. A key found taken
    # may be released (its request failed) before it is read: then it is claimed again.
    for _attempt in range(3):
        try:
            with transaction.atomic():
                commit_without_waiting_for_the_disk()
                return IdempotencyKey.objects.create(**lookup, fingerprint=fingerprint)
        except IntegrityError:
            pass
        now = timezone.now()
        existing = IdempotencyKey.objects.filter(**lookup).first()
        if existing is None:
            continue
        if not _reclaimable(existing, now):
            return _replay(existing, fingerprint)
        try:
            with transaction.atomic():
                # NOWAIT: a claimant inside its work holds this row, so it is alive.
                locked = (
                    IdempotencyKey.objects.select_for_update(nowait=True, no_key=True)
                    .filter(pk=existing.pk)
                    .first()
                )
                if locked is None:
                    continue
                if not _reclaimable(locked, now):
                    return _replay(locked, fingerprint)
                locked.fingerprint = fingerprint
                locked.state = IdempotencyKey.State.IN_PROGRESS
                locked.claim_token = uuid.uuid4()
                locked.response_status = None
                locked.response_body = None
                locked.created_at = now
                locked.save()
                return locked
        except OperationalError as error:
            if lock_unavailable(error):
                raise _in_progress() from None
            raise
    raise _in_progress()


def _replay(existing: IdempotencyKey, fingerprint: str) -> Replay:
    """The first request's outcome, if this is the same request and it has finished."""
    if existing.fingerprint != fingerprint:
        raise KeyReused(
            "Idempotency key reused with a different request",
            _(
                "This Idempotency-Key was already used for another request. Use a new key for "
                "a new request."
            ),
            code=ErrorCode.IDEMPOTENCY_KEY_MISMATCH,
        )
    if existing.state == IdempotencyKey.State.IN_PROGRESS:
        raise _in_progress()
    return Replay(status=existing.response_status, body=existing.response_body)


def _still_ours(claim: IdempotencyKey) -> Replay | None:
    """Lock the key row in the work's transaction; None while the claim is this request's.

    Otherwise the claim was taken over (see the module notes): the other request's outcome,
    or a 409 while it runs.
    """
    current = IdempotencyKey.objects.select_for_update(no_key=True).filter(pk=claim.pk).first()
    if (
        current is not None
        and current.claim_token == claim.claim_token
        and current.state == IdempotencyKey.State.IN_PROGRESS
    ):
        return None
    if current is None:
        raise _in_progress()
    return _replay(current, claim.fingerprint)


def _release(claim: IdempotencyKey) -> None:
    # Only this request's own claim, still in progress: never a stored outcome.
    IdempotencyKey.objects.filter(
        pk=claim.pk, claim_token=claim.claim_token, state=IdempotencyKey.State.IN_PROGRESS
    ).delete()


def run_once(
    *,
    business,
    user,
    key: str,
    fingerprint: str,
    work: Callable[[], Result],
    outcome: Callable[[Result], Replay | None],
) -> Result | Replay:
    """Run `work` once for `key`; a retry gets the stored `Replay` instead.

    `outcome` turns the work's result into what is stored for replays, or None when the
    result is a refusal: nothing is stored and the key is released for a corrected retry.
    """
    claim = _claim(business=business, user=user, key=key, fingerprint=fingerprint)
    if isinstance(claim, Replay):
        return claim
    try:
        with transaction.atomic():
            taken_over = _still_ours(claim)
            if taken_over is not None:
                return taken_over
            in_work = _IN_WORK.set(True)
            try:
                result = work()
            finally:
                _IN_WORK.reset(in_work)
            stored = outcome(result)
            if stored is not None:
                claim.state = IdempotencyKey.State.COMPLETED
                claim.response_status = stored.status
                claim.response_body = json.loads(json.dumps(stored.body, default=str))
                claim.save(
                    update_fields=["state", "response_status", "response_body", "updated_at"]
                )
                return result
    except BaseException:
        _release(claim)
        raise
    _release(claim)
    return result


def _valid_key(key: str) -> str:
    key = key.strip()
    # Printable ASCII only: a control character such as NUL cannot even be stored.
    if not key or len(key) > MAX_KEY_LENGTH or not (key.isascii() and key.isprintable()):
        raise Invalid(
            "Invalid Idempotency-Key",
            _(
                "Send an Idempotency-Key of 1 to %(length)s printable ASCII characters, such as "
                "a UUID."
            )
            % {"length": MAX_KEY_LENGTH},
            code=ErrorCode.IDEMPOTENCY_KEY_INVALID,
        )
    return key


def _api_outcome(response: Response) -> Replay | None:
    if status.is_success(response.status_code):
        return Replay(status=response.status_code, body=response.data)
    return None


def idempotent(view_method):
    """Decorate a DRF action so it honours the `Idempotency-Key` header."""

    @functools.wraps(view_method)
    def wrapper(self, request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None:
            return view_method(self, request, *args, **kwargs)
        result = run_once(
            business=business_of(request),
            user=request.user,
            key=_valid_key(key),
            fingerprint=fingerprint_of(method=request.method, path=request.path, body=request.data),
            work=lambda: view_method(self, request, *args, **kwargs),
            outcome=_api_outcome,
        )
        if isinstance(result, Replay):
            replay = Response(result.body, status=result.status)
            replay["Idempotent-Replayed"] = "true"
            return replay
        return result

    return wrapper
