"""The one-request checkout (`POST /sales/api/sales/checkout/`): the draft flow's rules for
opening a sale and pricing its lines, all or nothing, idempotent, in a bounded number of
statements. The completion rules run against both flows in test_complete.py."""

import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from medicine.models import Stock
from sales.models import Sale, SaleItem, SaleStatus
from tests.contracts import assert_error
from tests.factories.customers import CustomerFactory
from tests.factories.medicine import MedicineFactory

URL = reverse("sale-checkout")


def _post(client, body, **headers):
    return client.post(URL, body, format="json", **headers)


def _cart_body(storefront, lines, payments=(("CASH", "60.80"),), **extra):
    return {
        "storefront": str(storefront.pk),
        "items": [{"medicine": str(m.pk), "quantity": q} for m, q in lines],
        "payments": [{"method": method, "amount": amount} for method, amount in payments],
        **extra,
    }


# --- pricing and lines: the draft flow's rules, through both flows --------------------------


def test_a_line_never_sells_above_ppv_even_if_wholesale_is_higher(cashier_client, flow, stocked):
    odd = stocked("30.00", wholesale="35.00")

    body = flow.checkout(cashier_client, [(odd, 1)], ("CASH", "30.00"), type="WHOLESALE").json()

    assert body["type"] == "WHOLESALE"
    assert body["items"][0]["unit_price"] == "30.00"
    assert body["total_amount"] == "30.00"


def test_wholesale_lines_take_the_wholesale_price(cashier_client, flow, medicine):
    body = flow.checkout(cashier_client, [(medicine, 2)], ("CASH", "40.00"), type="WHOLESALE")

    assert body.json()["items"][0]["unit_price"] == "20.00"


def test_the_same_medicine_twice_is_one_line(cashier_client, flow, medicine):
    body = flow.checkout(
        cashier_client, [(medicine, 1, "1.00"), (medicine, 2, "0.40")], ("CASH", "74.80")
    ).json()

    assert [(i["quantity"], i["discount"], i["line_total"]) for i in body["items"]] == [
        (3, "1.40", "74.80")
    ]
    assert body["discount_total"] == "1.40"


def test_a_discount_above_the_line_is_refused(cashier_client, flow, medicine):
    response = flow.checkout(cashier_client, [(medicine, 1, "25.41")], ("CASH", "1.00"))

    assert assert_error(response, 400)["code"] == "discount_exceeds_line"
    flow.untouched()


def test_an_unknown_medicine_is_404(cashier_client, flow, business):
    stranger = MedicineFactory()  # another business's catalogue

    response = flow.checkout(cashier_client, [(stranger, 1)], ("CASH", "10.00"))

    body = assert_error(response, 404, "Medicine not found")
    assert body["code"] == "unknown_medicine"
    flow.untouched()


def test_a_deactivated_medicine_is_400(cashier_client, flow, stocked):
    retired = stocked("10.00", is_active=False)

    response = flow.checkout(cashier_client, [(retired, 1)], ("CASH", "10.00"))

    assert assert_error(response, 400)["code"] == "medicine_inactive"
    flow.untouched()


# --- opening: the draft flow's create refusals ------------------------------------------------


def test_a_deactivated_customer_is_refused_and_nothing_is_left(
    cashier_client, storefront, business, cart
):
    gone = CustomerFactory(business=business, is_active=False)

    response = _post(cashier_client, _cart_body(storefront, cart, customer=str(gone.pk)))

    assert assert_error(response, 400, "Customer is deactivated")["code"] == "customer_inactive"
    assert not Sale.objects.exists()


def test_another_business_customer_is_the_seed_404(
    cashier_client, storefront, other_business, cart
):
    stranger = CustomerFactory(business=other_business)

    response = _post(cashier_client, _cart_body(storefront, cart, customer=str(stranger.pk)))

    assert_error(response, 404, "Customer not found or does not belong to this business")
    assert not Sale.objects.exists()


def test_another_business_storefront_is_refused(cashier_client, other_storefront, cart):
    response = _post(cashier_client, _cart_body(other_storefront, cart))

    assert "storefront" in assert_error(response, 400)["fields"]
    assert not Sale.objects.exists()


