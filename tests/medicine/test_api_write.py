"""Changing the catalogue: who may, the ppv alias, bad prices, audit, and deleting."""

from decimal import Decimal

import pytest

from audit.models import AuditLog
from medicine.models import Medicine
from tests.contracts import assert_audited, assert_error
from tests.factories.medicine import MedicineFactory
from tests.medicine.helpers import LIST_URL, detail_url, sell

pytestmark = pytest.mark.django_db

NEW = {
    "name": "Spasfon 80mg",
    "generic_name": "Phloroglucinol",
    "form": "Comprimé",
    "strength": "80 mg",
    "barcode": "6118000000017",
    "prix_br": "32.80",
}


def test_a_manager_creates_a_medicine_with_prix_br(manager_client, business):
    response = manager_client.post(LIST_URL, NEW, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["prix_br"] == body["ppv"] == "32.80"
    assert body["effective_wholesale_price"] == "32.80"
    assert body["stock"] == [] and body["total_stock"] == 0
    medicine = Medicine.objects.get(pk=body["id"])
    assert medicine.business == business and medicine.prix_br == Decimal("32.80")
    assert_audited("medicine.created", business=business)


def test_an_owner_creates_a_medicine_with_ppv_only(owner_client):
    body = {**NEW, "prix_br": None}
    del body["prix_br"]
    response = owner_client.post(LIST_URL, {**body, "ppv": "25.40"}, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["prix_br"] == "25.40"
    assert Medicine.objects.get().prix_br == Decimal("25.40")


def test_both_price_names_may_be_sent_when_equal(manager_client):
    response = manager_client.post(LIST_URL, {**NEW, "ppv": "32.80"}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["ppv"] == "32.80"


def test_both_price_names_with_different_values_is_a_400_naming_ppv(manager_client):
    response = manager_client.post(LIST_URL, {**NEW, "ppv": "30.00"}, format="json")
    body = assert_error(response, 400, "Invalid input")
    assert "ppv" in body["fields"]
    assert not Medicine.objects.exists()


def test_a_price_is_required_on_create(manager_client):
    payload = {key: value for key, value in NEW.items() if key != "prix_br"}
    body = assert_error(manager_client.post(LIST_URL, payload, format="json"), 400)
    assert "prix_br" in body["fields"]


BAD_PRICES = ["0", "0.00", "-1.00", "abc", "12.345", "NaN", "Infinity", ""]
BAD_PRICE_CASES = [
    (field, value)
    for field in ("prix_br", "ppv", "wholesale_price")
    for value in BAD_PRICES
    # An empty wholesale price is not bad: it means none, and the public price applies.
    if not (field == "wholesale_price" and value == "")
]


@pytest.mark.parametrize(("field", "value"), BAD_PRICE_CASES)
def test_a_bad_price_on_create_is_a_400_naming_the_field(manager_client, field, value):
    payload = {**NEW, field: value}
    if field == "ppv":
        del payload["prix_br"]
    body = assert_error(manager_client.post(LIST_URL, payload, format="json"), 400)
    assert field in body["fields"], body
    assert not Medicine.objects.exists()
    assert not AuditLog.objects.filter(event_type__startswith="medicine.").exists()


@pytest.mark.parametrize("value", [0, -5, 12.345, True, [], {}])
def test_a_non_string_bad_price_is_a_400_too(manager_client, value):
    body = assert_error(
        manager_client.post(LIST_URL, {**NEW, "prix_br": value}, format="json"), 400
    )
    assert "prix_br" in body["fields"]


def test_a_json_number_price_with_two_decimals_is_accepted(manager_client):
    response = manager_client.post(LIST_URL, {**NEW, "prix_br": 25.4}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["prix_br"] == "25.40"


def test_a_wholesale_price_above_the_public_price_is_a_400(manager_client):
    response = manager_client.post(LIST_URL, {**NEW, "wholesale_price": "40.00"}, format="json")
    body = assert_error(response, 400)
    assert "wholesale_price" in body["fields"]
    assert not Medicine.objects.exists()


@pytest.mark.parametrize("field", ["prix_brr", "stock", "total_stock", "id", "business"])
def test_unknown_or_read_only_fields_are_refused(manager_client, field):
    body = assert_error(manager_client.post(LIST_URL, {**NEW, field: "x"}, format="json"), 400)
    assert field in body["fields"]
    assert not Medicine.objects.exists()


def test_a_barcode_already_used_in_the_business_is_a_400(manager_client, business):
    MedicineFactory(business=business, barcode=NEW["barcode"])
    body = assert_error(manager_client.post(LIST_URL, NEW, format="json"), 400)
    assert "barcode" in body["fields"]


def test_the_same_barcode_in_another_business_is_fine(manager_client, other_business):
    MedicineFactory(business=other_business, barcode=NEW["barcode"])
    assert manager_client.post(LIST_URL, NEW, format="json").status_code == 201


def test_an_empty_wholesale_price_means_none(manager_client):
    response = manager_client.post(LIST_URL, {**NEW, "wholesale_price": ""}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["wholesale_price"] is None


def test_a_blank_barcode_is_stored_as_none_so_many_may_lack_one(manager_client):
    for name in ("One", "Two"):
        response = manager_client.post(
            LIST_URL, {**NEW, "name": name, "barcode": ""}, format="json"
        )
        assert response.status_code == 201, response.content
        assert response.json()["barcode"] is None


def test_a_body_that_is_not_an_object_is_a_400(manager_client):
    assert_error(manager_client.post(LIST_URL, ["x"], format="json"), 400)
    assert_error(manager_client.post(LIST_URL, "x", format="json"), 400)


def test_a_cashier_may_not_write(cashier_client, business):
    medicine = MedicineFactory(business=business)
    assert_error(cashier_client.post(LIST_URL, NEW, format="json"), 403)
    assert_error(cashier_client.patch(detail_url(medicine), {"ppv": "1.00"}, format="json"), 403)
    assert_error(cashier_client.put(detail_url(medicine), NEW, format="json"), 403)
    assert_error(cashier_client.delete(detail_url(medicine)), 403)
    medicine.refresh_from_db()
    assert medicine.prix_br == Decimal("25.40")


def test_another_business_cannot_change_or_delete_our_medicine(other_client, business):
    medicine = MedicineFactory(business=business)
    assert_error(other_client.patch(detail_url(medicine), {"ppv": "1.00"}, format="json"), 404)
    assert_error(other_client.delete(detail_url(medicine)), 404)
    assert Medicine.objects.filter(pk=medicine.pk, prix_br=Decimal("25.40")).exists()


def test_a_price_change_through_ppv_shows_in_prix_br_and_is_audited(
    manager_client, manager, business
):
    # given a medicine at 25.40 with a wholesale price
    medicine = MedicineFactory(
        business=business, prix_br=Decimal("25.40"), wholesale_price=Decimal("22.00")
    )

    # when a manager sends the new price as ppv
    response = manager_client.patch(detail_url(medicine), {"ppv": "27.90"}, format="json")

    # then prix_br reads the new price and the change is in the audit trail, old and new
    assert response.status_code == 200, response.content
    assert response.json()["prix_br"] == response.json()["ppv"] == "27.90"
    entry = assert_audited("medicine.price_changed", business=business)
    assert entry.user == manager
    assert entry.event_data["changes"] == {"prix_br": {"old": "25.40", "new": "27.90"}}
    assert entry.description == f"{medicine.name}: price from 25.40 DH to 27.90 DH"
    assert entry.event_data["medicine"] == str(medicine.pk)


def test_a_wholesale_price_change_is_audited_as_a_price_change(manager_client, business):
    medicine = MedicineFactory(business=business, prix_br=Decimal("25.40"))
    response = manager_client.patch(
        detail_url(medicine), {"wholesale_price": "20.10"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["effective_wholesale_price"] == "20.10"
    entry = assert_audited("medicine.price_changed")
    assert entry.event_data["changes"] == {"wholesale_price": {"old": None, "new": "20.10"}}
    assert entry.description.endswith("wholesale price from not set to 20.10 DH")


def test_clearing_the_wholesale_price_falls_back_to_the_public_price(manager_client, business):
    medicine = MedicineFactory(
        business=business, prix_br=Decimal("25.40"), wholesale_price=Decimal("20.00")
    )
    response = manager_client.patch(detail_url(medicine), {"wholesale_price": None}, format="json")
    assert response.json()["effective_wholesale_price"] == "25.40"


def test_other_changes_are_audited_as_updates_not_price_changes(manager_client, business):
    medicine = MedicineFactory(business=business, name="Old name")
    response = manager_client.patch(
        detail_url(medicine), {"name": "New name", "is_active": False}, format="json"
    )
    assert response.status_code == 200, response.content
    entry = assert_audited("medicine.updated")
    assert entry.event_data["changes"] == {
        "name": {"old": "Old name", "new": "New name"},
        "is_active": {"old": True, "new": False},
    }
    assert not AuditLog.objects.filter(event_type="medicine.price_changed").exists()


def test_sending_the_same_values_changes_and_audits_nothing(manager_client, business):
    medicine = MedicineFactory(business=business, prix_br=Decimal("25.40"))
    response = manager_client.patch(
        detail_url(medicine), {"prix_br": "25.40", "name": medicine.name}, format="json"
    )
    assert response.status_code == 200
    assert not AuditLog.objects.filter(event_type__startswith="medicine.").exists()


def test_put_replaces_details_and_needs_a_price(manager_client, business):
    medicine = MedicineFactory(business=business)
    body = assert_error(manager_client.put(detail_url(medicine), {"name": "X"}, format="json"), 400)
    assert "prix_br" in body["fields"]
    response = manager_client.put(detail_url(medicine), NEW, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["name"] == NEW["name"]


@pytest.mark.parametrize("value", ["0", "-3", "abc", "1.999"])
def test_a_bad_price_on_update_is_a_400_and_changes_nothing(manager_client, business, value):
    medicine = MedicineFactory(business=business, prix_br=Decimal("25.40"))
    body = assert_error(
        manager_client.patch(detail_url(medicine), {"ppv": value}, format="json"), 400
    )
    assert "ppv" in body["fields"]
    medicine.refresh_from_db()
    assert medicine.prix_br == Decimal("25.40")


def test_lowering_the_price_below_the_wholesale_price_is_a_400(manager_client, business):
    medicine = MedicineFactory(
        business=business, prix_br=Decimal("25.40"), wholesale_price=Decimal("22.00")
    )
    response = manager_client.patch(detail_url(medicine), {"prix_br": "20.00"}, format="json")
    body = assert_error(response, 400)
    assert "wholesale_price" in body["fields"]
    assert not AuditLog.objects.filter(event_type="medicine.price_changed").exists()


def test_taking_another_medicines_barcode_is_a_400(manager_client, business):
    MedicineFactory(business=business, barcode="111")
    medicine = MedicineFactory(business=business, barcode="222")
    body = assert_error(
        manager_client.patch(detail_url(medicine), {"barcode": "111"}, format="json"), 400
    )
    assert "barcode" in body["fields"]


def test_a_medicine_never_sold_is_deleted(manager_client, business):
    medicine = MedicineFactory(business=business)
    response = manager_client.delete(detail_url(medicine))
    assert response.status_code == 204
    assert not Medicine.objects.filter(pk=medicine.pk).exists()
    assert_audited("medicine.deleted", business=business)


def test_a_medicine_ever_sold_is_deactivated_instead_of_deleted(
    manager_client, business, storefront, cashier
):
    # given a medicine on a sale line
    medicine = MedicineFactory(business=business)
    sell(medicine, storefront, cashier)

    # when a manager deletes it
    response = manager_client.delete(detail_url(medicine))

    # then it stays, inactive, and the response says so
    assert response.status_code == 200, response.content
    assert response.json()["is_active"] is False
    medicine.refresh_from_db()
    assert medicine.is_active is False
    assert_audited("medicine.deactivated", business=business)
