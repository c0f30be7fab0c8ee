"""A checkout through a client that nobody here wrote: generated from the live schema by
openapi-python-client, then driven against a live test server as a till would drive it,
with the generator's defaults (its `AuthenticatedClient` sends `Bearer <key>`).

If the schema says something the server does not do (a type, an enum, a status, a field),
the generated code fails here: the schema stays true enough for generators to trust.
"""

import importlib
import json
import os
import subprocess
import sys
import urllib.request
import uuid
from decimal import Decimal

import pytest

from pos_project.models import Role
from tests.factories.customers import CustomerFactory
from tests.factories.kernel import PASSWORD, BusinessFactory, StaffMemberFactory, StorefrontFactory
from tests.factories.medicine import MedicineFactory, StockFactory

pytestmark = [pytest.mark.generated_client, pytest.mark.django_db(transaction=True)]

PACKAGE = "pos_client"
BIN = os.path.dirname(sys.executable)


@pytest.fixture
def pos_client(live_server, tmp_path, monkeypatch):
    """The generated package, from the schema the live server serves."""
    with urllib.request.urlopen(f"{live_server.url}/api/schema/?format=json") as answer:
        schema = json.load(answer)
    schema_file = tmp_path / "schema.json"
    schema_file.write_text(json.dumps(schema))
    generated = subprocess.run(
        [
            os.path.join(BIN, "openapi-python-client"),
            "generate",
            "--path",
            str(schema_file),
            "--meta",
            "none",
            "--output-path",
            str(tmp_path / PACKAGE),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        # Its formatting step runs ruff, which lives next to this interpreter.
        env={**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"},
    )
    output = generated.stdout + generated.stderr
    assert generated.returncode == 0, output
    assert "Warning" not in output, output
    monkeypatch.syspath_prepend(str(tmp_path))
    yield importlib.import_module(PACKAGE)
    for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
        del sys.modules[name]


@pytest.fixture
def shop():
    business = BusinessFactory(name="Pharmacie Atlas")
    storefront = StorefrontFactory(business=business, name="Main")
    cashier = StaffMemberFactory(business=business, role=Role.CASHIER).user
    customer = CustomerFactory(
        business=business, name="Khadija Berrada", phone="+212612302235", credit_limit=None
    )
    medicine = MedicineFactory(business=business, name="Amlor", prix_br=Decimal("45.50"))
    StockFactory(medicine=medicine, storefront=storefront, quantity=20)
    return {"cashier": cashier, "customer": customer, "medicine": medicine}


def ok(response, status=200):
    assert response.status_code == status, response.content[:500]
    assert response.parsed is not None
    return response.parsed


def test_a_whole_checkout_through_the_generated_client(live_server, pos_client, shop):
    from pos_client import AuthenticatedClient, Client
    from pos_client.api.api import (
        api_auth_token_create,
        api_auth_token_destroy,
        api_me_retrieve,
        api_storefronts_list,
    )
    from pos_client.api.customers import (
        customers_api_customers_list,
        customers_api_customers_record_payment_create,
        customers_api_customers_sales_list,
    )
    from pos_client.api.medicine import medicine_api_medicines_list
    from pos_client.api.sales import (
        sales_api_audit_logs_list,
        sales_api_sales_complete_create,
        sales_api_sales_create,
        sales_api_sales_items_create,
        sales_api_sales_receipt_page_retrieve,
        sales_api_sales_receipt_retrieve,
        sales_api_sales_update_customer_partial_update,
    )
    from pos_client.models import (
        CustomersApiCustomersListIsActive,
        CustomersApiCustomersListOrdering,
        DebtPaymentMethodEnum,
        MedicineApiMedicinesListOrdering,
        PatchedUpdateCustomerRequest,
        PaymentInputRequest,
        PaymentMethodEnum,
        RecordPaymentRequest,
        RetailWholesaleEnum,
        SaleCompleteRequest,
        SaleCreateRequest,
        SaleCreateStatusEnum,
        SaleItemAddRequest,
        TokenRequestRequest,
    )

    # Log in, and learn where the till stands.
    login = Client(base_url=live_server.url)
    credentials = TokenRequestRequest(username=shop["cashier"].username, password=PASSWORD)
    token = ok(api_auth_token_create.sync_detailed(client=login, body=credentials)).token
    till = AuthenticatedClient(base_url=live_server.url, token=token)
    assert ok(api_me_retrieve.sync_detailed(client=till)).username == shop["cashier"].username
    storefront = ok(api_storefronts_list.sync_detailed(client=till)).results[0]

    # Open a sale as the till writes it, and find the customer by the last digits of a phone.
    body = SaleCreateRequest(
        storefront=storefront.id,
        type_=RetailWholesaleEnum.RETAIL,
        status=SaleCreateStatusEnum.DRAFT,
    )
    sale = ok(sales_api_sales_create.sync_detailed(client=till, body=body), 201)
    found = ok(
        customers_api_customers_list.sync_detailed(
            client=till,
            search="02235",
            is_active=CustomersApiCustomersListIsActive.ALL,
            ordering=CustomersApiCustomersListOrdering("-name"),
            page_size=10,
        )
    ).results
    assert [customer.id for customer in found] == [shop["customer"].pk]
    changed = ok(
        sales_api_sales_update_customer_partial_update.sync_detailed(
            id=sale.id, client=till, body=PatchedUpdateCustomerRequest(customer=found[0].id)
        )
    )
    assert changed.sale.customer_name == "Khadija Berrada"

    # Ring up two boxes, and take cash and the rest on account.
    medicines = ok(
        medicine_api_medicines_list.sync_detailed(
            client=till, ordering=MedicineApiMedicinesListOrdering.NAME
        )
    ).results
    item = SaleItemAddRequest(medicine=medicines[0].id, quantity=2)
    rung_up = ok(
        sales_api_sales_items_create.sync_detailed(id=sale.id, client=till, body=item), 201
    )
    assert rung_up.total_amount == "91.00"
    payments = [
        PaymentInputRequest(method=PaymentMethodEnum.CASH, amount="50.00"),
        PaymentInputRequest(method=PaymentMethodEnum.ON_ACCOUNT, amount="41.00"),
    ]
    completed = ok(
        sales_api_sales_complete_create.sync_detailed(
            id=sale.id,
            client=till,
            body=SaleCompleteRequest(payments=payments),
            idempotency_key=str(uuid.uuid4()),
        )
    )
    assert completed.status.value == "COMPLETED"
    assert completed.on_account_amount == "41.00"

    # The receipt, its printable link, the sale's history and the customer's purchases.
    receipt = ok(sales_api_sales_receipt_retrieve.sync_detailed(id=sale.id, client=till))
    assert receipt.receipt_number == completed.receipt_number
    page = ok(sales_api_sales_receipt_page_retrieve.sync_detailed(id=sale.id, client=till))
    assert completed.receipt_number in page
    with urllib.request.urlopen(completed.receipt_url) as page:
        assert completed.receipt_number in page.read().decode()
    history = ok(sales_api_audit_logs_list.sync_detailed(client=till, sale=sale.id)).results
    assert "sale.customer_updated" in {entry.event_type for entry in history}
    purchases = ok(
        customers_api_customers_sales_list.sync_detailed(id=shop["customer"].pk, client=till)
    ).results
    assert [(row.id, row.amount_due) for row in purchases] == [(sale.id, "41.00")]
    assert purchases[0].date is not None

    # The customer settles their debt at the till.
    paid = ok(
        customers_api_customers_record_payment_create.sync_detailed(
            id=shop["customer"].pk,
            client=till,
            body=RecordPaymentRequest(amount="41.00", method=DebtPaymentMethodEnum.CASH),
            idempotency_key=str(uuid.uuid4()),
        ),
        201,
    )
    assert paid.outstanding_balance == "0.00"

    # The till logs out: its key no longer opens anything.
    assert api_auth_token_destroy.sync_detailed(client=till).status_code == 204
    assert api_me_retrieve.sync_detailed(client=till).status_code == 401


def test_a_whole_cart_in_one_request_through_the_generated_client(live_server, pos_client, shop):
    from pos_client import AuthenticatedClient, Client
    from pos_client.api.api import api_auth_token_create, api_storefronts_list
    from pos_client.api.sales import sales_checkout
    from pos_client.models import (
        CartLineRequest,
        PaymentInputRequest,
        PaymentMethodEnum,
        RetailWholesaleEnum,
        SaleCheckoutRequest,
        TokenRequestRequest,
    )

    login = Client(base_url=live_server.url)
    credentials = TokenRequestRequest(username=shop["cashier"].username, password=PASSWORD)
    token = ok(api_auth_token_create.sync_detailed(client=login, body=credentials)).token
    till = AuthenticatedClient(base_url=live_server.url, token=token)
    storefront = ok(api_storefronts_list.sync_detailed(client=till)).results[0]
    body = SaleCheckoutRequest(
        storefront=storefront.id,
        type_=RetailWholesaleEnum.RETAIL,
        customer=shop["customer"].pk,
        items=[CartLineRequest(medicine=shop["medicine"].pk, quantity=2)],
        payments=[
            PaymentInputRequest(method=PaymentMethodEnum.CASH, amount="50.00"),
            PaymentInputRequest(method=PaymentMethodEnum.ON_ACCOUNT, amount="41.00"),
        ],
    )
    key = str(uuid.uuid4())

    sold = ok(sales_checkout.sync_detailed(client=till, body=body, idempotency_key=key), 201)
    again = ok(sales_checkout.sync_detailed(client=till, body=body, idempotency_key=key), 201)

    assert sold.status.value == "COMPLETED"
    assert sold.total_amount == "91.00"
    assert sold.on_account_amount == "41.00"
    assert [(line.quantity, line.line_total) for line in sold.items] == [(2, "91.00")]
    assert again.id == sold.id
