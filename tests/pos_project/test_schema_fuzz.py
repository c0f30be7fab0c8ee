"""Property-based fuzzing of every operation in the app's own OpenAPI schema.

Runs in-process over WSGI, once as a manager and once as a cashier (whose refusals differ):
no input may produce a 5xx, and every documented response must match its schema. Left out of
the default run (`./scripts/test --fuzz` runs it); CI runs it once, on PostgreSQL.
"""

import os
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

# `api_schema` is a fixture, used by name.
from tests.pos_project.fuzzing import api_schema, rolled_back, token_of  # noqa: F401

pytestmark = pytest.mark.fuzz


schema = schemathesis.pytest.from_fixture("api_schema")

# Cases run per (role, operation), reported at the end of the session (tests/conftest.py).
CASES_RUN: Counter = Counter()


# The case budget per operation: 20 generated cases in CI (from the fixed seed of the `ci`
# profile); FUZZ_EXAMPLES raises it for a deep run by hand (README, Development).
# FUZZ_COVERAGE=1 adds the examples and boundary cases schemathesis derives from the schema
# (its coverage phase, run as Hypothesis's explicit examples): since the schema declares
# the patterns of money and text, drawing those takes most of an hour, so CI leaves them out.
FUZZ_PHASES = [Phase.generate]
if os.environ.get("FUZZ_COVERAGE") == "1":
    FUZZ_PHASES.insert(0, Phase.explicit)
FUZZ_SETTINGS = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "20")),
    phases=FUZZ_PHASES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)


# The operations in groups of similar cost, every operation in exactly one (the summary at
# the end of the run counts them), so that the groups spread over the test workers: one test
# of every operation kept one core busy for a quarter of an hour while the other idled.
OPERATION_GROUPS = {
    "sales": r"^/sales/api/sales/",
    "customers": r"^/customers/",
    "tills_returns_catalogue_and_the_rest": r"^/(api/|medicine/|sales/api/(?!sales/))",
}


def _fuzz_test(role: str, path_regex: str):
    @schema.include(path_regex=path_regex).parametrize()
    @FUZZ_SETTINGS
    def test(case, manager, cashier, storefront):
        _run(case, role, token_of({"manager": manager, "cashier": cashier}[role]))

    return test


# A test for each role and group, e.g. test_no_input_breaks_the_sales_api_as_a_cashier.
for _role in ("manager", "cashier"):
    for _group, _path_regex in OPERATION_GROUPS.items():
        globals()[f"test_no_input_breaks_the_{_group}_api_as_a_{_role}"] = _fuzz_test(
            _role, _path_regex
        )


def _run(case, role: str, token: str) -> None:
    CASES_RUN[role, case.operation.label] += 1
    outcome = rolled_back(
        lambda: case.call_and_validate(
            headers={"Authorization": f"Token {token}"},
            checks=[not_a_server_error, response_schema_conformance],
        )
    )
    if outcome is not None:
        raise outcome
