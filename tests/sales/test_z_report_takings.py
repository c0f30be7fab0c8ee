"""A return on a sale partly on account, in the drawer's reports and the day's takings: what
came off what the customer still owed is its own "On account" line in the X report, the Z
report (JSON, printed page, the Z reports' workbook) and today's takings, and only the rest
is cash out of the drawer. The Z report keeps that line from its close; Z reports closed
before it was kept are filled by the migration that added it."""

import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from pos_project.actors import Actor
from pos_project.models import Business
from sales.models import Sale, TillSession
from sales.services import sale_return
from sales.services.tills import till_session_close, till_session_open
from sales.till_checks import till_sessions_check
from tests.factories.sales import complete_sale
from tests.sales.conftest import sale_url

pytestmark = pytest.mark.django_db

BEFORE_THE_LINE = [("sales", "0009_till_float_may_be_zero")]


def _report_url(session_id) -> str:
    return reverse("till-session-report", kwargs={"pk": session_id})


def _takings(page: str) -> dict[str, str]:
    """Today's takings on the home page: tender -> "sales, less what went back"."""
    table = page[page.index('id="todays-takings"') :]
    table = table[: table.index("</table>")]
    return dict(re.findall(r'<th scope="row">([^<]+)</th><td>([^<]+)</td>', table))


def _refund_rows(page: str) -> dict[str, str]:
    """The printed report's "Refunds" lines: label -> amount."""
    section = page[page.index("<h2>Refunds</h2>") :]
    section = section[: section.index("</table>")]
    return dict(
        re.findall(
            r"<tr><td>([^<]+)</td><td class=\"amount\">(?:<span dir=\"ltr\">)?([^<]+)<", section
        )
    )


def _sold_partly_on_account(storefront, manager, customer, medicine) -> Sale:
    """A 102.90 sale: 40.00 in cash, 62.90 on the customer's account."""
    return complete_sale(
        storefront=storefront,
        actor_user=manager,
        lines=[(medicine, 1)],
        customer=customer,
        payments=[
            {"method": "CASH", "amount": "40.00"},
            {"method": "ON_ACCOUNT", "amount": "62.90"},
        ],
    )


@pytest.fixture
def yesterday_and_today(manager, manager_client, storefront, till, customer, stocked):
    """Two 25.40 cash sales and a 102.90 sale (40.00 in cash, 62.90 on account) yesterday;
    today, in the manager's drawer (float 100.00), one 25.40 sale cancelled, the other
    returned in cash, and the 102.90 sale returned in cash: 62.90 comes off what is owed
    and 40.00 is cash out."""
    yesterday = timezone.now() - timedelta(days=1)
    cash_sales = [complete_sale(storefront=storefront, actor_user=manager) for _ in range(2)]
    split = _sold_partly_on_account(storefront, manager, customer, stocked("102.90"))
    Sale.objects.filter(pk__in=[sale.pk for sale in [*cash_sales, split]]).update(
        created_at=yesterday, completed_at=yesterday
    )
    opened = manager_client.post(
        reverse("till-open", kwargs={"pk": till.pk}), {"opening_float": "100.00"}, format="json"
    )
    assert opened.status_code == 201, opened.content
    cancelled = manager_client.post(
        sale_url(cash_sales[0], "sale-cancel"), {"reason": "Charged twice"}, format="json"
    )
    assert cancelled.status_code == 200, cancelled.content
    for sale in (cash_sales[1], split):
        returned = manager_client.post(
            sale_url(sale, "sale-returns"),
            {
                "items": [{"item": str(sale.items.get().pk), "quantity": 1}],
                "reason": "Wrong box",
                "refund_method": "CASH",
            },
            format="json",
        )
        assert returned.status_code == 201, returned.content
    return {"session": opened.json()["id"], "split": split, "returned": returned.json()}


