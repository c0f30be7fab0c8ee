"""The DRAFT life: opening a sale, its lines, prices, discounts and totals."""

import uuid
from decimal import Decimal

import pytest

from sales.models import Sale, SaleItem, SaleStatus, SaleType
from tests.contracts import assert_error
from tests.factories.customers import CustomerFactory
from tests.factories.medicine import MedicineFactory
from tests.factories.sales import SaleFactory, complete_sale
from tests.sales.conftest import sale_url

LIST_URL = "/sales/api/sales/"


def _add(client, sale, medicine, quantity=1, **extra):
    return client.post(
        sale_url(sale, "sale-items"), {"medicine": str(medicine.pk), "quantity": quantity, **extra}
    )


# --- creating -----------------------------------------------------------------------------


def test_cashier_opens_a_walk_in_draft(cashier_client, storefront, cashier):
    response = cashier_client.post(LIST_URL, {"storefront": str(storefront.pk), "type": "RETAIL"})

    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "DRAFT"
    assert body["customer"] is None
    assert body["customer_name"] == "Walk-in Customer"
    assert body["total_amount"] == "0.00"
    assert body["currency"] == "MAD"
    assert body["receipt_number"] is None
    assert Sale.objects.get(pk=body["id"]).created_by == cashier


def test_a_sale_opened_as_the_till_writes_it_with_status_draft_is_accepted(
    cashier_client, storefront
):
    response = cashier_client.post(
        LIST_URL, {"storefront": str(storefront.pk), "type": "RETAIL", "status": "DRAFT"}
    )

    assert response.status_code == 201, response.content
    assert response.json()["status"] == "DRAFT"


@pytest.mark.parametrize("status", ["COMPLETED", "CANCELLED", "draft", ""])
def test_a_sale_opened_with_another_status_is_told_it_starts_as_a_draft(
    cashier_client, storefront, status
):
    response = cashier_client.post(
        LIST_URL, {"storefront": str(storefront.pk), "status": status}, format="json"
    )

    body = assert_error(response, 400, "Invalid input")
    assert "starts as a DRAFT" in body["fields"]["status"][0]
    assert not Sale.objects.exists()


def test_draft_may_start_with_a_customer_and_notes(cashier_client, storefront, customer):
    response = cashier_client.post(
        LIST_URL,
        {
            "storefront": str(storefront.pk),
            "type": "WHOLESALE",
            "customer": str(customer.pk),
            "notes": "Clinique Al Amal",
        },
    )

    assert response.status_code == 201
    assert response.json()["customer_name"] == "Fred Amugi"
    assert response.json()["type"] == "WHOLESALE"
    assert response.json()["notes"] == "Clinique Al Amal"


def test_another_business_storefront_is_refused_naming_the_field(cashier_client, other_storefront):
    response = cashier_client.post(LIST_URL, {"storefront": str(other_storefront.pk)})

    body = assert_error(response, 400, "Invalid input")
    assert "storefront" in body["fields"]
    assert not Sale.objects.exists()


def test_another_business_customer_on_create_is_the_seed_404(
    cashier_client, storefront, other_business
):
    stranger = CustomerFactory(business=other_business)

    response = cashier_client.post(
        LIST_URL, {"storefront": str(storefront.pk), "customer": str(stranger.pk)}
    )

    body = assert_error(response, 404, "Customer not found or does not belong to this business")
    assert body["customer_id"] == str(stranger.pk)


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"type": "RETAIL"},
        {"storefront": "nope"},
        {"storefront": None},
        {"storefront": "STOREFRONT", "type": "BULK"},
        {"storefront": "STOREFRONT", "status": "COMPLETED"},
        {"storefront": "STOREFRONT", "total_amount": "1.00"},
    ],
)
def test_bad_create_bodies_are_400(cashier_client, storefront, body):
    body = {k: (str(storefront.pk) if v == "STOREFRONT" else v) for k, v in body.items()}

    response = cashier_client.post(LIST_URL, body, format="json")

    assert_error(response, 400, "Invalid input")
    assert not Sale.objects.exists()


def test_deactivated_customer_cannot_open_a_sale(cashier_client, storefront, business):
    gone = CustomerFactory(business=business, is_active=False)

    response = cashier_client.post(
        LIST_URL, {"storefront": str(storefront.pk), "customer": str(gone.pk)}
    )

    assert_error(response, 400, "Customer is deactivated")


# --- lines and totals ---------------------------------------------------------------------


def test_adding_items_recomputes_totals(cashier_client, draft, stocked):
    paracetamol, syrup = stocked("15.60"), stocked("36.20")

    _add(cashier_client, draft, paracetamol, 3)
    body = _add(cashier_client, draft, syrup, 1, discount="2.20").json()

    assert body["subtotal"] == "83.00"
    assert body["discount_total"] == "2.20"
    assert body["total_amount"] == "80.80"
    assert [item["line_total"] for item in body["items"]] == ["46.80", "34.00"]
    draft.refresh_from_db()
    assert (draft.subtotal, draft.discount_total, draft.total_amount) == (
        Decimal("83.00"),
        Decimal("2.20"),
        Decimal("80.80"),
    )


