"""Every check schemathesis has, against the app's own schema: a schema-valid request is
accepted (ST202), a schema-violating one refused (ST201), every status, content type and
header is documented, every body matches its schema, no 5xx.

Runs in-process over WSGI as a manager and as a cashier (whose refusals differ), from a
fixed seed with a few generated cases per operation, positive and negative: the volume is
the schema fuzz's (test_schema_fuzz.py); this test is about strictness. A failure fails the
test unless it is one of the business refusals below, and then only on an operation whose
schema declares that refusal's code for that status.

The use-after-free check (ST301) needs schemathesis's stateful phase, which this test does
not run: there, the DELETE of a medicine that was ever sold answers 200 and leaves it
readable, deactivated. The schema says so on the operation (204 deleted, 200 deactivated),
and tests/medicine/test_api_write.py proves both.
"""

import json
import re

import jsonschema
import pytest
import schemathesis

# Imported for what it does: it registers the OpenAPI checks (the schema's statuses, bodies,
# positive and negative data...); without it CHECKS holds `not_a_server_error` alone.
import schemathesis.specs.openapi.checks
from django import forms
from hypothesis import HealthCheck, Phase, seed, settings
from rest_framework import serializers
from schemathesis.checks import CHECKS
from schemathesis.core.failures import FailureGroup
from schemathesis.core.parameters import ParameterLocation
from schemathesis.openapi.checks import AcceptedNegativeData, RejectedPositiveData

# `api_schema` is a fixture, used by name.
from tests.pos_project.fuzzing import api_schema, rolled_back, token_of  # noqa: F401

pytestmark = pytest.mark.fuzz

SEED = 20261126

schema = schemathesis.pytest.from_fixture("api_schema")

ALL_CHECKS = CHECKS.get_all()

# A request the schema allows that the server may still refuse, because the fuzzer cannot
# know the records it would have to match: the `code` of the refusal, and why. Each is
# allowed only where the operation's schema declares that code for the status answered.
BUSINESS_REFUSALS = {
    "invalid_credentials": "a generated username and password belong to nobody",
    "manager_only_field": "a cashier may not set a credit limit; the schema has no roles",
    "invalid_phone": "whether a string is a phone number of the business's country is the "
    "phone library's judgement, which no pattern in a schema can say",
}

# A generated id names no row of the caller's business (a storefront, a medicine): a 400
# naming the field, with the message Django or DRF gives an unknown reference, as for any
# caller with a stale id. The schema cannot list the ids that exist.
UNKNOWN_REFERENCE_MESSAGES = [
    re.compile(
        "^"
        + re.escape(template).replace(re.escape("{pk_value}"), ".*").replace(r"\%\(value\)s", ".*")
        + "$",
        re.DOTALL,
    )
    for template in (
        str(serializers.PrimaryKeyRelatedField.default_error_messages["does_not_exist"]),
        str(forms.ModelChoiceField.default_error_messages["invalid_choice"]),
    )
]

CHECK_SETTINGS = settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    database=None,
    # Generated cases only, reported as found (no shrinking): schemathesis's coverage phase,
    # the boundary values of every field, takes a quarter of an hour and runs on its own.
    phases=[Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def test_every_schemathesis_check_runs():
    names = {check.__name__ for check in ALL_CHECKS}
    assert {
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
        "positive_data_acceptance",
        "negative_data_rejection",
        "ignored_auth",
    } <= names


@schema.parametrize()
@seed(SEED)
@CHECK_SETTINGS
def test_every_check_passes_as_a_manager(case, manager, storefront):
    _check(case, token_of(manager))


@schema.parametrize()
@seed(SEED)
@CHECK_SETTINGS
def test_every_check_passes_as_a_cashier(case, cashier, storefront):
    _check(case, token_of(cashier))


def _check(case, token: str) -> None:
    headers = {"Authorization": f"Token {token}"}
    answered = []

    def call_and_validate():
        response = case.call(headers=headers)
        answered.append(response)
        case.validate_response(response, checks=ALL_CHECKS, headers=headers)

    outcome = rolled_back(call_and_validate)
    if outcome is None:
        return
    if not isinstance(outcome, FailureGroup):
        raise outcome
    unexpected = [
        failure
        for failure in outcome.exceptions
        if not (
            isinstance(failure, RejectedPositiveData)
            and _is_a_declared_business_refusal(case, answered[0])
        )
        and not (isinstance(failure, AcceptedNegativeData) and _only_unknown_parameters(case))
    ]
    if unexpected:
        raise FailureGroup(unexpected, str(outcome))


def _is_a_declared_business_refusal(case, response) -> bool:
    try:
        body = response.json()
    except ValueError:
        return False
    if not isinstance(body, dict):
        return False
    code = body.get("code")
    if code is None:
        return response.status_code == 400 and _names_unknown_rows(body.get("fields"))
    return code in BUSINESS_REFUSALS and code in _declared_codes(case, response.status_code)


def _declared_codes(case, status: int) -> set[str]:
    # `pos_project.schema.refusals` lists the codes in the status's description.
    declared = case.operation.definition.raw.get("responses", {}).get(str(status), {})
    return set(re.findall(r"`([a-z_]+)`", declared.get("description", "")))


def _names_unknown_rows(fields) -> bool:
    messages = list(_messages(fields))
    return bool(messages) and all(
        any(pattern.match(message) for pattern in UNKNOWN_REFERENCE_MESSAGES)
        for message in messages
    )


def _messages(fields):
    if isinstance(fields, dict):
        for value in fields.values():
            yield from _messages(value)
    elif isinstance(fields, list):
        for value in fields:
            yield from _messages(value)
    else:
        yield str(fields)


def _only_unknown_parameters(case) -> bool:
    """Whether a negative case breaks the schema only by query parameters it does not declare,
    which the API ignores by design (`pos_project.schema.PosAutoSchema`).

    schemathesis means to pass such a case itself, but it validates the declared parameters
    as sent, in text: `is_active=true` is not a boolean there, so any case with a boolean or
    a number among them is taken for a wrong one. This reads them as the server does.
    """
    negative = {
        location
        for location, component in (case.meta.components if case.meta else {}).items()
        if component.mode.is_negative
    }
    if negative != {ParameterLocation.QUERY}:
        return False
    declared = {parameter.name: parameter for parameter in case.operation.query.items}
    query = case.query or {}
    if set(query) <= set(declared):
        return False
    return all(
        _valid_as_read(declared[name].optimized_schema, value)
        for name, value in query.items()
        if name in declared
    )


def _valid_as_read(parameter_schema: dict, value) -> bool:
    if isinstance(value, str) and parameter_schema.get("type") in ("boolean", "integer", "number"):
        try:
            value = json.loads(value)
        except ValueError:
            return False
    return jsonschema.Draft4Validator(
        parameter_schema, format_checker=jsonschema.FormatChecker()
    ).is_valid(value)
