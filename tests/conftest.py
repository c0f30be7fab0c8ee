"""Fixtures every app's tests share: two businesses, a user of each role, API clients."""

import os
import re
import sys
import uuid
from collections import Counter

import pytest
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import connection
from django.test import Client
from hypothesis import settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from pos_project.actors import Actor
from pos_project.catalogues import compile_catalogues
from pos_project.models import Role
from tests.factories.kernel import BusinessFactory, StaffMemberFactory, StorefrontFactory

pytest_plugins = ["tests.audit.database"]

requires_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="proves row locking or concurrency, which only PostgreSQL provides; set DATABASE_URL",
)


# Hypothesis profiles. `dev`, the default, draws few examples per property for a quick local
# run; `ci` (HYPOTHESIS_PROFILE=ci, set by .ci/run) draws many, from a fixed seed, so a failure
# in CI reproduces on a developer's machine with the same command. A property test sets no
# max_examples of its own, so the profile decides.
settings.register_profile("dev", max_examples=10)
settings.register_profile("ci", max_examples=40, derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


def pytest_configure(config):
    # Pages and messages are read in four languages: a bare `pytest` compiles the catalogues
    # that changed, as ./scripts/test does before it starts.
    compile_catalogues()


FUZZ_MODULE = "tests.pos_project.test_schema_fuzz"
# The fuzz cases the pytest-xdist workers ran, summed on the controller.
WORKER_FUZZ_CASES: Counter = Counter()


def _fuzz_cases_run() -> Counter:
    fuzz = sys.modules.get(FUZZ_MODULE)
    return fuzz.CASES_RUN if fuzz is not None else Counter()


def pytest_sessionfinish(session):
    # Under pytest-xdist each worker counts its own fuzz cases; it hands them to the
    # controller, which reports the sum.
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["fuzz_cases"] = [[*key, n] for key, n in _fuzz_cases_run().items()]


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    for role, label, n in getattr(node, "workeroutput", {}).get("fuzz_cases", []):
        WORKER_FUZZ_CASES[role, label] += n


def pytest_terminal_summary(terminalreporter):
    cases = _fuzz_cases_run() + WORKER_FUZZ_CASES
    if not cases:
        return
    for role in sorted({role for role, _ in cases}):
        runs = {label: n for (who, label), n in cases.items() if who == role}
        terminalreporter.write_line(
            f"Schema fuzz as {role}: {sum(runs.values())} cases over {len(runs)} operations"
        )


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Throttle counters live in the cache; one test's logins must not throttle the next.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def business(db):
    return BusinessFactory(name="Pharmacie Atlas")


@pytest.fixture
def storefront(business):
    return StorefrontFactory(business=business, name="Main")


@pytest.fixture
def other_business(db):
    return BusinessFactory(name="Pharmacie Rival")


@pytest.fixture
def other_storefront(other_business):
    return StorefrontFactory(business=other_business, name="Rival Main")


def staff_with_token(business, role):
    return StaffMemberFactory(business=business, role=role).user


@pytest.fixture
def owner(business):
    return staff_with_token(business, Role.OWNER)


@pytest.fixture
def manager(business):
    return staff_with_token(business, Role.MANAGER)


@pytest.fixture
def cashier(business):
    return staff_with_token(business, Role.CASHIER)


@pytest.fixture
def other_manager(other_business):
    """A manager of another business: must see nothing of `business`."""
    return staff_with_token(other_business, Role.MANAGER)


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


class BackOfficeClient(Client):
    """A browser session in the back office: every form it posts carries the one-time key
    its freshly rendered page would, unless the test sends one (to submit a page twice)."""

    def post(self, path, data=None, *args, **kwargs):
        if isinstance(data, dict) and "idempotency_key" not in data:
            data = {**data, "idempotency_key": str(uuid.uuid4())}
        return super().post(path, data, *args, **kwargs)


ONE_TIME_KEY_FIELD = re.compile(r'<input type="hidden" name="idempotency_key" value="([^"]+)"')


def rendered_form_key(client, url) -> str:
    """The one-time key of the action form the page at `url` renders."""
    page = client.get(url)
    assert page.status_code == 200
    return ONE_TIME_KEY_FIELD.search(page.content.decode()).group(1)


def submit_form_twice(client, url, data) -> tuple:
    """Render the form at `url`, then submit that same page twice, as a double click does."""
    data = {**data, "idempotency_key": rendered_form_key(client, url)}
    return client.post(url, data), client.post(url, data)


def admin_client_for(user) -> Client:
    """A back-office session for `user`. Rights follow the staff role
    (pos_project.admin_scoping), not Django's permission table; the admin wants is_staff."""
    user.is_staff = True
    user.save()
    client = BackOfficeClient()
    client.force_login(user)
    return client


@pytest.fixture
def manager_admin(manager):
    return admin_client_for(manager)


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def anon_client():
    return APIClient()


@pytest.fixture
def owner_client(owner):
    return client_for(owner)


@pytest.fixture
def manager_client(manager):
    return client_for(manager)


@pytest.fixture
def cashier_client(cashier):
    return client_for(cashier)


@pytest.fixture
def other_client(other_manager):
    return client_for(other_manager)


@pytest.fixture
def manager_actor(manager):
    return Actor.for_user(manager)


@pytest.fixture
def cashier_actor(cashier):
    return Actor.for_user(cashier)
