"""A shop with debts and payments on its books, and the tools each database's backup needs."""

import shutil
from decimal import Decimal

import pytest
from django.db import connection

from pos_project.actors import Actor
from pos_project.models import Role
from receivables.services import customer_record_payment
from tests.factories.customers import CustomerFactory
from tests.factories.kernel import BusinessFactory, StaffMemberFactory, StorefrontFactory
from tests.receivables.test_receivables_service import sell_on_account

POSTGRES_TOOLS = ("pg_dump", "pg_restore", "psql")

requires_backup_tools = pytest.mark.skipif(
    connection.vendor == "postgresql" and not all(map(shutil.which, POSTGRES_TOOLS)),
    reason="backups of PostgreSQL need pg_dump, pg_restore and psql on PATH",
)


@pytest.fixture
def books():
    """A business whose customers owe money and have paid part of it."""
    business = BusinessFactory(name="Pharmacie Atlas")
    storefront = StorefrontFactory(business=business, name="Main")
    cashier = StaffMemberFactory(business=business, role=Role.CASHIER).user
    customers = CustomerFactory.create_batch(3, business=business, credit_limit=Decimal("500"))
    for customer in customers:
        sell_on_account(storefront=storefront, user=cashier, customer=customer, amount="120.00")
        customer_record_payment(
            customer=customer, amount="20.00", method="CASH", actor=Actor.for_user(cashier)
        )
    return business, customers, cashier
