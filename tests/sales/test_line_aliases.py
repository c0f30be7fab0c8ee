"""A line's medicine may be sent as `product`, the name seed 004's `addItemToSale` uses, as a
medicine's price may be sent as `ppv`: either name, or both when they agree."""

import pytest
from django.urls import reverse

from sales.models import SaleItem
from tests.contracts import assert_error
from tests.sales.conftest import sale_url


def add(client, sale, body):
    return client.post(sale_url(sale, "sale-items"), body, format="json")


def test_an_item_sent_with_product_is_rung_up_as_its_medicine(cashier_client, draft, medicine):
    response = add(cashier_client, draft, {"product": str(medicine.pk), "quantity": 2})

    assert response.status_code == 201, response.content
    assert [(line["medicine"], line["quantity"]) for line in response.json()["items"]] == [
        (str(medicine.pk), 2)
    ]


def test_both_names_may_be_sent_when_they_agree(cashier_client, draft, medicine):
    body = {"medicine": str(medicine.pk), "product": str(medicine.pk), "quantity": 1}

    assert add(cashier_client, draft, body).status_code == 201


def test_two_different_medicines_are_a_400_and_add_nothing(
    cashier_client, draft, medicine, stocked
):
    other = stocked("10.00")
    body = {"medicine": str(medicine.pk), "product": str(other.pk), "quantity": 1}

    fields = assert_error(add(cashier_client, draft, body), 400)["fields"]

    assert "must be equal" in fields["product"][0]
    assert not SaleItem.objects.filter(sale=draft).exists()


def test_neither_name_is_a_400_naming_both(cashier_client, draft):
    fields = assert_error(add(cashier_client, draft, {"quantity": 1}), 400)["fields"]

    assert fields == {"medicine": ["Send the medicine as `medicine` or `product`."]}


def test_the_one_request_checkout_takes_product_too(cashier_client, storefront, medicine):
    body = {
        "storefront": str(storefront.pk),
        "items": [{"product": str(medicine.pk), "quantity": 2}],
        "payments": [{"method": "CASH", "amount": "50.80"}],
    }

    response = cashier_client.post(reverse("sale-checkout"), body, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["items"][0]["medicine"] == str(medicine.pk)


@pytest.mark.parametrize("component", ["SaleItemAddRequest", "CartLineRequest"])
def test_the_schema_lists_both_names(anon_client, component):
    schema = anon_client.get("/api/schema/?format=json").json()

    properties = schema["components"]["schemas"][component]["properties"]
    assert {"medicine", "product"} <= set(properties)
    assert properties["product"]["format"] == "uuid"
