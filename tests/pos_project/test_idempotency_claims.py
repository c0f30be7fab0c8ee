"""Idempotency claims taken over: one run per key, and a stored outcome is never lost.

These drive `run_once` step by step where the timing matters; the PostgreSQL tests in
test_idempotency_pg.py race real requests.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from pos_project import idempotency
from pos_project.errors import DomainError
from pos_project.idempotency import Replay, run_once
from pos_project.models import IdempotencyKey

pytestmark = pytest.mark.django_db

FINGERPRINT = "f" * 64


def _run(business, user, work, key="K-1"):
    return run_once(
        business=business,
        user=user,
        key=key,
        fingerprint=FINGERPRINT,
        work=work,
        outcome=lambda result: Replay(status=201, body={"result": result}),
    )


def _age(claim, minutes):
    IdempotencyKey.objects.filter(pk=claim.pk).update(
        created_at=timezone.now() - timedelta(minutes=minutes)
    )


def test_a_claim_taken_over_makes_its_first_request_stand_down(business, manager):
    first = idempotency._claim(business=business, user=manager, key="K-1", fingerprint=FINGERPRINT)
    _age(first, minutes=5)
    runs = []

    retried = _run(business, manager, lambda: runs.append("retry") or "paid by the retry")

    # The first request now reaches its work: its claim is no longer its own.
    assert idempotency._still_ours(first) == Replay(
        status=201, body={"result": "paid by the retry"}
    )
    assert retried == "paid by the retry"
    assert runs == ["retry"]


def test_a_stood_down_request_never_deletes_the_stored_outcome(business, manager):
    first = idempotency._claim(business=business, user=manager, key="K-1", fingerprint=FINGERPRINT)
    _age(first, minutes=5)
    _run(business, manager, lambda: "paid by the retry")

    idempotency._release(first)

    stored = IdempotencyKey.objects.get()
    assert stored.state == IdempotencyKey.State.COMPLETED
    assert stored.response_body == {"result": "paid by the retry"}


def test_a_failed_takeover_leaves_the_first_claim_to_its_own_request(business, manager):
    first = idempotency._claim(business=business, user=manager, key="K-1", fingerprint=FINGERPRINT)
    _age(first, minutes=5)

    def refused():
        raise DomainError("Refused", "No.", code="refused")

    with pytest.raises(DomainError):
        _run(business, manager, refused)

    # The retry released only its own claim; the first request still cannot act on it.
    assert not IdempotencyKey.objects.exists()
    with pytest.raises(DomainError) as stood_down:
        idempotency._still_ours(first)
    assert stood_down.value.code == "idempotency_request_in_progress"


def test_a_recent_claim_in_progress_is_not_taken_over(business, manager):
    idempotency._claim(business=business, user=manager, key="K-1", fingerprint=FINGERPRINT)

    with pytest.raises(DomainError) as refused:
        _run(business, manager, lambda: "second run")

    assert refused.value.code == "idempotency_request_in_progress"
    assert IdempotencyKey.objects.get().state == IdempotencyKey.State.IN_PROGRESS


def test_the_abandonment_window_is_a_setting(business, manager, settings):
    settings.IDEMPOTENCY_ABANDONED_AFTER_SECONDS = 1
    first = idempotency._claim(business=business, user=manager, key="K-1", fingerprint=FINGERPRINT)
    IdempotencyKey.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - timedelta(seconds=2)
    )

    assert _run(business, manager, lambda: "taken over") == "taken over"


def test_a_completed_outcome_is_replayed_however_old(business, manager):
    _run(business, manager, lambda: "first")
    IdempotencyKey.objects.update(created_at=timezone.now() - timedelta(hours=1))

    assert _run(business, manager, lambda: "second") == Replay(status=201, body={"result": "first"})
