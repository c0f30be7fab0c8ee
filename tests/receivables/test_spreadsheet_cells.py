"""Every CSV the product writes goes through one writer: a cell holding a separator a
spreadsheet may split on (`,` `;` a tab or a line break) is quoted, and a cell it could
run as a formula is written as text. French and Moroccan Excel split on `;`."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from pos_project.spreadsheets import Sheet, csv_cell, spreadsheet_csv
from tests.factories.customers import CustomerFactory

pytestmark = pytest.mark.django_db

SPLIT_NAME = "Ali;=1+1;x"
PHONE_NAME = "+212 600 000000"


@pytest.fixture
def hostile_debtors(business, sell):
    """Two customers with a balance, named to break a spreadsheet."""
    for name in (SPLIT_NAME, PHONE_NAME):
        customer = CustomerFactory(business=business, name=name, credit_limit=Decimal("500"))
        sell(customer, "75.00")


def _cells(content: bytes, delimiter: str) -> list[str]:
    text = content.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text), delimiter=delimiter) for cell in row]


def _assert_safe(content: bytes):
    text = content.decode("utf-8-sig")
    assert f'"{SPLIT_NAME}"' in text
    assert f"'{PHONE_NAME}" in text
    for delimiter in (",", ";"):
        cells = _cells(content, delimiter)
        # a spreadsheet splitting either way finds no cell that is a formula
        assert [cell for cell in cells if cell[:1] in ("=", "+", "@")] == []
    assert SPLIT_NAME in _cells(content, ",")
    assert "75.00" in _cells(content, ",")


def test_the_debtors_csv_quotes_and_neutralises_names(manager_client, hostile_debtors):
    response = manager_client.get("/customers/api/debtors/", {"format": "csv"})

    assert response.status_code == 200
    _assert_safe(response.content)


def test_the_back_office_customers_export_quotes_and_neutralises_names(
    manager_admin, hostile_debtors
):
    response = manager_admin.get(reverse("admin:customers_customer_export"))

    assert response.status_code == 200
    _assert_safe(response.content)


def test_a_customers_statement_csv_goes_through_the_same_writer(manager_client, business, sell):
    customer = CustomerFactory(business=business, name=SPLIT_NAME, credit_limit=Decimal("500"))
    sell(customer, "75.00")

    response = manager_client.get(
        reverse("customer-ledger", kwargs={"pk": customer.pk}), {"format": "csv"}
    )

    assert response.status_code == 200
    header, *rows = csv.reader(io.StringIO(response.content.decode("utf-8-sig")))
    assert rows and all(len(row) == len(header) for row in rows)
    assert response.content.endswith(b"\r\n")


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("+212 600 000000", "'+212 600 000000"),
        ("+212612345678", "'+212612345678"),
        ("-1+1", "'-1+1"),
        ("\t=1", '"\'\t=1"'),
        ("\r=1", '"\'\r=1"'),
        (SPLIT_NAME, f'"{SPLIT_NAME}"'),
        ("a,b", '"a,b"'),
        ("two\nlines", '"two\nlines"'),
        ('say "hi"', '"say ""hi"""'),
        ("-45.00", "-45.00"),
        (Decimal("-45.00"), "-45.00"),
        (12, "12"),
        (None, ""),
        ("Chaïmae", "Chaïmae"),
    ],
)
def test_each_cell_is_written_as_a_spreadsheet_reads_it_safely(value, written):
    sheet = Sheet(title="Cells", rows=[[value, "x"]])
    assert spreadsheet_csv(sheet).decode("utf-8-sig") == f"{written},x\r\n"


def test_a_plain_amount_stays_a_number():
    assert (csv_cell("-45.00"), csv_cell("0.50"), csv_cell("-")) == ("-45.00", "0.50", "'-")