def test_a_closed_storefront_is_refused(cashier_client, storefront, cart):
    storefront.is_active = False
    storefront.save()

    response = _post(cashier_client, _cart_body(storefront, cart))

    assert assert_error(response, 400)["code"] == "storefront_inactive"
    assert not Sale.objects.exists()


@pytest.mark.parametrize(
    "change",
    [
        {"items": "all of them"},
        {"items": [{"medicine": "not-a-uuid", "quantity": 1}]},
        {"items": [{"quantity": 1}]},
        {"items": [{"medicine": str(uuid.uuid4()), "quantity": 0}]},
        {"items": [{"medicine": str(uuid.uuid4()), "quantity": 1.5}]},
        {"items": [{"medicine": str(uuid.uuid4()), "quantity": 1, "price": "1"}]},
        {"type": "BARTER"},
        {"customer": "nobody"},
        {"storefront": None},
        {"status": "COMPLETED"},
        {"override_credit_limit": "perhaps"},
    ],
)
def test_malformed_bodies_are_400_and_leave_nothing(cashier_client, storefront, cart, change):
    response = _post(cashier_client, {**_cart_body(storefront, cart), **change})

    assert_error(response, 400)
    assert not Sale.objects.exists()


def test_a_missing_body_is_400(cashier_client):
    assert_error(cashier_client.post(URL, "[]", content_type="application/json"), 400)


def test_only_staff_of_a_business_may_check_out(anon_client, storefront, cart):
    assert _post(anon_client, _cart_body(storefront, cart)).status_code == 401


# --- the answer, idempotency and cost -------------------------------------------------------


def test_the_answer_is_the_completed_sale_as_complete_answers_it(
    cashier_client, storefront, cart, cashier
):
    response = _post(cashier_client, _cart_body(storefront, cart, notes="Counter 2"))

    assert response.status_code == 201
    body = response.json()
    shown = cashier_client.get(reverse("sale-detail", kwargs={"pk": body["id"]})).json()
    # Each answer signs its own link, stamped with the second it was made.
    assert body.pop("receipt_url") and shown.pop("receipt_url")
    # The detail alone carries each line's lots (the checkout's budget leaves them out).
    assert all(line.pop("lots") == [] for line in shown["items"])
    assert body == shown
    assert body["created_by"] == cashier.pk
    assert body["notes"] == "Counter 2"
    sale = Sale.objects.get()
    assert sale.status == SaleStatus.COMPLETED
    assert SaleItem.objects.filter(sale=sale).count() == 2


def test_a_repeated_key_answers_the_first_sale_and_sells_once(cashier_client, storefront, cart):
    body = _cart_body(storefront, cart)

    first = _post(cashier_client, body, HTTP_IDEMPOTENCY_KEY="till-7-0001")
    again = _post(cashier_client, body, HTTP_IDEMPOTENCY_KEY="till-7-0001")

    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Sale.objects.count() == 1
    medicine, quantity = cart[0]
    assert Stock.objects.get(medicine=medicine).quantity == 100 - quantity


def test_a_key_reused_for_another_cart_is_422(cashier_client, storefront, cart):
    _post(cashier_client, _cart_body(storefront, cart), HTTP_IDEMPOTENCY_KEY="till-7-0002")

    response = _post(
        cashier_client,
        _cart_body(storefront, cart[:1], payments=(("CASH", "50.80"),)),
        HTTP_IDEMPOTENCY_KEY="till-7-0002",
    )

    assert assert_error(response, 422)["code"] == "idempotency_key_mismatch"
    assert Sale.objects.count() == 1


def test_a_refused_checkout_frees_its_key_for_the_corrected_cart(cashier_client, storefront, cart):
    short = _post(
        cashier_client,
        _cart_body(storefront, cart, payments=(("CASH", "1.00"),)),
        HTTP_IDEMPOTENCY_KEY="till-7-0003",
    )
    corrected = _post(
        cashier_client,
        _cart_body(storefront, cart, payments=(("CASH", "1.00"),)),
        HTTP_IDEMPOTENCY_KEY="till-7-0003",
    )

    assert short.status_code == corrected.status_code == 400
    assert not Sale.objects.exists()