def test_unit_price_is_captured_from_the_catalogue_by_type(cashier_client, draft, medicine):
    retail = _add(cashier_client, draft, medicine).json()["items"][0]
    wholesale_sale = SaleFactory(
        business=draft.business, storefront=draft.storefront, type=SaleType.WHOLESALE
    )
    wholesale = _add(cashier_client, wholesale_sale, medicine).json()["items"][0]

    assert retail["unit_price"] == "25.40"
    assert wholesale["unit_price"] == "20.00"


def test_wholesale_falls_back_to_public_price(cashier_client, business, storefront, stocked):
    sale = SaleFactory(business=business, storefront=storefront, type=SaleType.WHOLESALE)
    medicine = stocked("13.80", wholesale=None)

    body = _add(cashier_client, sale, medicine).json()

    assert body["items"][0]["unit_price"] == "13.80"


def test_a_line_never_sells_above_ppv_even_if_wholesale_is_higher(
    business, storefront, cashier_actor
):
    from sales.services import sale_item_add

    # The catalogue refuses this price pair; a row written around it must still not leak.
    medicine = MedicineFactory(business=business, prix_br=Decimal("10.00"))
    medicine.wholesale_price = Decimal("12.00")
    sale = SaleFactory(business=business, storefront=storefront, type=SaleType.WHOLESALE)

    item = sale_item_add(sale=sale, medicine=medicine, quantity=1)

    assert item.unit_price == Decimal("10.00")


def test_the_same_medicine_twice_is_merged_into_one_line(cashier_client, draft, medicine):
    _add(cashier_client, draft, medicine, 2, discount="1.00")

    body = _add(cashier_client, draft, medicine, 3, discount="0.50").json()

    assert len(body["items"]) == 1
    assert body["items"][0]["quantity"] == 5
    assert body["items"][0]["discount"] == "1.50"
    assert body["items"][0]["line_total"] == "125.50"
    assert body["total_amount"] == "125.50"


def test_changing_a_line_recomputes_totals(cashier_client, draft_with_items):
    item = draft_with_items.items.order_by("created_at").first()
    url = sale_url(draft_with_items, "sale-item-detail", item_pk=item.pk)

    body = cashier_client.patch(url, {"quantity": 4, "discount": "1.60"}).json()

    assert body["items"][0]["quantity"] == 4
    assert body["items"][0]["line_total"] == "100.00"
    assert body["total_amount"] == "110.00"


def test_removing_a_line_recomputes_totals(cashier_client, draft_with_items):
    item = draft_with_items.items.order_by("created_at").first()

    response = cashier_client.delete(
        sale_url(draft_with_items, "sale-item-detail", item_pk=item.pk)
    )

    assert response.status_code == 200
    assert response.json()["total_amount"] == "10.00"
    assert len(response.json()["items"]) == 1
    assert not SaleItem.objects.filter(pk=item.pk).exists()


def test_switching_type_reprices_every_line(cashier_client, draft, stocked):
    first, second = stocked("25.40", wholesale="20.00"), stocked("13.80", wholesale=None)
    _add(cashier_client, draft, first, 2)
    _add(cashier_client, draft, second, 1)

    wholesale = cashier_client.patch(sale_url(draft), {"type": "WHOLESALE"}).json()
    retail = cashier_client.patch(sale_url(draft), {"type": "RETAIL"}).json()

    assert [i["unit_price"] for i in wholesale["items"]] == ["20.00", "13.80"]
    assert wholesale["total_amount"] == "53.80"
    assert [i["unit_price"] for i in retail["items"]] == ["25.40", "13.80"]
    assert retail["total_amount"] == "64.60"


def test_switching_to_wholesale_clamps_a_discount_so_the_line_stays_at_zero(
    cashier_client, draft, medicine
):
    _add(cashier_client, draft, medicine, 1, discount="25.40")

    body = cashier_client.patch(sale_url(draft), {"type": "WHOLESALE"}).json()

    assert body["items"][0]["discount"] == "20.00"
    assert body["items"][0]["line_total"] == "0.00"
    assert body["total_amount"] == "0.00"


def test_patch_changes_notes(cashier_client, draft):
    body = cashier_client.patch(sale_url(draft), {"notes": "Deliver Friday"}).json()

    assert body["notes"] == "Deliver Friday"


@pytest.mark.parametrize(
    "body", [{"status": "COMPLETED"}, {"customer": None}, {"total_amount": "0.01"}]
)
def test_patch_refuses_anything_but_type_and_notes(cashier_client, draft, body):
    assert_error(cashier_client.patch(sale_url(draft), body, format="json"), 400, "Invalid input")


def test_put_is_not_offered(cashier_client, draft):
    assert cashier_client.put(sale_url(draft), {"notes": "x"}).status_code == 405


# --- bad item input -----------------------------------------------------------------------


