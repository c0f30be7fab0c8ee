"""The privileges the application's PostgreSQL role needs, and no more.

The application runs under a role that owns no table (`DATABASE_URL`); migrations run under
the role that does (`MIGRATE_DATABASE_URL`). A table owner can disable any trigger and
rewrite any row, so only the application role's privileges keep the audit trail
append-only: it gets SELECT, INSERT, UPDATE and DELETE on each table, except where a model
narrows them with a `database_privileges` attribute (the audit log: SELECT and INSERT).
It may read the sequences behind the tables' ids (`pg_dump` reads where each one stands, so
`manage.py backup` runs under this role) but neither advance nor reset them: an identity
column draws its next value with the table's INSERT privilege alone.
"""

from django.apps import apps
from django.db import connection, transaction

FULL_PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE")
# Django's record of applied migrations: the application reads it, only `migrate` writes it.
READ_ONLY_TABLES = {"django_migrations"}


class UnsafeRole(ValueError):
    """The role cannot be limited: it does not exist, is a superuser, or owns tables."""


def table_privileges() -> dict[str, tuple[str, ...]]:
    """Every table in the database with the privileges the application role gets on it."""
    narrowed = {
        model._meta.db_table: model.database_privileges
        for model in apps.get_models(include_auto_created=True)
        if hasattr(model, "database_privileges")
    }
    privileges = {}
    for table in connection.introspection.table_names():
        if table in READ_ONLY_TABLES:
            privileges[table] = ("SELECT",)
        else:
            privileges[table] = narrowed.get(table, FULL_PRIVILEGES)
    return privileges


def grant_statements(role: str) -> list[str]:
    """The SQL that leaves `role` with exactly the application's privileges."""
    return _schema_statements(role) + _table_statements(role)


def _schema_statements(role: str) -> list[str]:
    role_name = connection.ops.quote_name(role)
    return [
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role_name}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {role_name}",
        f"GRANT USAGE ON SCHEMA public TO {role_name}",
        f"GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO {role_name}",
    ]


def _table_statements(role: str) -> list[str]:
    quote = connection.ops.quote_name
    return [
        f"GRANT {', '.join(privileges)} ON {quote(table)} TO {quote(role)}"
        for table, privileges in sorted(table_privileges().items())
    ]


def grant_app_privileges(role: str) -> int:
    """Leave `role` with exactly the application's privileges, after checking it can be
    limited at all (an UnsafeRole otherwise). The number of tables it may now use."""
    check_role_can_be_limited(role)
    schema, tables = _schema_statements(role), _table_statements(role)
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in schema + tables:
            cursor.execute(statement)
    return len(tables)


def granted_roles() -> list[str]:
    """The roles other than the tables' owners that hold privileges on the tables: the
    application roles `grant_app_role` was run for."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT role.rolname FROM pg_class AS relation "
            "CROSS JOIN LATERAL aclexplode(relation.relacl) AS privilege "
            "JOIN pg_roles AS role ON role.oid = privilege.grantee "
            "WHERE relation.relnamespace = 'public'::regnamespace AND relation.relkind = 'r' "
            "AND privilege.grantee <> relation.relowner ORDER BY role.rolname"
        )
        return [name for (name,) in cursor.fetchall()]


def check_role_can_be_limited(role: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [role])
        row = cursor.fetchone()
        if row is None:
            raise UnsafeRole(f"There is no PostgreSQL role {role!r}; create it first.")
        if row[0]:
            raise UnsafeRole(
                f"{role!r} is a superuser: no privilege can limit it. Run the application "
                "under a role without SUPERUSER."
            )
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tableowner = %s "
            "ORDER BY tablename",
            [role],
        )
        owned = [name for (name,) in cursor.fetchall()]
    if owned:
        raise UnsafeRole(
            f"{role!r} owns {len(owned)} tables ({', '.join(owned[:3])}"
            f"{', ...' if len(owned) > 3 else ''}): an owner can disable the audit trigger. "
            "Run migrations as another role (MIGRATE_DATABASE_URL) that owns the tables."
        )
