"""The schema reads as documentation for API users: every operation has a summary and a
description written for them, never a view's internal docstring."""

import inspect

import pytest
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db

# Words of the code's own vocabulary that a description for API users has no use for.
INTERNAL_WORDS = ("seed 0", "queryset", "mixin", "viewset", "foreign key", "docstring")


def operations():
    generator = SchemaGenerator()
    schema = generator.get_schema(request=None, public=True)
    views = {}
    for path, _, method, view in generator._get_paths_and_endpoints():
        views[(path, method.lower())] = view
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation, views.get((path, method))


OPERATIONS = list(operations())


def docstrings_of(view) -> set[str]:
    if view is None:
        return set()
    classes = inspect.getmro(view.cls if hasattr(view, "cls") else type(view))
    return {inspect.cleandoc(cls.__doc__) for cls in classes if cls.__doc__}


@pytest.mark.parametrize(
    ("name", "operation", "view"), OPERATIONS, ids=[name for name, _, _ in OPERATIONS]
)
def test_every_operation_has_a_summary_and_a_description_for_api_users(name, operation, view):
    summary = operation.get("summary", "").strip()
    description = operation.get("description", "").strip()
    assert summary, f"{name} has no summary"
    assert description, f"{name} has no description"
    assert description not in docstrings_of(view), f"{name} shows a view's docstring"
    for word in INTERNAL_WORDS:
        assert word not in f"{summary} {description}".lower(), f"{name} mentions {word!r}"


def test_the_receipt_documents_its_errors_as_json():
    receipt = next(op for name, op, _ in OPERATIONS if name.endswith("/receipt/"))
    for status in ("400", "401", "403", "404"):
        assert list(receipt["responses"][status]["content"]) == ["application/json"]


def test_the_customers_is_active_filter_is_declared_as_the_strings_it_takes():
    customers = next(op for name, op, _ in OPERATIONS if name == "GET /customers/api/customers/")
    is_active = next(p for p in customers["parameters"] if p["name"] == "is_active")
    assert is_active["schema"] == {"type": "string", "enum": ["all", "false", "true"]}