def test_a_return_off_what_is_owed_is_its_own_line_in_the_reports_and_the_takings(
    manager_client, manager_admin, yesterday_and_today
):
    session = yesterday_and_today["session"]
    x_report = manager_client.get(_report_url(session)).json()
    takings = _takings(manager_admin.get(reverse("admin:index")).content.decode())
    closed = manager_client.post(
        reverse("till-session-close", kwargs={"pk": session}),
        {"counted_cash": "9.20"},
        format="json",
    )
    z_report = manager_client.get(_report_url(session)).json()
    z_page = manager_client.get(_report_url(session), {"format": "html"}).content.decode()

    # The return said what it did: 62.90 off what is owed, 40.00 in cash.
    assert yesterday_and_today["returned"]["refunds"] == [
        {"method": "AMOUNT_DUE", "amount": "62.90"},
        {"method": "CASH", "amount": "40.00"},
    ]
    # 25.40 cancelled + 25.40 returned + 40.00 of the 102.90 in cash; 62.90 on account.
    refunds = {"cash": "90.80", "card": "0.00", "mobile_money": "0.00", "on_account": "62.90"}
    assert x_report["kind"] == "X" and x_report["refunds"] == refunds
    assert x_report["expected_cash"] == "9.20"
    assert closed.status_code == 200, closed.content
    assert closed.json()["refunds"] == refunds
    assert z_report["kind"] == "Z" and z_report["refunds"] == refunds
    assert (z_report["expected_cash"], z_report["variance"]) == ("9.20", "0.00")
    assert _refund_rows(z_page) == {
        "Cash": "90.80 DH",
        "Card": "0.00 DH",
        "Mobile money": "0.00 DH",
        "On account": "62.90 DH",
    }
    # Today's takings count the same money on the day it moved, by the same tenders.
    assert (takings["Cash"], takings["On account"]) == ("-90.80 DH", "-62.90 DH")
    assert takings["Total"] == "-153.70 DH"


def test_the_z_reports_workbook_has_the_refunds_on_account(
    manager_client, manager_admin, yesterday_and_today
):
    session = yesterday_and_today["session"]
    manager_client.post(
        reverse("till-session-close", kwargs={"pk": session}),
        {"counted_cash": "9.20"},
        format="json",
    )

    response = manager_admin.get(reverse("admin:sales_tillsession_export_xlsx"))

    assert response.status_code == 200, response.content[:300]
    rows = [list(row) for row in load_workbook(io.BytesIO(response.content)).active.values]
    header, totals = rows[0], rows[-1]
    z_report = dict(zip(header, rows[1], strict=True))
    assert (z_report["Refunds in cash"], z_report["Refunds on account"]) == (90.8, 62.9)
    assert totals[header.index("Refunds on account")] == 62.9


def migrate_to(targets=None):
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    executor.loader.build_graph()


def _columns() -> set[str]:
    with connection.cursor() as cursor:
        described = connection.introspection.get_table_description(cursor, "sales_tillsession")
    return {column.name for column in described}


@pytest.mark.django_db(transaction=True)
def test_z_reports_closed_before_the_line_are_filled_from_their_returns(
    business, storefront, manager, till, customer, stocked
):
    # given a closed session whose return came partly off what was owed, and one without
    actor = Actor.for_user(manager)
    session = till_session_open(till=till, opening_float="100.00", actor=actor)
    split = _sold_partly_on_account(storefront, manager, customer, stocked("102.90"))
    sale_return(
        sale=split,
        lines=[{"item": split.items.get().pk, "quantity": 1}],
        reason="Wrong box",
        refund_method="CASH",
        actor=actor,
    )
    till_session_close(session=session, counted_cash="100.00", actor=actor)
    quiet = till_session_open(till=till, opening_float="50.00", actor=actor)
    till_session_close(session=quiet, counted_cash="50.00", actor=actor)
    businesses = Business.objects.filter(pk=business.pk)

    # when the line is taken away (the migration undone) and the migration runs again
    migrate_to(BEFORE_THE_LINE)
    columns_before = _columns()
    migrate_to()

    # then each Z report holds what its returns took off what was owed, as a close would
    assert "refunds_on_account" not in columns_before
    stored = dict(TillSession.objects.values_list("pk", "refunds_on_account"))
    assert stored == {session.pk: Decimal("62.90"), quiet.pk: Decimal("0.00")}
    assert till_sessions_check(businesses=businesses).differences == []
    if connection.vendor == "postgresql":
        # and a closed session is again refused any change
        with pytest.raises(DatabaseError, match="is closed"):
            TillSession.objects.filter(pk=session.pk).update(closing_note="changed")
