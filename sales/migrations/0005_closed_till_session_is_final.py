"""On PostgreSQL, refuse in the database itself any change to a closed till session, and any
cash movement added to one.

The services already refuse (the session is locked and its status checked), but plain SQL
(a console, a careless script) would not pass through them. A TRUNCATE (restoring a backup
into a scratch database, a test database being emptied) is not refused. SQLite has no
equivalent guard, so it is skipped there.
"""

from django.db import migrations

CREATE_SQL = [
    """
CREATE OR REPLACE FUNCTION sales_tillsession_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'till session % is closed: % refused', OLD.id, TG_OP
        USING HINT = 'A closed till session and its Z report never change.';
END
$$
""",
    """
CREATE TRIGGER sales_tillsession_closed_is_final
    BEFORE UPDATE OR DELETE ON sales_tillsession
    FOR EACH ROW WHEN (OLD.status = 'CLOSED')
    EXECUTE FUNCTION sales_tillsession_refuse_change()
""",
    """
CREATE OR REPLACE FUNCTION sales_cashmovement_refuse_closed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM sales_tillsession WHERE id = NEW.session_id AND status = 'CLOSED')
    THEN
        RAISE EXCEPTION 'till session % is closed: cash movement refused', NEW.session_id;
    END IF;
    RETURN NEW;
END
$$
""",
    """
CREATE TRIGGER sales_cashmovement_open_session_only
    BEFORE INSERT OR UPDATE ON sales_cashmovement
    FOR EACH ROW EXECUTE FUNCTION sales_cashmovement_refuse_closed()
""",
]

DROP_SQL = [
    "DROP TRIGGER IF EXISTS sales_cashmovement_open_session_only ON sales_cashmovement",
    "DROP FUNCTION IF EXISTS sales_cashmovement_refuse_closed()",
    "DROP TRIGGER IF EXISTS sales_tillsession_closed_is_final ON sales_tillsession",
    "DROP FUNCTION IF EXISTS sales_tillsession_refuse_change()",
]


def _on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("sales", "0004_tills_and_sessions"),
    ]

    operations = [
        migrations.RunPython(_on_postgresql(CREATE_SQL), _on_postgresql(DROP_SQL)),
    ]
