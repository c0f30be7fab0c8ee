"""The Z report keeps, beside the refunds in cash, by card and by mobile money, what went back
on account: returns taken off what the customer still owed (or held as credit) and cancelled
on-account charges. Sessions closed before are filled from their cancellations and returns by
the rule their close now uses (`sales.till_totals.given_back_by_tender`).

A closed session refuses any change on PostgreSQL (migration 0005's trigger); the fill
lifts that guard for its own statements only, inside this migration's transaction.
"""

from django.db import migrations, models

from pos_project.money import ZERO
from sales.till_totals import given_back_by_tender

GUARD = "sales_tillsession_closed_is_final"


def fill_closed_sessions(apps, schema_editor):
    TillSession = apps.get_model("sales", "TillSession")
    Sale = apps.get_model("sales", "Sale")
    ReturnRefund = apps.get_model("sales", "ReturnRefund")
    on_postgresql = schema_editor.connection.vendor == "postgresql"
    if on_postgresql:
        schema_editor.execute(f"ALTER TABLE sales_tillsession DISABLE TRIGGER {GUARD}")
    closed = TillSession.objects.filter(status="CLOSED").values_list("pk", flat=True)
    for session in closed.iterator(chunk_size=500):
        given_back = given_back_by_tender(
            cancelled=Sale.objects.filter(cancellation_till_session=session),
            refunds=ReturnRefund.objects.filter(sale_return__till_session=session),
        )
        TillSession.objects.filter(pk=session).update(
            refunds_on_account=given_back.get("ON_ACCOUNT", ZERO)
        )
    if on_postgresql:
        schema_editor.execute(f"ALTER TABLE sales_tillsession ENABLE TRIGGER {GUARD}")


class Migration(migrations.Migration):
    dependencies = [
        ("sales", "0009_till_float_may_be_zero"),
    ]

    operations = [
        migrations.AddField(
            model_name="tillsession",
            name="refunds_on_account",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                help_text="Returns taken off what customers owed or held as their credit, and "
                "cancelled on-account charges: no money left the drawer.",
                max_digits=14,
                null=True,
            ),
        ),
        # Undone with the column itself, which the reverse of the field above drops.
        migrations.RunPython(fill_closed_sessions, migrations.RunPython.noop),
    ]
