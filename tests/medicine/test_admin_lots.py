"""Lots in the back office: receive a lot, adjust one, "Expiring soon" with its value and
the write-off of expired lots, the home page's counts, and the recall page (printable,
exported as a workbook)."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditLog
from medicine.models import Lot, Stock
from tests.conftest import messages_of
from tests.factories.customers import CustomerFactory
from tests.factories.medicine import LotFactory, MedicineFactory
from tests.factories.sales import complete_sale

pytestmark = pytest.mark.django_db

TODAY = date.today()
LOTS = reverse("admin:medicine_lot_changelist")


@pytest.fixture
def box(business):
    return MedicineFactory(business=business, name="Ventoline", prix_br=Decimal("30.00"))


def dated(box, storefront, days, quantity=10, number=None):
    kwargs = {"lot_number": number} if number else {}
    return LotFactory(
        medicine=box,
        storefront=storefront,
        expiry_date=TODAY + timedelta(days=days),
        quantity=quantity,
        **kwargs,
    )


def test_a_manager_receives_a_lot_in_the_back_office(manager_admin, box, storefront):
    response = manager_admin.post(
        reverse("admin:medicine_lot_add"),
        {
            "medicine": box.pk,
            "storefront": storefront.pk,
            "lot_number": "VT-2027",
            "expiry_date": (TODAY + timedelta(days=300)).isoformat(),
            "quantity": "24",
        },
    )

    assert response.status_code == 302, response.content[:2000]
    assert any("now holds 24" in text for text in messages_of(response))
    assert Lot.objects.get(lot_number="VT-2027").quantity == 24
    assert Stock.objects.get(medicine=box).quantity == 24
    assert AuditLog.objects.filter(event_type="stock.lot_received").count() == 1


def test_a_past_expiry_is_shown_on_the_form_and_changes_nothing(manager_admin, box, storefront):
    response = manager_admin.post(
        reverse("admin:medicine_lot_add"),
        {
            "medicine": box.pk,
            "storefront": storefront.pk,
            "lot_number": "OLD",
            "expiry_date": (TODAY - timedelta(days=1)).isoformat(),
            "quantity": "2",
        },
    )

    assert response.status_code == 200
    assert "expired" in response.content.decode()
    assert not Lot.objects.exists()


def test_a_lot_is_adjusted_with_a_reason(manager_admin, box, storefront):
    lot = dated(box, storefront, 100, quantity=8)

    response = manager_admin.post(
        reverse("admin:medicine_lot_adjust", args=[lot.pk]),
        {"quantity_delta": "-3", "reason": "DAMAGED", "note": "Dropped"},
    )

    assert response.status_code == 302
    lot.refresh_from_db()
    assert lot.quantity == 5
    entry = AuditLog.objects.get(event_type="stock.lot_adjusted")
    assert (entry.event_data["reason"], entry.event_data["note"]) == ("DAMAGED", "Dropped")


def test_expiring_soon_lists_the_window_with_its_value_and_writes_off_expired_lots(
    manager_admin, box, storefront
):
    soon = dated(box, storefront, 20, quantity=3, number="SOON")
    dated(box, storefront, 200, quantity=5, number="LATER")
    expired = dated(box, storefront, -4, quantity=2, number="GONE")

    page = manager_admin.get(LOTS, {"expiry": "30"}).content.decode()
    assert "SOON" in page and "LATER" not in page and "GONE" not in page
    assert "90.00 DH" in page  # 3 x 30.00 at the retail price

    expired_page = manager_admin.get(LOTS, {"expiry": "expired"}).content.decode()
    assert "GONE" in expired_page and "SOON" not in expired_page

    response = manager_admin.post(
        LOTS, {"action": "write_off_expired", "_selected_action": [expired.pk, soon.pk]}
    )
    assert response.status_code == 302
    expired.refresh_from_db()
    soon.refresh_from_db()
    assert (expired.quantity, soon.quantity) == (0, 3)
    assert AuditLog.objects.filter(event_type="stock.lot_written_off").count() == 1


def test_the_home_page_counts_what_expires_and_what_expired(manager_admin, box, storefront):
    dated(box, storefront, 10, quantity=1)
    dated(box, storefront, 25, quantity=1)
    dated(box, storefront, 45, quantity=1)
    dated(box, storefront, -1, quantity=7)

    page = manager_admin.get(reverse("admin:index")).content.decode()

    assert '<td id="lots-expiring">2</td>' in page
    assert '<td id="expired-units">7</td>' in page


def test_the_recall_page_recalls_and_names_whom_to_call_and_exports(
    manager_admin, cashier, business, box, storefront
):
    lot = dated(box, storefront, 120, quantity=6, number="R-1")
    buyer = CustomerFactory(business=business, name="Yassine", phone="+212612345678")
    complete_sale(
        storefront=storefront, actor_user=cashier, lines=[(box, 2)], customer=buyer, stock=None
    )
    url = reverse("admin:sales_sale_recall", args=[lot.pk])

    response = manager_admin.post(url, {"reference": "AMMPS-77", "recall_date": TODAY.isoformat()})
    assert response.status_code == 302
    lot.refresh_from_db()
    assert lot.is_recalled and lot.recall_reference == "AMMPS-77"

    page = manager_admin.get(url).content.decode()
    assert "Yassine" in page and "0612-345678" in page
    assert "AMMPS-77" in page

    export = manager_admin.get(url, {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][3:7] == ("Yassine", "0612-345678", 2, 0)
