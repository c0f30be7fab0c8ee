"""The two ways a till rings a sale up, behind one call, so that a rule test runs against both.

- the draft flow: `POST /sales/api/sales/`, one `POST .../items/` per line,
  `POST .../update_customer/` when there is a customer, then `POST .../complete/`;
- the one-request checkout: `POST /sales/api/sales/checkout/` with the whole cart.

`checkout(client, lines, *payments, customer=None, type="RETAIL", **extra)` answers the
response of the step that decided (the first refusal, or the completion); `extra` goes to
the completing request (`override_credit_limit`, or a field to be refused). `untouched()`
proves a refused checkout left no completed sale, payment, ledger entry or audit of a
completion behind, and for the one-request checkout no sale or line at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.urls import reverse

from audit.models import AuditLog
from receivables.models import CustomerLedgerEntry
from sales.models import Payment, Sale, SaleItem, SaleStatus


def sale_url(sale, name):
    return reverse(name, kwargs={"pk": sale.pk})


def _body(lines, payments, extra):
    return {
        "payments": [{"method": method, "amount": amount} for method, amount in payments],
        **extra,
    }


@dataclass
class DraftFlow:
    storefront: object
    name = "draft"
    completed_status = 200
    opened: list = field(default_factory=list)

    def checkout(self, client, lines: Sequence, *payments, customer=None, type="RETAIL", **extra):
        response = client.post(
            reverse("sale-list"),
            {"storefront": str(self.storefront.pk), "type": type},
            format="json",
        )
        assert response.status_code == 201, response.content
        sale = Sale.objects.get(pk=response.json()["id"])
        self.opened.append(sale)
        for medicine, quantity, *discount in lines:
            body = {"medicine": str(medicine.pk), "quantity": quantity}
            if discount:
                body["discount"] = discount[0]
            response = client.post(sale_url(sale, "sale-items"), body, format="json")
            if response.status_code != 201:
                return response
        if customer is not None:
            response = client.post(
                sale_url(sale, "sale-update-customer"), {"customer": str(customer.pk)}
            )
            if response.status_code != 200:
                return response
        return client.post(
            sale_url(sale, "sale-complete"), _body(lines, payments, extra), format="json"
        )

    def untouched(self):
        _nothing_completed()
        for sale in self.opened:
            sale.refresh_from_db()
            assert sale.status == SaleStatus.DRAFT
            assert sale.receipt_number is None


@dataclass
class OneRequestFlow:
    storefront: object
    name = "one_request"
    completed_status = 201

    def checkout(self, client, lines: Sequence, *payments, customer=None, type="RETAIL", **extra):
        body = {
            "storefront": str(self.storefront.pk),
            "type": type,
            "items": [
                {
                    "medicine": str(medicine.pk),
                    "quantity": quantity,
                    **({"discount": discount[0]} if discount else {}),
                }
                for medicine, quantity, *discount in lines
            ],
            **_body(lines, payments, extra),
        }
        if customer is not None:
            body["customer"] = str(customer.pk)
        return client.post(reverse("sale-checkout"), body, format="json")

    def untouched(self):
        _nothing_completed()
        assert not Sale.objects.exists()
        assert not SaleItem.objects.exists()


def _nothing_completed():
    assert not Sale.objects.exclude(status=SaleStatus.DRAFT).exists()
    assert not Payment.objects.exists()
    assert not AuditLog.objects.filter(event_type="sale.completed").exists()
    assert not CustomerLedgerEntry.objects.exists()


FLOWS = {"draft": DraftFlow, "one_request": OneRequestFlow}
