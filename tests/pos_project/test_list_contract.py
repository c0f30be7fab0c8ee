"""What every paginated list answers, read from the schema so that a new list is covered.

A malformed `page`, `page_size` or `ordering` is a 400 naming the parameter; a page past
the end is a 404; every ordering the schema declares works.
"""

import pytest
from drf_spectacular.generators import SchemaGenerator

from tests.contracts import assert_error
from tests.factories.customers import CustomerFactory
from tests.factories.medicine import LotFactory, MedicineFactory

pytestmark = pytest.mark.django_db


def paginated_lists():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, operations in schema["paths"].items():
        get = operations.get("get")
        if get is None:
            continue
        parameters = {p["name"]: p for p in get.get("parameters", []) if p["in"] == "query"}
        if "page_size" in parameters:
            yield path, parameters


LISTS = sorted(paginated_lists(), key=lambda pair: pair[0])


@pytest.fixture
def url_of(business):
    """A list's URL, its `{id}` the row it belongs to: a lot's for a lot's list, else a
    customer's."""
    customer = CustomerFactory(business=business)
    lot = LotFactory(medicine=MedicineFactory(business=business))

    def url(path):
        owner = lot if path.startswith("/medicine/api/lots/") else customer
        return path.replace("{id}", str(owner.pk))

    return url


@pytest.mark.parametrize(("path", "parameters"), LISTS, ids=[path for path, _ in LISTS])
def test_every_paginated_list_refuses_malformed_paging(manager_client, url_of, path, parameters):
    url = url_of(path)
    assert manager_client.get(url).status_code == 200
    for value in ("0", "-1", "abc", "1.5", ""):
        body = assert_error(manager_client.get(url, {"page_size": value}), 400)
        assert "page_size" in body["fields"], (path, value)
    if "page" in parameters:
        for value in ("0", "-3", "abc", "²"):
            body = assert_error(manager_client.get(url, {"page": value}), 400)
            assert "page" in body["fields"], (path, value)
        assert_error(manager_client.get(url, {"page": "999"}), 404)
        assert_error(manager_client.get(url, {"page": "9" * 5000}), 404)


ORDERED = [(path, parameters) for path, parameters in LISTS if "ordering" in parameters]


@pytest.mark.parametrize(("path", "parameters"), ORDERED, ids=[path for path, _ in ORDERED])
def test_every_declared_ordering_works_and_no_other(manager_client, url_of, path, parameters):
    url = url_of(path)
    allowed = parameters["ordering"]["schema"]["enum"]
    assert allowed and all(f"-{term}" in allowed for term in allowed if term[0] != "-")
    for term in allowed:
        assert manager_client.get(url, {"ordering": term}).status_code == 200, (path, term)
    body = assert_error(manager_client.get(url, {"ordering": "id,-nonsense"}), 400)
    message = body["fields"]["ordering"][0]
    assert "-nonsense" in message
    assert all(term in message for term in allowed)
    several = f"{allowed[0]},{allowed[-1]}"
    body = assert_error(manager_client.get(url, {"ordering": several}), 400)
    assert body["fields"]["ordering"][0].startswith("One field at a time.")
    assert (
        "Any other value, several fields included, is a 400"
        in (parameters["ordering"]["description"])
    )


@pytest.mark.parametrize(("path", "parameters"), ORDERED, ids=[path for path, _ in ORDERED])
def test_a_blank_ordering_is_refused(manager_client, url_of, path, parameters):
    body = assert_error(manager_client.get(url_of(path), {"ordering": ""}), 400)
    assert body["fields"]["ordering"][0].startswith("Send a field to sort by.")


# Paging, ordering and the export format have their own tests.
NOT_FILTERS = {"page", "page_size", "ordering", "format"}


def typed_filters(parameters) -> list[str]:
    """The filters whose values are not free text: a choice, a boolean or a number."""
    return [
        name
        for name, parameter in parameters.items()
        if name not in NOT_FILTERS
        and (
            "enum" in parameter["schema"]
            or parameter["schema"].get("type") in ("boolean", "integer", "number")
        )
    ]


FILTERED = [(path, parameters) for path, parameters in LISTS if typed_filters(parameters)]


@pytest.mark.parametrize(("path", "parameters"), FILTERED, ids=[path for path, _ in FILTERED])
def test_a_filter_refuses_a_blank_or_a_value_outside_its_schema(
    manager_client, url_of, path, parameters
):
    """A choice, a boolean or a number sent blank, or a boolean other than true or false, is
    a 400 naming the parameter, never a list that quietly ignores the filter."""
    url = url_of(path)
    for name in typed_filters(parameters):
        body = assert_error(manager_client.get(url, {name: ""}), 400)
        assert name in body["fields"], (path, name)
        if parameters[name]["schema"].get("type") == "boolean":
            for value in ("true", "false"):
                assert manager_client.get(url, {name: value}).status_code == 200, (path, name)
            for value in ("yes", "1", "True"):
                body = assert_error(manager_client.get(url, {name: value}), 400)
                assert name in body["fields"], (path, name, value)


def test_a_blank_text_filter_is_no_filter(cashier_client):
    # An empty search box searches nothing: a blank string is a string.
    assert cashier_client.get("/customers/api/customers/", {"search": ""}).status_code == 200
