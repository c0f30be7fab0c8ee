"""Walks every API route the URLconf knows.

Anonymous callers get 401 everywhere; a cashier gets 403 on every action a view reserves
for managers (its `manager_actions`, or all of it with `manager_only`); a manager of another
business gets 404 on every object of this business and never sees its ids in a list. A new
route fails this test until its app's tests/<app>/walk.py either builds an object for it or
exempts it with a reason.
"""

import importlib
import json

import pytest
from django.urls import URLResolver, get_resolver, reverse

from tests.conftest import client_for

APPS = ["pos_project", "audit", "customers", "medicine", "sales"]
API_PREFIXES = ("api/", "customers/api/", "medicine/api/", "sales/api/")
WRITE_METHODS = {"post", "put", "patch", "delete"}


def _registry():
    routes, exempt = {}, {}
    for app in APPS:
        module = importlib.import_module(f"tests.{app}.walk")
        routes.update(module.ROUTES)
        exempt.update(module.EXEMPT)
    return routes, exempt


def _api_patterns(patterns=None, prefix=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from _api_patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        elif (prefix + str(pattern.pattern)).startswith(API_PREFIXES) and hasattr(
            pattern.callback, "cls"
        ):
            yield pattern


def _methods(pattern) -> list[str]:
    actions = getattr(pattern.callback, "actions", None)
    view = pattern.callback.cls
    candidates = actions or [method for method in view.http_method_names if hasattr(view, method)]
    # HEAD and OPTIONS carry no body to check; HEAD mirrors GET, which is walked.
    return sorted(set(candidates) - {"options", "head", "trace"})


def _params(pattern) -> set[str]:
    return set(pattern.pattern.regex.groupindex)


ROUTE_PATTERNS = sorted({p.name: p for p in _api_patterns()}.values(), key=lambda p: p.name)


def test_every_route_is_walked_or_exempt():
    routes, exempt = _registry()
    unknown = [
        pattern.name
        for pattern in ROUTE_PATTERNS
        if pattern.name not in exempt and _params(pattern) and pattern.name not in routes
    ]
    assert not unknown, (
        f"Routes with path parameters that the walk cannot build an object for: {unknown}. "
        "Add them to ROUTES (or EXEMPT, with the reason) in tests/<app>/walk.py."
    )
    unnamed = [str(p.pattern) for p in ROUTE_PATTERNS if not p.name]
    assert not unnamed, f"Unnamed API routes cannot be walked: {unnamed}"


def _call(client, method, url):
    return getattr(client, method)(url, data={} if method in WRITE_METHODS else None, format="json")


@pytest.fixture
def world(business, storefront):
    """One object of `business` behind every route; and every id the walk must not leak."""
    routes, exempt = _registry()
    urls, secret_ids = [], {str(business.id), str(storefront.id)}
    for pattern in ROUTE_PATTERNS:
        if pattern.name in exempt:
            continue
        kwargs = routes[pattern.name](business) if _params(pattern) else {}
        secret_ids.update(str(value) for value in kwargs.values())
        urls.append((pattern, reverse(pattern.name, kwargs=kwargs)))
    return urls, secret_ids


def test_anonymous_callers_get_401_everywhere(world, anon_client):
    urls, _ = world
    failures = []
    for pattern, url in urls:
        for method in _methods(pattern):
            response = _call(anon_client, method, url)
            if response.status_code != 401 or "error" not in response.json():
                failures.append((method.upper(), url, response.status_code))
    assert not failures, failures


def test_a_user_without_staff_membership_gets_a_clear_403(world, db):
    from tests.factories.kernel import UserFactory

    client = client_for(UserFactory())
    urls, _ = world
    for pattern, url in urls:
        for method in _methods(pattern):
            response = _call(client, method, url)
            assert response.status_code == 403, (method, url, response.status_code)
            assert "not a staff member" in response.json()["message"]


def _manager_methods(pattern) -> list[str]:
    """The methods of `pattern` that its view keeps for managers and owners."""
    view = pattern.callback.cls
    if getattr(view, "manager_only", False):
        return _methods(pattern)
    actions = getattr(pattern.callback, "actions", None) or {}
    reserved = getattr(view, "manager_actions", ())
    return [method for method in _methods(pattern) if actions.get(method) in reserved]


def test_the_walk_finds_the_actions_kept_for_managers(world):
    urls, _ = world
    walked = {(pattern.name, method) for pattern, _ in urls for method in _manager_methods(pattern)}
    # One of each kind, so that a walk that stopped reading the views would fail here.
    assert ("medicine-adjust-stock", "post") in walked
    assert ("customer-detail", "delete") in walked
    assert ("debtor-list", "get") in walked


def test_a_cashier_gets_403_on_every_action_kept_for_managers(world, cashier_client):
    urls, _ = world
    failures = []
    for pattern, url in urls:
        for method in _manager_methods(pattern):
            response = _call(cashier_client, method, url)
            if response.status_code != 403 or "manager" not in response.json()["message"]:
                failures.append((method.upper(), url, response.status_code))
    assert not failures, failures


def test_another_business_sees_nothing(world, other_client, other_storefront):
    urls, secret_ids = world
    failures = []
    for pattern, url in urls:
        for method in _methods(pattern):
            response = _call(other_client, method, url)
            if _params(pattern):
                if response.status_code != 404:
                    failures.append((method.upper(), url, response.status_code))
            elif method == "get":
                body = response.content.decode()
                leaked = [value for value in secret_ids if value in body]
                if response.status_code != 200 or leaked:
                    failures.append((method.upper(), url, response.status_code, leaked))
    assert not failures, json.dumps(failures, indent=1, default=str)
