"""Every export a person opens is also an Excel workbook: amounts are numbers with two
decimals, days are dates, phones and names are text as written (nothing runs as a formula),
the header and the totals are bold. A French-locale Excel opens it as its columns, where a
comma-separated file opens as one."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from pos_project.spreadsheets import XLSX_MEDIA_TYPE
from tests.conftest import client_for
from tests.factories.customers import CustomerFactory

pytestmark = pytest.mark.django_db

FORMULA_NAME = "=HYPERLINK(1)"


def _sheet(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == XLSX_MEDIA_TYPE
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Content-Disposition"].endswith('.xlsx"')
    return load_workbook(io.BytesIO(response.content)).active


def _rows(sheet) -> list[list]:
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


@pytest.fixture
def debtors(business, sell):
    khadija = CustomerFactory(business=business, name="Khadija Berrada", phone="+212661361611")
    sell(khadija, "240.00")
    named = CustomerFactory(business=business, name=FORMULA_NAME, phone=None)
    sell(named, "10.50")
    return khadija, named


def test_the_debtors_report_as_a_workbook(manager, business, debtors):
    sheet = _sheet(client_for(manager).get("/customers/api/debtors/", {"format": "xlsx"}))
    rows = _rows(sheet)

    header = rows[0]
    assert (header[0], header[1], header[3]) == (
        "Customer",
        "Phone",
        "Amount owed (negative: credit held)",
    )
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    khadija = next(row for row in rows if row[0] == "Khadija Berrada")
    # The phone as the shop writes it, as text: not 2.13E+11.
    assert khadija[1] == "0661-361611"
    assert khadija[3] == 240
    assert sheet.cell(row=rows.index(khadija) + 1, column=4).number_format == "#,##0.00"
    # Days are dates: the sale was made today, in the shop's time zone.
    shop_today = timezone.localdate(timezone=business.zone)
    assert khadija[header.index("Oldest sale due")].date() == shop_today
    # A name a spreadsheet would run stays the text it is.
    formula_row = rows.index(next(row for row in rows if row[0] == FORMULA_NAME)) + 1
    assert sheet.cell(row=formula_row, column=1).data_type == "s"
    # The three totals rows: owed, credit held, net; bold.
    owed, credit, net = rows[-3:]
    assert owed[3] == Decimal("250.50") and net[3] == Decimal("250.50") and credit[3] == 0
    assert sheet.cell(row=len(rows), column=1).font.bold


def test_the_back_office_debtors_export_is_the_apis_workbook(manager_admin, manager, debtors):
    export = reverse("admin:customers_customer_debtors_export")
    page = manager_admin.get(reverse("admin:customers_customer_debtors")).content.decode()

    assert "Export Excel" in page and "Export CSV" in page
    from_back_office = _rows(_sheet(manager_admin.get(export)))
    from_api = _rows(_sheet(client_for(manager).get("/customers/api/debtors/?format=xlsx")))
    assert from_back_office == from_api


def test_the_customers_list_as_a_workbook_with_its_totals(manager_admin, business, debtors):
    export = reverse("admin:customers_customer_export_xlsx")

    assert (
        export in manager_admin.get(reverse("admin:customers_customer_changelist")).content.decode()
    )
    sheet = _sheet(manager_admin.get(export, {"owes": "yes"}))
    rows = _rows(sheet)
    header = rows[0]
    balance, phone = header.index("Balance (negative: credit held)"), header.index("Phone")
    khadija = next(row for row in rows if row[0] == "Khadija Berrada")
    assert (khadija[phone], khadija[balance]) == ("0661-361611", 240)
    # in the shop's time zone, whatever the server's
    assert khadija[header.index("Added")].date() == timezone.localdate(timezone=business.zone)
    assert rows[-1][0] == "Total (2 customers)"
    assert rows[-1][balance] == Decimal("250.50")
    assert sheet.cell(row=len(rows), column=1).font.bold


def test_a_statement_as_a_workbook_opens_and_closes_with_the_balance(manager_admin, debtors):
    khadija, _ = debtors
    export = reverse("admin:customers_customer_statement_export", args=[khadija.pk])
    profile = reverse("admin:customers_customer_change", args=[khadija.pk])

    assert export in manager_admin.get(profile).content.decode()
    rows = _rows(_sheet(manager_admin.get(export)))
    balance = rows[0].index("Balance after")
    assert rows[1][3] == "Opening balance" and rows[1][balance] == 0
    assert rows[-1][3] == "Closing balance" and rows[-1][balance] == 240
    assert [row[balance] for row in rows[2:-1]] == [240]


def test_a_statement_export_with_dates_it_cannot_read_is_a_400(manager_admin, debtors):
    khadija, _ = debtors
    export = reverse("admin:customers_customer_statement_export", args=[khadija.pk])

    assert manager_admin.get(export, {"since": "yesterday"}).status_code == 400


def test_the_ledger_through_the_api_as_a_workbook(manager, debtors):
    khadija, _ = debtors
    url = f"/customers/api/customers/{khadija.pk}/ledger/"
    rows = _rows(_sheet(client_for(manager).get(url, {"format": "xlsx"})))

    assert rows[0][0] == "Entry" and len(rows) == 2
    assert rows[1][rows[0].index("Amount")] == 240


def test_an_unknown_format_names_the_spreadsheets(manager):
    response = client_for(manager).get("/customers/api/debtors/", {"format": "pdf"})

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "unknown_format"
    assert "?format=xlsx" in body["message"]


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_options_asked_as_a_spreadsheet_describes_the_endpoint_in_json(manager, debtors, format):
    khadija, _ = debtors
    client = client_for(manager)

    for url in ("/customers/api/debtors/", f"/customers/api/customers/{khadija.pk}/ledger/"):
        response = client.options(f"{url}?format={format}")

        assert response.status_code == 200, (url, response.content[:200])
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["name"]
