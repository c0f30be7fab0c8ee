"""The catalogue in the admin: prices edited in the list and the form are audited."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from audit.models import AuditLog
from medicine.models import Medicine
from tests.conftest import admin_client_for
from tests.contracts import assert_audited
from tests.factories.kernel import UserFactory
from tests.factories.medicine import MedicineFactory, StockFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:medicine_medicine_changelist")
ADD = reverse("admin:medicine_medicine_add")


def change_url(medicine) -> str:
    return reverse("admin:medicine_medicine_change", args=[medicine.pk])


def form_data(medicine, **changes) -> dict:
    data = {
        "name": medicine.name,
        "generic_name": medicine.generic_name,
        "form": medicine.form,
        "strength": medicine.strength,
        "barcode": medicine.barcode or "",
        "prix_br": str(medicine.prix_br),
        "wholesale_price": str(medicine.wholesale_price or ""),
        "is_active": "on" if medicine.is_active else "",
        "stocks-TOTAL_FORMS": "0",
        "stocks-INITIAL_FORMS": "0",
        "stocks-MIN_NUM_FORMS": "0",
        "stocks-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def test_a_price_changed_in_the_change_form_is_audited(manager_admin, manager, business):
    medicine = MedicineFactory(business=business, prix_br=Decimal("25.40"))

    response = manager_admin.post(change_url(medicine), form_data(medicine, prix_br="26.10"))

    assert response.status_code == 302, response.content.decode()[:2000]
    medicine.refresh_from_db()
    assert medicine.prix_br == Decimal("26.10")
    entry = assert_audited("medicine.price_changed", business=business)
    assert entry.user == manager
    assert entry.event_data["changes"]["prix_br"] == {"old": "25.40", "new": "26.10"}


def test_prices_edited_in_the_list_are_audited(manager_admin, business):
    # given two medicines on the change list
    first = MedicineFactory(business=business, name="A", prix_br=Decimal("10.00"))
    second = MedicineFactory(business=business, name="B", prix_br=Decimal("20.00"))

    # when the manager edits the first one's prices in the list and saves
    response = manager_admin.post(
        CHANGELIST,
        {
            "form-TOTAL_FORMS": "2",
            "form-INITIAL_FORMS": "2",
            "form-0-id": str(first.pk),
            "form-0-prix_br": "12.50",
            "form-0-wholesale_price": "11.00",
            "form-1-id": str(second.pk),
            "form-1-prix_br": "20.00",
            "_save": "Save",
        },
    )

    # then only the first changed, and its change is in the trail
    assert response.status_code == 302, response.content.decode()[:2000]
    first.refresh_from_db()
    assert (first.prix_br, first.wholesale_price) == (Decimal("12.50"), Decimal("11.00"))
    entry = assert_audited("medicine.price_changed")
    assert entry.event_data["medicine"] == str(first.pk)
    assert entry.event_data["changes"] == {
        "prix_br": {"old": "10.00", "new": "12.50"},
        "wholesale_price": {"old": None, "new": "11.00"},
    }


@pytest.mark.parametrize("price", ["0", "-1", "abc", "1.234"])
def test_a_bad_price_in_the_admin_is_a_form_error(manager_admin, business, price):
    medicine = MedicineFactory(business=business, prix_br=Decimal("25.40"))
    response = manager_admin.post(change_url(medicine), form_data(medicine, prix_br=price))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["prix_br"]
    medicine.refresh_from_db()
    assert medicine.prix_br == Decimal("25.40")
    assert not AuditLog.objects.filter(event_type="medicine.price_changed").exists()


def test_a_wholesale_price_above_the_public_price_is_a_form_error(manager_admin, business):
    medicine = MedicineFactory(business=business, prix_br=Decimal("25.40"))
    response = manager_admin.post(
        change_url(medicine), form_data(medicine, wholesale_price="30.00")
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["wholesale_price"]


def test_a_staff_member_adds_a_medicine_to_their_own_business(manager_admin, business):
    blank = Medicine(name="Smecta 3g", prix_br=Decimal("44.70"), barcode="6118000000024")
    response = manager_admin.post(ADD, form_data(blank))
    assert response.status_code == 302, response.content.decode()[:2000]
    medicine = Medicine.objects.get(barcode="6118000000024")
    assert medicine.business == business
    assert_audited("medicine.created", business=business)


def test_a_barcode_taken_in_the_business_is_a_form_error(manager_admin, business):
    MedicineFactory(business=business, barcode="6118000000024")
    blank = Medicine(name="Smecta 3g", prix_br=Decimal("44.70"), barcode="6118000000024")
    response = manager_admin.post(ADD, form_data(blank))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["barcode"]


def test_staff_see_only_their_business(manager_admin, business, other_business):
    ours = MedicineFactory(business=business, name="Ours")
    theirs = MedicineFactory(business=other_business, name="Theirs")

    listed = manager_admin.get(CHANGELIST).context["cl"].result_list
    assert list(listed) == [ours]
    response = manager_admin.get(change_url(theirs))
    assert response.status_code in (302, 404)
    assert "Theirs" not in manager_admin.get(CHANGELIST).content.decode()


def test_a_superuser_sees_every_business(business, other_business):
    MedicineFactory(business=business)
    MedicineFactory(business=other_business)
    superuser = UserFactory(is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(superuser)
    assert len(client.get(CHANGELIST).context["cl"].result_list) == 2


def test_a_cashier_has_no_access_to_the_catalogue_admin(cashier, business):
    medicine = MedicineFactory(business=business, prix_br=Decimal("25.40"))
    client = admin_client_for(cashier)
    assert client.get(CHANGELIST).status_code == 403
    response = client.post(change_url(medicine), form_data(medicine, prix_br="1.00"))
    assert response.status_code == 403
    medicine.refresh_from_db()
    assert medicine.prix_br == Decimal("25.40")


def test_the_change_form_shows_stock_per_storefront(manager_admin, business, storefront):
    medicine = MedicineFactory(business=business)
    StockFactory(medicine=medicine, storefront=storefront, quantity=17)
    page = manager_admin.get(change_url(medicine)).content.decode()
    assert storefront.name in page
    assert "17" in page


def test_the_list_searches_names_and_whole_barcodes(manager_admin, business):
    MedicineFactory(business=business, name="Doliprane", generic_name="Paracétamol", barcode="1")
    MedicineFactory(business=business, name="Smecta", barcode="6118000000024")

    def found(term):
        response = manager_admin.get(CHANGELIST, {"q": term})
        return [medicine.name for medicine in response.context["cl"].result_list]

    assert found("doli") == ["Doliprane"]
    assert found("paracé") == ["Doliprane"]
    assert found("6118000000024") == ["Smecta"]
    assert found("611800") == []


def test_deleting_in_the_admin_goes_through_the_service(manager_admin, business):
    medicine = MedicineFactory(business=business)
    response = manager_admin.post(
        reverse("admin:medicine_medicine_delete", args=[medicine.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Medicine.objects.filter(pk=medicine.pk).exists()
    assert_audited("medicine.deleted", business=business)


def test_the_price_boxes_say_their_currency(manager_admin, business):
    medicine = MedicineFactory(business=business, prix_br=Decimal("25.40"))

    page = manager_admin.get(change_url(medicine)).content.decode()

    assert "Retail price (PPV) (DH):</label>" in page


def test_the_medicines_list_says_its_prices_currency(manager_admin, business):
    MedicineFactory(business=business, prix_br=Decimal("25.40"))

    page = manager_admin.get(reverse("admin:medicine_medicine_changelist")).content.decode()

    assert "<h2>Prices in DH; stock in units, all storefronts</h2>" in page
    assert "<h1>Medicines</h1>" in page
