"""The sales, returns and till sessions lists offer their rows as an Excel workbook and as a
CSV ("Export Excel", "Export CSV"): what the list's search and filters select, every page,
amounts as numbers, moments as dates with times, and a totals row. The till sessions' export
is the Z reports of the period the list shows."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from pos_project.actors import Actor
from pos_project.spreadsheets import XLSX_MEDIA_TYPE
from sales.services import sale_return
from sales.services.tills import till_session_close, till_session_open
from tests.conftest import admin_client_for
from tests.factories.customers import CustomerFactory
from tests.factories.sales import complete_sale

pytestmark = pytest.mark.django_db


def _workbook_rows(response) -> list[list]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == XLSX_MEDIA_TYPE
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=sheet.max_row, column=1).font.bold  # the totals
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def _csv_rows(response) -> list[dict]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def day(storefront, manager, till, stocked):
    """A till's day: a cash sale, an on-account sale partly returned, the till closed."""
    actor = Actor.for_user(manager)
    session = till_session_open(till=till, opening_float="100.00", actor=actor)
    box = stocked("25.40")
    cash = complete_sale(storefront=storefront, actor_user=manager, lines=[(box, 2)])
    khadija = CustomerFactory(business=storefront.business, name="Khadija Berrada")
    on_account = complete_sale(
        storefront=storefront,
        actor_user=manager,
        lines=[(box, 1)],
        customer=khadija,
        on_account=True,
    )
    returned = sale_return(
        sale=on_account,
        lines=[{"item": on_account.items.get().pk, "quantity": 1, "restock": True}],
        reason="Wrong box",
        refund_method=None,
        actor=actor,
    )
    closed = till_session_close(session=session, counted_cash="150.80", actor=actor)
    return {"cash": cash, "on_account": on_account, "return": returned, "session": closed}


def test_the_sales_list_as_a_workbook_with_tenders_and_totals(manager_admin, day):
    changelist = manager_admin.get(reverse("admin:sales_sale_changelist")).content.decode()
    export = reverse("admin:sales_sale_export_xlsx")

    assert export in changelist and "Export CSV" in changelist
    rows = _workbook_rows(manager_admin.get(export))
    header, totals = rows[0], rows[-1]
    by_sale = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:-1]}
    cash = by_sale[day["cash"].receipt_number]
    # A workbook keeps numbers, which openpyxl reads back as floats.
    assert (cash["Total"], cash["Cash"], cash["On account"]) == (50.8, 50.8, 0)
    on_account = by_sale[day["on_account"].receipt_number]
    assert on_account["Customer"] == "Khadija Berrada"
    assert (on_account["On account"], on_account["Returned"]) == (25.4, 25.4)
    assert on_account["Completed"] is not None
    assert totals[0] == "Total (2 sales)"
    assert totals[header.index("Total")] == 76.2


def test_the_sales_export_follows_the_lists_search(manager_admin, day):
    export = reverse("admin:sales_sale_export")

    rows = _csv_rows(manager_admin.get(export, {"q": day["cash"].receipt_number}))

    assert [row["Sale"] for row in rows] == [day["cash"].receipt_number, "Total (1 sale)"]
    assert rows[0]["Cash"] == "50.80"


def test_the_returns_list_as_a_workbook_says_where_the_money_went(manager_admin, day):
    export = reverse("admin:sales_return_export_xlsx")

    assert export in manager_admin.get(reverse("admin:sales_return_changelist")).content.decode()
    rows = _workbook_rows(manager_admin.get(export))
    header = rows[0]
    row = dict(zip(header, rows[1], strict=True))
    assert row["Return"] == day["return"].number
    assert row["Money back"] == f"25.40 DH off what is owed on {day['on_account'].receipt_number}"
    assert rows[-1][0] == "Total (1 return)"
    assert rows[-1][header.index("Total")] == 25.4


def test_the_z_reports_of_a_period_as_a_workbook(manager_admin, day):
    changelist = reverse("admin:sales_tillsession_changelist")
    export = reverse("admin:sales_tillsession_export_xlsx")

    assert export in manager_admin.get(changelist).content.decode()
    rows = _workbook_rows(manager_admin.get(export, {"status": "CLOSED"}))
    header = rows[0]
    z_report = dict(zip(header, rows[1], strict=True))
    assert z_report["Z report"] == day["session"].z_number
    assert (z_report["Float"], z_report["Expected cash"], z_report["Counted cash"]) == (
        100,
        150.8,
        150.8,
    )
    assert z_report["Variance"] == 0
    assert rows[-1][0] == "Total (1 Z report)"


def test_an_export_with_a_filter_the_list_cannot_read_goes_back_to_the_list(manager_admin):
    response = manager_admin.get(
        reverse("admin:sales_sale_export"), {"created_at__gte": "not-a-day"}
    )

    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


def test_another_business_sees_none_of_it(other_manager, day):
    rows = _csv_rows(admin_client_for(other_manager).get(reverse("admin:sales_sale_export")))

    assert [row["Sale"] for row in rows] == ["Total (0 sales)"]