@pytest.mark.parametrize("quantity", [0, -1, 1.5, "2.5", "two", None, True, 10**9])
def test_bad_quantities_are_400_and_change_nothing(cashier_client, draft, medicine, quantity):
    response = cashier_client.post(
        sale_url(draft, "sale-items"),
        {"medicine": str(medicine.pk), "quantity": quantity},
        format="json",
    )

    body = assert_error(response, 400, "Invalid input")
    assert "quantity" in body["fields"]
    assert not draft.items.exists()


@pytest.mark.parametrize("discount", ["-1.00", "50.81", "1.001", "NaN", "abc"])
def test_bad_discounts_are_400(cashier_client, draft, medicine, discount):
    response = _add(cashier_client, draft, medicine, 2, discount=discount)

    body = assert_error(response, 400)
    assert "discount" in body.get("fields", {}), body
    assert not draft.items.exists()


def test_lowering_quantity_below_the_discount_is_refused(cashier_client, draft, medicine):
    item_id = _add(cashier_client, draft, medicine, 2, discount="30.00").json()["items"][0]["id"]

    response = cashier_client.patch(
        sale_url(draft, "sale-item-detail", item_pk=item_id), {"quantity": 1}
    )

    assert_error(response, 400, "Invalid input")
    assert draft.items.get().quantity == 2


def test_unknown_medicine_is_404(cashier_client, draft):
    response = cashier_client.post(
        sale_url(draft, "sale-items"), {"medicine": str(uuid.uuid4()), "quantity": 1}
    )

    assert_error(response, 404, "Medicine not found")


def test_another_business_medicine_is_404(cashier_client, draft, other_business):
    foreign = MedicineFactory(business=other_business)

    response = _add(cashier_client, draft, foreign)

    assert_error(response, 404, "Medicine not found")
    assert not draft.items.exists()


def test_deactivated_medicine_is_400(cashier_client, draft, stocked):
    retired = stocked("10.00", is_active=False)

    body = assert_error(_add(cashier_client, draft, retired), 400, "Invalid input")
    assert "medicine" in body["fields"]


def test_unknown_item_is_404(cashier_client, draft):
    url = sale_url(draft, "sale-item-detail", item_pk=uuid.uuid4())

    assert cashier_client.patch(url, {"quantity": 1}).status_code == 404
    assert cashier_client.delete(url).status_code == 404


def test_an_item_of_another_sale_is_404(cashier_client, draft_with_items, business, storefront):
    other = SaleFactory(business=business, storefront=storefront)
    item = draft_with_items.items.first()

    response = cashier_client.delete(sale_url(other, "sale-item-detail", item_pk=item.pk))

    assert response.status_code == 404
    assert SaleItem.objects.filter(pk=item.pk).exists()


def test_empty_item_patch_is_400(cashier_client, draft_with_items):
    item = draft_with_items.items.first()

    response = cashier_client.patch(
        sale_url(draft_with_items, "sale-item-detail", item_pk=item.pk), {}
    )

    assert_error(response, 400, "Invalid input")


# --- a sale that is no longer a draft never changes ---------------------------------------


@pytest.fixture
def finished(request, storefront, manager, cashier):
    sale = complete_sale(storefront=storefront, actor_user=cashier)
    if request.param == SaleStatus.CANCELLED:
        from pos_project.actors import Actor
        from sales.services import sale_cancel

        sale_cancel(sale=sale, reason="returned", actor=Actor.for_user(manager))
    sale.refresh_from_db()
    return sale


@pytest.mark.parametrize("finished", [SaleStatus.COMPLETED, SaleStatus.CANCELLED], indirect=True)
def test_finished_sales_refuse_every_draft_change(cashier_client, finished, medicine):
    item = finished.items.first()
    before = (finished.total_amount, finished.type, finished.notes)
    attempts = [
        cashier_client.patch(sale_url(finished), {"type": "WHOLESALE"}),
        cashier_client.patch(sale_url(finished), {"notes": "x"}),
        _add(cashier_client, finished, medicine),
        cashier_client.patch(
            sale_url(finished, "sale-item-detail", item_pk=item.pk), {"quantity": 5}
        ),
        cashier_client.delete(sale_url(finished, "sale-item-detail", item_pk=item.pk)),
    ]

    for response in attempts:
        body = assert_error(response, 400)
        assert body["current_status"] == finished.status
        assert body["allowed_status"] == "DRAFT"
    finished.refresh_from_db()
    assert (finished.total_amount, finished.type, finished.notes) == before
    assert finished.items.count() == 1


def test_another_business_sale_is_404_everywhere(other_client, draft_with_items, medicine):
    item = draft_with_items.items.first()

    assert other_client.get(sale_url(draft_with_items)).status_code == 404
    assert other_client.patch(sale_url(draft_with_items), {"notes": "x"}).status_code == 404
    assert _add(other_client, draft_with_items, medicine).status_code == 404
    assert (
        other_client.delete(
            sale_url(draft_with_items, "sale-item-detail", item_pk=item.pk)
        ).status_code
        == 404
    )
    assert draft_with_items.items.count() == 2
