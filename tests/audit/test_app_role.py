"""On PostgreSQL the application runs as a role that owns no table: granted what
`grant_app_role` grants, it can run the shop, but neither UPDATE nor DELETE an audit entry
nor disable the trigger that guards them."""

import uuid
from decimal import Decimal
from io import StringIO

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from audit.models import AuditChainHead, AuditLog
from tests.audit.entries import record
from tests.conftest import client_for, requires_postgres
from tests.factories.medicine import MedicineFactory, StockFactory

pytestmark = [requires_postgres, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

TABLE = AuditLog._meta.db_table
HEAD_TABLE = AuditChainHead._meta.db_table


def _admin_sql(sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)


@pytest.fixture
def app_role():
    """A login role with no privileges, then the application's grants."""
    role = f"pos_app_test_{uuid.uuid4().hex[:12]}"
    _admin_sql(f'CREATE ROLE "{role}" LOGIN')
    try:
        call_command("grant_app_role", role, stdout=StringIO())
        yield role
    finally:
        _admin_sql("RESET ROLE")
        _admin_sql(f'DROP OWNED BY "{role}"')
        _admin_sql(f'DROP ROLE "{role}"')


@pytest.fixture
def as_app_role(app_role):
    """A connection of its own, logged in as the application role."""
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        dbname=settings["NAME"],
        user=app_role,
        autocommit=True,
    ) as app:
        yield app


@pytest.mark.parametrize(
    ("sql", "refusal"),
    [
        (f"UPDATE {TABLE} SET description = 'Nothing happened'", "permission denied"),
        (f"DELETE FROM {TABLE}", "permission denied"),
        (f"TRUNCATE {TABLE}", "permission denied"),
        (f"ALTER TABLE {TABLE} DISABLE TRIGGER audit_auditlog_append_only", "must be owner"),
        (f"ALTER TABLE {TABLE} DISABLE TRIGGER ALL", "must be owner"),
        (f"DROP TRIGGER audit_auditlog_append_only ON {TABLE}", "must be owner"),
        ("SET session_replication_role = replica", "permission denied"),
        (f"DELETE FROM {HEAD_TABLE}", "permission denied"),
        ("DELETE FROM django_migrations", "permission denied"),
        ("CREATE TABLE audit_shadow (id int)", "permission denied"),
        ("SELECT nextval('auth_group_id_seq')", "permission denied"),
        ("SELECT setval('auth_group_id_seq', 1)", "permission denied"),
    ],
    ids=[
        "update-entry",
        "delete-entry",
        "truncate",
        "disable-trigger",
        "disable-all-triggers",
        "drop-trigger",
        "bypass-triggers",
        "delete-chain-head",
        "forge-migrations",
        "create-table",
        "advance-sequence",
        "reset-sequence",
    ],
)
def test_the_app_role_cannot_rewrite_the_trail(business, as_app_role, sql, refusal):
    record(business)
    with pytest.raises(psycopg.Error, match=refusal):
        as_app_role.execute(sql)
    assert AuditLog.objects.filter(business=business, description="Test event").count() == 1


def test_the_app_role_reads_where_each_sequence_stands_for_pg_dump(as_app_role):
    (is_called,) = as_app_role.execute("SELECT is_called FROM auth_group_id_seq").fetchone()
    assert is_called in (True, False)


def test_the_app_role_runs_the_shop_and_its_trail_verifies(business, storefront, manager, app_role):
    medicine = MedicineFactory(business=business, prix_br=Decimal("25.40"))
    StockFactory(medicine=medicine, storefront=storefront, quantity=10)
    # given the application's own connection switched to the application role
    _admin_sql(f'SET ROLE "{app_role}"')
    # when a manager takes a customer's sale on account and their payment through the API
    client = client_for(manager)
    customer = _ok(
        client.post(reverse("customer-list"), {"name": "Fatima Zahra", "phone": "+212612345678"})
    )
    sale = _ok(
        client.post(
            reverse("sale-list"), {"storefront": str(storefront.pk), "customer": customer["id"]}
        )
    )
    _ok(client.post(_sale_url(sale, "sale-items"), {"medicine": str(medicine.pk), "quantity": 2}))
    _ok(
        client.post(
            _sale_url(sale, "sale-complete"),
            {"payments": [{"method": "ON_ACCOUNT", "amount": "50.80"}]},
            HTTP_IDEMPOTENCY_KEY="complete-1",
        )
    )
    _ok(
        client.post(
            reverse("customer-record-payment", kwargs={"pk": customer["id"]}),
            {"amount": "50.80", "method": "CASH"},
        )
    )
    # then it all ran as that role, and the trail it wrote verifies under it
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == app_role
    out = StringIO()
    call_command("verify_audit_log", stdout=out)
    assert "entries checked, chain intact" in out.getvalue()
    assert AuditLog.objects.filter(business=business).count() >= 3


def _ok(response):
    assert response.status_code in (200, 201), response.json()
    return response.json()


def _sale_url(sale, name):
    return reverse(name, kwargs={"pk": sale["id"]})


def test_a_role_that_owns_the_tables_is_refused(db):
    # the test database's own user owns every table
    with pytest.raises(CommandError, match=r"is a superuser|owns"):
        call_command("grant_app_role", connection.settings_dict["USER"], stdout=StringIO())


def test_an_unknown_role_is_refused(db):
    with pytest.raises(CommandError, match="There is no PostgreSQL role"):
        call_command("grant_app_role", "no_such_role_here", stdout=StringIO())


def test_the_statements_can_be_handed_to_a_dba(db):
    out = StringIO()
    call_command("grant_app_role", "pos_app", "--sql", stdout=out)
    statements = out.getvalue().splitlines()
    assert f'GRANT SELECT, INSERT ON "{TABLE}" TO "pos_app";' in statements
    assert f'GRANT SELECT, INSERT, UPDATE ON "{HEAD_TABLE}" TO "pos_app";' in statements
    assert 'GRANT SELECT ON "django_migrations" TO "pos_app";' in statements
    assert statements[0] == 'REVOKE ALL ON ALL TABLES IN SCHEMA public FROM "pos_app";'
    assert 'GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO "pos_app";' in statements
