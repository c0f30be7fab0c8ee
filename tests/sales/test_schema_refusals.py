"""The business refusals of taking payment are documented on their operations, each with
codes the error body declares."""

import re

import pytest

OPERATIONS = ["/sales/api/sales/{id}/complete/", "/sales/api/sales/checkout/"]


@pytest.mark.parametrize("path", OPERATIONS)
def test_taking_payment_documents_its_refusals_by_code(anon_client, db, path):
    schema = anon_client.get("/api/schema/?format=json").json()
    declared = set(schema["components"]["schemas"]["CodeEnum"]["enum"])
    responses = schema["paths"][path]["post"]["responses"]

    documented = {
        status: set(re.findall(r"`([a-z_]+)`", responses[status]["description"])) - {"code"}
        for status in ("400", "403", "409", "422")
    }

    assert {"credit_limit_exceeded", "insufficient_payment"} <= documented["400"]
    assert {"insufficient_stock", "till_session_required"} <= documented["409"]
    assert documented["403"] == {"override_not_allowed"}
    assert set().union(*documented.values()) <= declared


def test_every_documented_refusal_code_is_a_declared_one(anon_client, db):
    schema = anon_client.get("/api/schema/?format=json").json()
    declared = set(schema["components"]["schemas"]["CodeEnum"]["enum"])

    documented = {
        (path, method, status): set(re.findall(r"`([a-z_]+)`", answer["description"])) - {"code"}
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        for status, answer in operation["responses"].items()
        if "business rule's refusal" in answer.get("description", "")
    }

    assert len({path for path, _, _ in documented}) >= 6
    assert documented[("/sales/api/sales/{id}/returns/", "post", "409")] >= {
        "return_exceeds_sold",
        "invalid_sale_status",
    }
    assert documented[("/sales/api/tills/{id}/open/", "post", "409")] >= {
        "till_already_open",
        "user_has_open_session",
    }
    assert all(codes <= declared for codes in documented.values()), documented
