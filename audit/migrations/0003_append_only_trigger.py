"""On PostgreSQL, refuse UPDATE, DELETE and TRUNCATE of audit entries in the database itself.

The model and the admin already refuse changes, but plain SQL (a console, a careless
script) would not pass through them. SQLite has no equivalent guard, so it is skipped there.
"""

from django.db import migrations

CREATE_SQL = [
    """
CREATE OR REPLACE FUNCTION audit_auditlog_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_auditlog is append-only: % refused', TG_OP
        USING HINT = 'Audit entries can only be added, through audit_record().';
END
$$
""",
    # Statement-level, so that even an UPDATE or DELETE matching no row is refused.
    """
CREATE TRIGGER audit_auditlog_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_auditlog
    FOR EACH STATEMENT EXECUTE FUNCTION audit_auditlog_refuse_change()
""",
]

DROP_SQL = [
    "DROP TRIGGER IF EXISTS audit_auditlog_append_only ON audit_auditlog",
    "DROP FUNCTION IF EXISTS audit_auditlog_refuse_change()",
]


def _on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_initial"),
    ]

    operations = [
        migrations.RunPython(_on_postgresql(CREATE_SQL), _on_postgresql(DROP_SQL)),
    ]
