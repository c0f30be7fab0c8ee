"""A checkout leaves one request line and, when refused, one refusal line; both are counted."""

from decimal import Decimal

from prometheus_client import REGISTRY

from tests.factories.customers import CustomerFactory
from tests.sales.test_complete import assign_customer, complete_through_api


def _events(caplog, logger_name):
    return [record for record in caplog.records if record.name == logger_name]


def _checkouts(outcome, reason=""):
    labels = {"outcome": outcome, "reason": reason}
    return REGISTRY.get_sample_value("pos_checkouts_total", labels) or 0


def test_a_checkout_logs_one_line_with_its_request_id_caller_route_and_figures(
    cashier_client, cashier, draft_with_items, caplog
):
    completed_before = _checkouts("completed")

    response = complete_through_api(cashier_client, draft_with_items, ("CASH", "100.00"))

    assert response.status_code == 200
    (line,) = [r.msg for r in _events(caplog, "pos.requests") if r.msg["route"] == "sale-complete"]
    assert line["event"] == "request" and line["level"] == "info"
    assert line["request_id"] == response["X-Request-ID"]
    assert line["status"] == 200 and line["method"] == "POST"
    assert line["user"] == cashier.username
    assert line["business"] == str(draft_with_items.business_id)
    assert line["statements"] > 0 and line["duration_ms"] > 0
    assert not _events(caplog, "pos.refusals")
    assert _checkouts("completed") == completed_before + 1


def test_a_refused_checkout_is_one_info_line_with_its_code_and_counted_by_reason(
    cashier_client, draft_with_items, business, caplog
):
    owing = CustomerFactory(
        business=business, credit_limit=Decimal("100.00"), outstanding_balance=Decimal("50.00")
    )
    assign_customer(cashier_client, draft_with_items, owing)
    refused_before = _checkouts("refused", "credit_limit_exceeded")
    caplog.clear()

    response = complete_through_api(cashier_client, draft_with_items, ("ON_ACCOUNT", "60.80"))

    assert response.status_code == 400
    (refusal,) = _events(caplog, "pos.refusals")
    assert refusal.levelname == "INFO"
    assert refusal.msg["event"] == "refused"
    assert refusal.msg["code"] == "credit_limit_exceeded"
    assert refusal.msg["route"] == "sale-complete"
    assert refusal.msg["business"] == str(business.pk)
    assert refusal.msg["request_id"] == response["X-Request-ID"]
    assert _checkouts("refused", "credit_limit_exceeded") == refused_before + 1
    # Django's own "Bad Request" warning would repeat the line above.
    assert not _events(caplog, "django.request")


def test_a_stock_shortage_is_logged_and_counted_under_its_own_code(
    cashier_client, draft, stocked, caplog
):
    medicine = stocked("10.00", stock=1)
    cashier_client.post(
        f"/sales/api/sales/{draft.pk}/items/", {"medicine": str(medicine.pk), "quantity": 2}
    )
    before = _checkouts("refused", "insufficient_stock")
    caplog.clear()

    response = complete_through_api(cashier_client, draft, ("CASH", "20.00"))

    assert response.status_code == 409
    assert [r.msg["code"] for r in _events(caplog, "pos.refusals")] == ["insufficient_stock"]
    assert _checkouts("refused", "insufficient_stock") == before + 1
