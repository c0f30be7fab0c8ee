"""Assertions every endpoint owes its callers, reused by each app's tests."""

from audit.models import AuditLog


def assert_error(response, status: int, error: str | None = None) -> dict:
    """The response is `status` with the standard error body (and the given `error`)."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    body = response.json()
    assert isinstance(body.get("error"), str) and body["error"], body
    assert isinstance(body.get("message"), str) and body["message"], body
    if error is not None:
        assert body["error"] == error, body
    return body


def assert_audited(event_type: str, **filters) -> AuditLog:
    """Exactly one entry of `event_type` matches `filters`; returns it."""
    entries = list(AuditLog.objects.filter(event_type=event_type, **filters))
    assert len(entries) == 1, f"expected one {event_type} entry, found {len(entries)}"
    return entries[0]


def assert_flat_queries(django_assert_max_num_queries, fetch, grow, *, sizes=(5, 50)) -> None:
    """`fetch()` costs the same number of queries whether `grow(n)` made few rows or many.

    `grow(n)` adds rows until there are `n`; `fetch()` calls the endpoint and returns the
    response. The count at the small size is the ceiling at the large one.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small, large = sizes
    grow(small)
    with CaptureQueriesContext(connection) as baseline:
        response = fetch()
    # Counted now: a request made by grow() resets the query log the context reads from.
    ceiling = len(baseline.captured_queries)
    assert response.status_code == 200, response.content[:300]
    grow(large)
    with django_assert_max_num_queries(ceiling):
        response = fetch()
    assert response.status_code == 200
