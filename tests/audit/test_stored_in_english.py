"""An audit entry's stored description is English, whatever language the request that
wrote it reads: it is hashed into the trail, and rendered in the reader's language only
when shown (audit/descriptions.py). Amounts in it are formatted the English way too."""

from decimal import Decimal

from django.urls import reverse

from audit.events import AuditEvent
from audit.models import AuditLog
from tests.factories.customers import CustomerFactory
from tests.factories.medicine import MedicineFactory
from tests.medicine.helpers import detail_url
from tests.receivables.test_receivables_service import sell_on_account

FRENCH = {"Accept-Language": "fr"}


def test_a_payment_recorded_in_french_is_stored_in_english(
    cashier_client, business, storefront, cashier
):
    customer = CustomerFactory(business=business, name="Nadia Berrada")
    sell_on_account(storefront=storefront, user=cashier, customer=customer, amount="1500.00")

    response = cashier_client.post(
        reverse("customer-record-payment", kwargs={"pk": customer.pk}),
        {"amount": "1234.50", "method": "CASH"},
        headers=FRENCH,
    )

    assert response.status_code == 201, response.content
    entry = AuditLog.objects.get(event_type=AuditEvent.CUSTOMER_PAYMENT_RECORDED)
    assert "recorded a cash payment of 1,234.50 DH from Nadia Berrada" in entry.description


def test_a_price_changed_in_french_is_stored_in_english(manager_client, business):
    medicine = MedicineFactory(business=business, name="Doliprane 1g", prix_br=Decimal("1200.00"))

    response = manager_client.patch(
        detail_url(medicine), {"ppv": "1234.50"}, format="json", headers=FRENCH
    )

    assert response.status_code == 200, response.content
    entry = AuditLog.objects.get(event_type=AuditEvent.MEDICINE_PRICE_CHANGED)
    assert entry.description == "Doliprane 1g: price from 1,200.00 DH to 1,234.50 DH"
