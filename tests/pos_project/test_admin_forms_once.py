"""The back office's action forms run once per rendered form, like an Idempotency-Key.

Each test renders the form as a browser would, then submits that page twice (a double
click): one change, and the second submit shows the first one's result. The same holds for
"Cancel sale" (tests/sales/test_admin_cancel.py) and "Adjust stock"
(tests/medicine/test_admin_stock.py).
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from pos_project.models import IdempotencyKey
from receivables.models import CustomerLedgerEntry, CustomerPayment, LedgerEntryType
from tests.conftest import messages_of, rendered_form_key, submit_form_twice
from tests.factories.customers import CustomerFactory
from tests.receivables.test_receivables_service import sell_on_account

pytestmark = pytest.mark.django_db


@pytest.fixture
def debtor(business, storefront, manager):
    customer = CustomerFactory(business=business, credit_limit=Decimal("1000.00"))
    sell_on_account(storefront=storefront, user=manager, customer=customer, amount="240.00")
    return customer


def test_each_rendering_of_a_form_carries_a_new_key(manager_admin, debtor):
    url = reverse("admin:customers_customer_record_payment", args=[debtor.pk])

    assert rendered_form_key(manager_admin, url) != rendered_form_key(manager_admin, url)


def test_record_payment_submitted_twice_records_one_payment(manager_admin, debtor):
    url = reverse("admin:customers_customer_record_payment", args=[debtor.pk])

    first, second = submit_form_twice(manager_admin, url, {"amount": "40.00", "method": "CASH"})

    assert first.status_code == second.status_code == 302
    assert messages_of(second)[-1] == messages_of(first)[-1]
    assert "Payment of" in messages_of(first)[0]
    assert CustomerPayment.objects.filter(customer=debtor).count() == 1
    debtor.refresh_from_db()
    assert debtor.outstanding_balance == Decimal("200.00")


def test_adjust_credit_submitted_twice_adjusts_once(manager_admin, debtor):
    url = reverse("admin:customers_customer_adjust_credit", args=[debtor.pk])

    first, second = submit_form_twice(
        manager_admin, url, {"type": "add", "amount": "15.00", "reason": "Goodwill"}
    )

    assert first.status_code == second.status_code == 302
    assert messages_of(second)[-1] == messages_of(first)[-1]
    adjustments = CustomerLedgerEntry.objects.filter(
        customer=debtor, entry_type=LedgerEntryType.CREDIT_ADJUSTMENT
    )
    assert adjustments.count() == 1


def test_a_refused_submit_can_be_corrected_and_sent_with_the_same_page(manager_admin, debtor):
    url = reverse("admin:customers_customer_record_payment", args=[debtor.pk])
    key = rendered_form_key(manager_admin, url)

    refused = manager_admin.post(
        url, {"amount": "900.00", "method": "CASH", "idempotency_key": key}
    )
    corrected = manager_admin.post(
        url, {"amount": "90.00", "method": "CASH", "idempotency_key": key}
    )

    assert refused.status_code == 200
    assert f'value="{key}"' in refused.content.decode()
    assert corrected.status_code == 302
    assert CustomerPayment.objects.filter(customer=debtor).count() == 1
    assert IdempotencyKey.objects.get(key=key).state == IdempotencyKey.State.COMPLETED


def test_a_page_without_its_key_is_refused_and_changes_nothing(manager_admin, debtor):
    url = reverse("admin:customers_customer_record_payment", args=[debtor.pk])

    response = manager_admin.post(url, {"amount": "40.00", "method": "CASH", "idempotency_key": ""})

    assert response.status_code == 200
    assert "This page has expired" in response.content.decode()
    assert not CustomerPayment.objects.exists()
