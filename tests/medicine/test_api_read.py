"""Reading the catalogue: both price names, stock per storefront, search, filters, order."""

from decimal import Decimal

import pytest

from tests.contracts import assert_error, assert_flat_queries
from tests.factories.kernel import StorefrontFactory
from tests.factories.medicine import MedicineFactory, StockFactory
from tests.medicine.helpers import LIST_URL, detail_url

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    assert response.status_code == 200, response.content[:300]
    return [item["name"] for item in response.json()["results"]]


def test_a_medicine_reads_with_ppv_equal_to_prix_br_and_its_stock(cashier_client, business):
    # given a medicine stocked in two storefronts, one wholesale price unset
    medicine = MedicineFactory(business=business, name="Doliprane 1g", prix_br=Decimal("15.60"))
    main = StorefrontFactory(business=business, name="Main")
    annex = StorefrontFactory(business=business, name="Annex")
    StockFactory(medicine=medicine, storefront=main, quantity=7)
    StockFactory(medicine=medicine, storefront=annex, quantity=3)

    # when a cashier reads it
    body = cashier_client.get(detail_url(medicine)).json()

    # then both names carry the same price, wholesale falls back, stock is itemised and summed
    assert body["prix_br"] == body["ppv"] == "15.60"
    assert body["wholesale_price"] is None
    assert body["effective_wholesale_price"] == "15.60"
    assert body["stock"] == [
        {
            "storefront": str(annex.pk),
            "storefront_name": "Annex",
            "quantity": 3,
            "sellable": 3,
            "nearest_expiry": None,
        },
        {
            "storefront": str(main.pk),
            "storefront_name": "Main",
            "quantity": 7,
            "sellable": 7,
            "nearest_expiry": None,
        },
    ]
    assert body["total_stock"] == 10


def test_the_effective_wholesale_price_is_the_wholesale_price_when_set(cashier_client, business):
    medicine = MedicineFactory(
        business=business, prix_br=Decimal("29.80"), wholesale_price=Decimal("26.50")
    )
    body = cashier_client.get(detail_url(medicine)).json()
    assert body["wholesale_price"] == body["effective_wholesale_price"] == "26.50"
    assert body["stock"] == [] and body["total_stock"] == 0


def test_the_list_is_paginated_and_shows_ppv(cashier_client, business):
    MedicineFactory(business=business, prix_br=Decimal("12.90"))
    body = cashier_client.get(LIST_URL).json()
    assert body["count"] == 1
    assert body["results"][0]["ppv"] == body["results"][0]["prix_br"] == "12.90"


def test_another_business_neither_lists_nor_reads_our_medicines(other_client, business):
    medicine = MedicineFactory(business=business)
    assert other_client.get(LIST_URL).json()["count"] == 0
    assert_error(other_client.get(detail_url(medicine)), 404)


def test_search_matches_name_and_generic_name_in_part_and_any_case(cashier_client, business):
    MedicineFactory(business=business, name="Doliprane 1g", generic_name="Paracétamol")
    MedicineFactory(business=business, name="Dafalgan", generic_name="Paracetamol")
    MedicineFactory(business=business, name="Smecta", generic_name="Diosmectite")

    assert names(cashier_client.get(LIST_URL, {"search": "DOLI"})) == ["Doliprane 1g"]
    assert names(cashier_client.get(LIST_URL, {"search": "paracetamol"})) == ["Dafalgan"]
    assert names(cashier_client.get(LIST_URL, {"search": "smec"})) == ["Smecta"]


def test_search_matches_the_barcode_exactly_only(cashier_client, business):
    MedicineFactory(business=business, name="Spasfon", barcode="6118000000017")
    MedicineFactory(business=business, name="Smecta", barcode="6118000000024")

    assert names(cashier_client.get(LIST_URL, {"search": "6118000000017"})) == ["Spasfon"]
    assert names(cashier_client.get(LIST_URL, {"search": "611800000001"})) == []


def test_filter_is_active(cashier_client, business):
    MedicineFactory(business=business, name="Active")
    MedicineFactory(business=business, name="Retired", is_active=False)

    assert names(cashier_client.get(LIST_URL, {"is_active": "true"})) == ["Active"]
    assert names(cashier_client.get(LIST_URL, {"is_active": "false"})) == ["Retired"]