# At most this many data statements for a whole checkout, key and answer included (the draft
# flow's six requests take about 75), and this many with the transactions' BEGIN and COMMIT
# (two transactions: the key's claim, and the work; the service takes no savepoint inside
# the work's) and the claim's setting to commit without waiting for the disk. Counted
# outside a test transaction, so that the request's transactions are real ones, as in
# production. One of them finds the caller's open till session, which takes the money; the
# stock and the receipt number are one statement each (taken with their locks). The lots
# add two: the takes recorded (the lots locked and read, FEFO, in the same INSERT), and the
# lots decremented.
LOT_STATEMENTS = 2
MAX_CHECKOUT_STATEMENTS = 15 + LOT_STATEMENTS
MAX_CHECKOUT_STATEMENTS_WITH_TRANSACTIONS = 20 + LOT_STATEMENTS
# With a customer and an on-account tender: the customer's lock, the ledger entry (numbered
# from the locked customer row), the customer's balance, statistics and last ledger
# sequence in one UPDATE, the business's receivables summary and due slot on top.
MAX_ON_ACCOUNT_CHECKOUT_STATEMENTS = 20 + LOT_STATEMENTS
# The two transactions' BEGIN and COMMIT, and the claim's commit setting.
ON_ACCOUNT_TRANSACTION_CONTROL_STATEMENTS = 5
TRANSACTION_CONTROL = (
    "BEGIN",
    "COMMIT",
    "ROLLBACK",
    "SAVEPOINT",
    "RELEASE SAVEPOINT",
    "SET LOCAL synchronous_commit",
)


def _data_statements(queries) -> list[str]:
    return [q["sql"] for q in queries if not q["sql"].startswith(TRANSACTION_CONTROL)]


@pytest.fixture
def three_lines(stocked, cashier_client, storefront):
    lines = [(stocked("15.60"), 1), (stocked("29.80"), 2), (stocked("44.70"), 1)]
    # The business's first sales make its receipt sequence, audit chain, receivables
    # summary and due slot: not the steady state measured.
    warm = CustomerFactory(business=storefront.business, credit_limit=None)
    response = _post(
        cashier_client,
        _cart_body(
            storefront, lines[:1], payments=(("ON_ACCOUNT", "15.60"),), customer=str(warm.pk)
        ),
    )
    assert response.status_code == 201, response.json()
    return lines


@pytest.mark.django_db(transaction=True)
def test_a_walk_in_checkout_costs_a_bounded_number_of_statements(
    django_assert_max_num_queries, cashier_client, storefront, three_lines
):
    body = _cart_body(storefront, three_lines, payments=(("CASH", "120.00"),))

    with django_assert_max_num_queries(MAX_CHECKOUT_STATEMENTS_WITH_TRANSACTIONS) as queries:
        response = _post(cashier_client, body, HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()))

    assert response.status_code == 201, response.json()
    assert response.json()["change_due"] == "0.10"
    assert len(_data_statements(queries.captured_queries)) <= MAX_CHECKOUT_STATEMENTS


@pytest.mark.django_db(transaction=True)
def test_an_on_account_checkout_costs_a_bounded_number_of_statements(
    django_assert_max_num_queries, cashier_client, storefront, three_lines, business
):
    customer = CustomerFactory(business=business, credit_limit=Decimal("1000.00"))
    body = _cart_body(
        storefront,
        three_lines,
        payments=(("CASH", "19.90"), ("ON_ACCOUNT", "100.00")),
        customer=str(customer.pk),
    )

    with django_assert_max_num_queries(
        MAX_ON_ACCOUNT_CHECKOUT_STATEMENTS + ON_ACCOUNT_TRANSACTION_CONTROL_STATEMENTS
    ) as queries:
        response = _post(cashier_client, body, HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()))

    assert response.status_code == 201, response.json()
    assert response.json()["amount_due"] == "100.00"
    assert len(_data_statements(queries.captured_queries)) <= MAX_ON_ACCOUNT_CHECKOUT_STATEMENTS
    assert not [q for q in queries.captured_queries if q["sql"].startswith("SAVEPOINT")]
