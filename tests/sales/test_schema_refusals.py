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