def test_filter_in_stock_at_a_storefront(cashier_client, business, storefront):
    annex = StorefrontFactory(business=business, name="Annex")
    here = MedicineFactory(business=business, name="Here")
    empty = MedicineFactory(business=business, name="Empty here")
    elsewhere = MedicineFactory(business=business, name="Elsewhere")
    MedicineFactory(business=business, name="Never stocked")
    StockFactory(medicine=here, storefront=storefront, quantity=2)
    StockFactory(medicine=here, storefront=annex, quantity=5)
    StockFactory(medicine=empty, storefront=storefront, quantity=0)
    StockFactory(medicine=elsewhere, storefront=annex, quantity=4)

    response = cashier_client.get(LIST_URL, {"in_stock_at": str(storefront.pk)})

    assert names(response) == ["Here"]
    assert response.json()["count"] == 1


@pytest.mark.parametrize("value", ["not-a-uuid", "00000000-0000-0000-0000-000000000000"])
def test_filter_in_stock_at_an_unknown_storefront_is_a_400(cashier_client, storefront, value):
    body = assert_error(cashier_client.get(LIST_URL, {"in_stock_at": value}), 400)
    assert "in_stock_at" in body["fields"]


def test_filter_in_stock_at_another_business_storefront_is_a_400(
    cashier_client, storefront, other_storefront
):
    response = cashier_client.get(LIST_URL, {"in_stock_at": str(other_storefront.pk)})
    body = assert_error(response, 400, "Invalid input")
    assert "in_stock_at" in body["fields"]


def test_ordering_by_name_and_by_price_and_its_ppv_alias(cashier_client, business):
    MedicineFactory(business=business, name="B", prix_br=Decimal("30.00"))
    MedicineFactory(business=business, name="A", prix_br=Decimal("50.00"))
    MedicineFactory(business=business, name="C", prix_br=Decimal("10.00"))

    assert names(cashier_client.get(LIST_URL)) == ["A", "B", "C"]
    assert names(cashier_client.get(LIST_URL, {"ordering": "-name"})) == ["C", "B", "A"]
    assert names(cashier_client.get(LIST_URL, {"ordering": "prix_br"})) == ["C", "B", "A"]
    assert names(cashier_client.get(LIST_URL, {"ordering": "-prix_br"})) == ["A", "B", "C"]
    assert names(cashier_client.get(LIST_URL, {"ordering": "ppv"})) == ["C", "B", "A"]
    assert names(cashier_client.get(LIST_URL, {"ordering": "-ppv"})) == ["A", "B", "C"]


def test_ordering_by_a_field_not_allowed_is_a_400_naming_the_allowed_ones(cashier_client, business):
    MedicineFactory(business=business, name="B", barcode="1")
    body = assert_error(cashier_client.get(LIST_URL, {"ordering": "-barcode"}), 400)
    assert body["fields"]["ordering"] == [
        "Unknown ordering -barcode. Allowed: name, -name, prix_br, -prix_br, ppv, -ppv."
    ]


def test_the_list_costs_the_same_queries_for_5_or_50_stocked_medicines(
    cashier_client, business, storefront, django_assert_max_num_queries
):
    annex = StorefrontFactory(business=business, name="Annex")

    def grow(count):
        from medicine.models import Medicine

        while Medicine.objects.filter(business=business).count() < count:
            medicine = MedicineFactory(business=business)
            StockFactory(medicine=medicine, storefront=storefront, quantity=3)
            StockFactory(medicine=medicine, storefront=annex, quantity=1)

    def fetch():
        response = cashier_client.get(LIST_URL, {"page_size": 200})
        assert all(item["total_stock"] == 4 for item in response.json()["results"])
        return response

    assert_flat_queries(django_assert_max_num_queries, fetch, grow)


def test_the_filtered_list_costs_flat_queries_too(
    cashier_client, business, storefront, django_assert_max_num_queries
):
    def grow(count):
        from medicine.models import Medicine

        while Medicine.objects.filter(business=business).count() < count:
            StockFactory(medicine=MedicineFactory(business=business), storefront=storefront)

    def fetch():
        return cashier_client.get(
            LIST_URL, {"in_stock_at": str(storefront.pk), "search": "Medicine", "page_size": 200}
        )

    assert_flat_queries(django_assert_max_num_queries, fetch, grow)
