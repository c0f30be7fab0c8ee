"""Sends every money-moving endpoint twice at once to a file-based SQLite database.

The database is made by `migrate` alone, as on a new server. Run as its own process
(`python -m tests.pos_project.sqlite_double_click DB_FILE`), because the test suite's SQLite
database lives in memory, where locking works differently. Prints each endpoint's two status
codes as JSON.
"""

import json
import os
import sys
import threading
from decimal import Decimal


def _setup(db_file: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db_file}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pos_project.test_settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _twice_at_once(send) -> list[int]:
    """`send()` from two threads released together; their status codes."""
    from django.db import connection

    barrier = threading.Barrier(2)
    statuses: list[int] = [0, 0]

    def run(index):
        try:
            barrier.wait()
            statuses[index] = send().status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return statuses


def main(db_file: str) -> dict[str, list[int]]:
    _setup(db_file)
    from django.conf import settings
    from django.test import override_settings
    from django.urls import reverse

    from pos_project.models import Role
    from tests.conftest import client_for
    from tests.factories.customers import CustomerFactory
    from tests.factories.kernel import BusinessFactory, StaffMemberFactory, StorefrontFactory
    from tests.factories.medicine import MedicineFactory, StockFactory
    from tests.factories.sales import complete_sale

    business = BusinessFactory()
    storefront = StorefrontFactory(business=business, name="Main")
    manager = StaffMemberFactory(business=business, role=Role.MANAGER).user
    cashier = StaffMemberFactory(business=business, role=Role.CASHIER).user
    medicine = MedicineFactory(business=business, prix_br=Decimal("40.00"))
    StockFactory(medicine=medicine, storefront=storefront, quantity=100)

    def post(user, url, body):
        return lambda: client_for(user).post(url, body, format="json")

    def draft_url(action):
        response = client_for(cashier).post(
            reverse("sale-list"), {"storefront": str(storefront.pk)}, format="json"
        )
        sale = response.json()["id"]
        client_for(cashier).post(
            reverse("sale-items", kwargs={"pk": sale}),
            {"medicine": str(medicine.pk), "quantity": 1},
            format="json",
        )
        return reverse(f"sale-{action}", kwargs={"pk": sale})

    debtor = CustomerFactory(business=business, credit_limit=Decimal("500.00"))
    complete_sale(storefront=storefront, actor_user=cashier, customer=debtor, on_account=True)
    creditor = CustomerFactory(business=business)
    client_for(manager).post(
        reverse("customer-adjust-credit", kwargs={"pk": creditor.pk}),
        {"amount": "30.00", "type": "add", "reason": "refund"},
        format="json",
    )
    completed = complete_sale(storefront=storefront, actor_user=cashier)

    sends = {
        "items": post(cashier, draft_url("items"), {"medicine": str(medicine.pk), "quantity": 1}),
        "complete": post(
            cashier, draft_url("complete"), {"payments": [{"method": "CASH", "amount": "40.00"}]}
        ),
        "cancel": post(
            manager,
            reverse("sale-cancel", kwargs={"pk": completed.pk}),
            {"reason": "returned"},
        ),
        "record_payment": post(
            cashier,
            reverse("customer-record-payment", kwargs={"pk": debtor.pk}),
            {"amount": "25.40", "method": "CASH"},
        ),
        "adjust_credit": post(
            manager,
            reverse("customer-adjust-credit", kwargs={"pk": creditor.pk}),
            {"amount": "30.00", "type": "deduct", "reason": "taken back"},
        ),
    }
    # Login attempts count in the database cache whose table `migrate` made.
    sends["login"] = lambda: client_for(None).post(
        reverse("auth-token"), {"username": cashier.username, "password": "wrong"}, format="json"
    )
    with override_settings(CACHES=settings.SHARED_CACHES):
        return {name: _twice_at_once(send) for name, send in sends.items()}


if __name__ == "__main__":
    json.dump(main(sys.argv[1]), sys.stdout)
