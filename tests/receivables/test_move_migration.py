"""Moving the receivables models out of `customers`: a database that already holds customers,
on-account sales, payments, allocations and the Debtors report's totals migrates forward
with every row where it was and `check_ledgers` clean."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from customers.models import Customer
from pos_project.actors import Actor
from receivables.models import (
    CustomerLedgerEntry,
    CustomerPayment,
    ReceivableAllocation,
    ReceivablesDueSlot,
    ReceivablesSummary,
)
from receivables.services import customer_adjust_credit, customer_record_payment
from tests.factories.customers import CustomerFactory
from tests.receivables.test_receivables_service import sell_on_account

BEFORE_THE_MOVE = [("customers", "0006_receivables_summary"), ("receivables", None)]
MOVED = {
    "CustomerPayment": CustomerPayment,
    "CustomerLedgerEntry": CustomerLedgerEntry,
    "ReceivableAllocation": ReceivableAllocation,
    "ReceivablesSummary": ReceivablesSummary,
    "ReceivablesDueSlot": ReceivablesDueSlot,
}


def migrate_to(targets=None):
    """Migrate to `targets` (every app's latest by default); the apps as of that state."""
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    executor.loader.build_graph()
    # An app migrated to None (back to nothing) has no node of its own to build a state from.
    return executor.loader.project_state([node for node in targets if node[1]]).apps


def _rows(model, columns=None) -> dict:
    """Every row of `model` as its column values (`columns`, or all), by primary key."""
    return {row["pk"]: row for row in model.objects.values("pk", *(columns or _columns(model)))}


def _columns(model) -> list[str]:
    return sorted(field.attname for field in model._meta.concrete_fields)


@pytest.mark.django_db(transaction=True)
def test_a_shop_with_debts_migrates_forward_with_every_row_intact(storefront, cashier, manager):
    # given a database at the state before the move, holding a shop's receivables: written
    # through today's services, then the database is taken back to before the move (columns
    # added since, such as a debt payment's till session, are dropped on the way)
    owing, settled = CustomerFactory.create_batch(2, business=storefront.business)
    for customer, amounts in ((owing, ("40.00", "25.50")), (settled, ("12.00",))):
        for amount in amounts:
            sell_on_account(storefront=storefront, user=cashier, customer=customer, amount=amount)
    actor = Actor.for_user(manager)
    customer_record_payment(customer=owing, amount=Decimal("50.00"), method="CASH", actor=actor)
    customer_record_payment(
        customer=settled,
        amount=Decimal("20.00"),
        method="CARD",
        actor=actor,
        allow_overpayment=True,
    )
    customer_adjust_credit(
        customer=owing, amount=Decimal("5.00"), type="add", reason="Damaged box", actor=actor
    )
    old_apps = migrate_to(BEFORE_THE_MOVE)
    assert not old_apps.is_installed("receivables")
    old_models = {name: old_apps.get_model("customers", name) for name in MOVED}
    before = {name: _rows(model) for name, model in old_models.items()}
    assert all(before.values()), {name: len(rows) for name, rows in before.items()}

    # when it migrates forward
    migrate_to()

    # then every row is where it was, read through the receivables app
    assert {
        name: _rows(model, columns=_columns(old_models[name])) for name, model in MOVED.items()
    } == before
    assert Customer.objects.get(pk=owing.pk).payments.count() == 1
    out = StringIO()
    call_command("check_ledgers", stdout=out)  # raises CommandError on any difference
    assert "Checked 2 customers." in out.getvalue()
    assert "All ledgers, allocations, statistics and receivables summaries agree." in out.getvalue()
