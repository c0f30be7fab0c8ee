"""A manager's day in the back office, in headless Chromium against the live server.

Given a pharmacy with a customer who bought on account, when the manager finds them by
phone, takes a payment, exports the debtors, prints a receipt and cancels a sale, then
every page shows it and the audit log has both events. A manager of another business
sees none of it.
"""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from customers.models import Customer
from pos_project.actors import Actor
from pos_project.models import Role
from sales.models import Sale, SaleStatus, TillSession
from staff.services import staff_add
from tests.browser.conftest import admin_login, make_manager
from tests.conftest import client_for
from tests.factories.customers import CustomerFactory
from tests.factories.kernel import PASSWORD, BusinessFactory, StorefrontFactory
from tests.factories.medicine import MedicineFactory
from tests.factories.sales import complete_sale
from tests.factories.tills import TillFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _text_money(text: str) -> Decimal:
    return Decimal(re.sub(r"[^\d.\-]", "", text))


def test_a_managers_day(page, screenshot, shop, tmp_path):
    khadija, first, second = shop["khadija"], shop["first"], shop["second"]

    # 1. Log in.
    admin_login(page, "youssef", PASSWORD)
    expect(page.locator("#back-office")).to_contain_text("Debtors report")
    screenshot("index")

    # 2. Find the customer by phone, typed as she says it.
    page.get_by_role("link", name="Customers", exact=True).first.click()
    expect(page.locator(".dashboard")).to_contain_text("Owed to the shop")
    page.fill("#searchbar", "06 12 34 56 78")
    page.press("#searchbar", "Enter")
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    expect(page.locator("#result_list")).to_contain_text("Khadija Berrada")
    expect(page.locator("#result_list")).to_contain_text("285.50 DH")
    screenshot("customers-found-by-phone")

    # 3. Open the profile and see the balance.
    page.get_by_role("link", name="Khadija Berrada").click()
    balance = page.locator("#outstanding-balance")
    expect(balance).to_have_text("285.50 DH")
    expect(page.locator("#purchase-history")).to_contain_text(first.receipt_number)
    expect(page.locator("#statement")).to_contain_text("285.50 DH")
    screenshot("profile")

    # 4. Record a payment and see the balance fall.
    page.locator(".object-tools").get_by_role("link", name="Record payment").click()
    page.fill("#id_amount", "100")
    page.select_option("#id_method", "CASH")
    page.fill("#id_reference", "Till 1")
    screenshot("record-payment-form")
    page.get_by_role("button", name="Record payment").click()
    expect(page.locator(".messagelist")).to_contain_text("Payment of 100.00 DH recorded")
    expect(balance).to_have_text("185.50 DH")
    expect(page.locator("#payments")).to_contain_text("100.00 DH")
    screenshot("profile-after-payment")
    khadija.refresh_from_db()
    assert khadija.outstanding_balance == Decimal("185.50")

    # 5. The debtors report, and its CSV: the same file as the API's.
    page.goto("/admin/customers/customer/")
    page.get_by_role("link", name="Debtors report").click()
    expect(page.locator(".debtors-table")).to_contain_text("Khadija Berrada")
    expect(page.locator("#debtors-total")).to_have_text("276.50 DH")
    expect(page.locator("svg.ageing-chart rect")).to_have_count(4)
    screenshot("debtors")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export CSV").click()
    download = download_info.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    exported = saved.read_bytes()
    assert exported.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(exported.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Customer", "Phone"]
    assert [row[0] for row in rows[1:-3]] == ["Khadija Berrada", "Omar Tazi"]
    assert [row[0] for row in rows[-2:]] == ["Credit held for customers", "Net receivables"]
    api = client_for(shop["manager"]).get("/customers/api/debtors/?format=csv")
    assert exported == api.content

    # 6. Open a receipt from the purchase history, in the same tab, and come back.
    profile_path = f"/admin/customers/customer/{khadija.pk}/change/"
    page.goto(profile_path)
    page.locator("#purchase-history").get_by_role("link", name=second.receipt_number).click()
    expect(page.locator("body")).to_contain_text("Vitamine C")
    expect(page.locator("body")).to_contain_text("45.50 DH")
    expect(page.locator("body")).to_contain_text("Charged to account")
    screenshot("receipt")
    page.locator("#receipt-back").click()
    page.wait_for_url(f"**{profile_path}")

    # 7. Cancel a sale, with a reason.
    page.goto(f"/admin/sales/sale/{second.pk}/change/")
    screenshot("sale")
    page.get_by_role("link", name="Cancel sale").click()
    screenshot("cancel-sale-form")
    page.fill("#id_reason", "Returned unopened")
    page.get_by_role("button", name="Cancel sale").click()
    expect(page.locator(".messagelist")).to_contain_text("cancelled: Returned unopened")
    expect(page.locator(".messagelist")).to_contain_text("charged to their account was taken off")
    screenshot("sale-cancelled")
    second.refresh_from_db()
    assert second.status == SaleStatus.CANCELLED

    # 8. Both in the audit log, in words, with the amounts.
    page.goto("/admin/audit/auditlog/")
    table = page.locator("#result_list")
    expect(table).to_contain_text("Payment received")
    expect(table).to_contain_text("100.00 DH")
    expect(table).to_contain_text("Sale cancelled")
    screenshot("audit-log")
    page.goto(f"/admin/audit/auditlog/?customer={khadija.pk}")
    expect(table).to_contain_text("Payment received")
    expect(table).to_contain_text("Sale cancelled")
    page.goto(f"/admin/audit/auditlog/?sale={second.pk}")
    expect(table).to_contain_text("Sale completed")
    expect(table).not_to_contain_text("Payment received")
    screenshot("audit-log-of-the-sale")


def test_a_manager_of_another_business_sees_none_of_it(page, screenshot, shop):
    rival = BusinessFactory(name="Pharmacie Rival")
    StorefrontFactory(business=rival, name="Rival Main")
    make_manager(rival, "rachid")
    CustomerFactory(business=rival, name="Rival Regular", phone="+212670000001")
    khadija, sale = shop["khadija"], shop["first"]

    admin_login(page, "rachid", PASSWORD)
    page.goto("/admin/customers/customer/?q=0612345678")
    expect(page.locator("#changelist")).not_to_contain_text("Khadija")
    page.goto("/admin/customers/customer/")
    expect(page.locator("#result_list")).to_contain_text("Rival Regular")
    expect(page.locator("#result_list")).not_to_contain_text("Khadija")
    screenshot("rival-customers")

    # Her profile is "not found": the admin sends the rival home with its standard message.
    page.goto(f"/admin/customers/customer/{khadija.pk}/change/")
    expect(page.locator(".messagelist")).to_contain_text("Perhaps it was deleted?")
    screenshot("rival-profile-redirected")
    for url in [
        f"/admin/customers/customer/{khadija.pk}/record-payment/",
        f"/admin/customers/customer/{khadija.pk}/adjust-credit/",
        f"/admin/sales/sale/{sale.pk}/receipt/",
        f"/admin/sales/sale/{sale.pk}/cancel/",
    ]:
        assert page.goto(url).status == 404, url

    page.goto("/admin/customers/customer/debtors/")
    expect(page.locator(".debtors-table")).not_to_contain_text("Khadija")
    expect(page.locator("#debtors-total")).to_have_text("0.00 DH")
    page.goto("/admin/sales/sale/")
    expect(page.locator("#changelist")).not_to_contain_text(sale.receipt_number)
    page.goto("/admin/audit/auditlog/")
    expect(page.locator("#changelist")).not_to_contain_text("Khadija")
    screenshot("rival-audit-log")
    assert Customer.objects.get(pk=khadija.pk).outstanding_balance == Decimal("285.50")
    assert Sale.objects.get(pk=sale.pk).status == SaleStatus.COMPLETED


def test_a_cashier_is_refused_at_the_admin_login(page, screenshot, shop):
    staff_add(
        business=shop["business"],
        username="salma",
        password=PASSWORD,
        role=Role.CASHIER,
        actor=Actor.system("test"),
    )
    page.goto("/admin/login/")
    page.fill("#id_username", "salma")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator(".errornote")).to_contain_text("for managers and owners")
    expect(page.locator(".errornote")).to_contain_text("at the till")
    screenshot("cashier-refused")


@pytest.fixture
def drawer_shop(shop):
    """The shop with "Till 1", two cash sales from an earlier day, and cash control on: cash
    is taken and given back only through an open till's drawer."""
    business, manager = shop["business"], shop["manager"]
    storefront = shop["first"].storefront
    TillFactory(storefront=storefront, name="Till 1")
    syrup = MedicineFactory(business=business, name="Sirop Toux", prix_br=Decimal("25.40"))
    cash_sales = [
        complete_sale(storefront=storefront, actor_user=manager, lines=[(syrup, 2)])
        for _ in range(2)
    ]
    business.cash_control = True
    business.save(update_fields=["cash_control"])
    return {**shop, "cash_sales": cash_sales}


@pytest.mark.parametrize(
    "viewport", [{"width": 1366, "height": 768}, {"width": 390, "height": 844}], ids=str
)
def test_a_managers_day_through_the_drawer(page, screenshot, drawer_shop, viewport):
    """Open a till, take a cash debt payment, return part of a sale in cash, cancel a cash
    sale and close the till: all in the back office, with cash control on, no API step."""
    page.set_viewport_size(viewport)
    khadija = drawer_shop["khadija"]
    returned, cancelled = drawer_shop["cash_sales"]
    admin_login(page, "youssef", PASSWORD)

    # 1. Open the till with a counted float.
    page.goto("/admin/sales/tillsession/")
    page.get_by_role("link", name="Open a till").click()
    page.select_option("#id_till", label="Till 1 (Main)")
    page.fill("#id_opening_float", "200.00")
    screenshot("open-till")
    page.get_by_role("button", name="Open till").click()
    expect(page.locator(".messagelist")).to_contain_text("Till 1 opened with a float of 200.00")
    session = TillSession.objects.get()

    # 2. A debt payment in cash goes into that drawer.
    page.goto(f"/admin/customers/customer/{khadija.pk}/record-payment/")
    expect(page.locator("#id_drawer")).to_have_value(str(session.pk))
    page.fill("#id_amount", "100")
    page.select_option("#id_method", "CASH")
    screenshot("record-payment-into-the-drawer")
    page.get_by_role("button", name="Record payment").click()
    expect(page.locator(".messagelist")).to_contain_text("into the drawer of Till 1")
    expect(page.locator("#outstanding-balance")).to_have_text("185.50 DH")

    # 3. One unit of a cash sale comes back in cash, out of the drawer.
    page.goto(f"/admin/sales/sale/{returned.pk}/change/")
    page.get_by_role("link", name="Return items").click()
    item = returned.items.get()
    page.fill(f"#id_quantity_{item.pk}", "1")
    page.fill("#id_reason", "Wrong flavour")
    page.select_option("#id_refund_method", "CASH")
    expect(page.locator("#id_drawer")).to_have_value(str(session.pk))
    expect(page.locator("#return-total")).to_have_text("25.40 DH")
    screenshot("return-in-cash")
    page.get_by_role("button", name="Return items").click()
    expect(page.locator("#return-preview")).to_contain_text("25.40 DH in cash")
    page.get_by_role("button", name="Confirm return").click()
    expect(page.locator(".messagelist")).to_contain_text("25.40 DH in cash")
    expect(page.locator(".messagelist")).to_contain_text("out of the drawer of Till 1")

    # 4. Cancel the other cash sale: its cash comes out of the drawer too.
    page.goto(f"/admin/sales/sale/{cancelled.pk}/change/")
    page.get_by_role("link", name="Cancel sale").click()
    page.fill("#id_reason", "Charged twice")
    expect(page.locator("#id_drawer")).to_have_value(str(session.pk))
    page.get_by_role("button", name="Cancel sale").click()
    expect(page.locator(".messagelist")).to_contain_text("in cash from the drawer of Till 1")
    screenshot("sale-cancelled-from-the-drawer")

    # 5. Count the drawer and close it: 200 + 100 - 25.40 - 50.80 = 223.80.
    page.goto("/admin/sales/tillsession/")
    page.get_by_role("link", name="Close session").click()
    expect(page.locator(".balance-summary")).to_contain_text("223.80 DH")
    page.fill("#id_counted_cash", "223.80")
    page.get_by_role("button", name="Close session").click()
    expect(page.locator(".messagelist")).to_contain_text("variance 0.00 DH")
    screenshot("till-closed")

    session.refresh_from_db()
    assert (session.debt_payments_cash, session.refunds_cash) == (
        Decimal("100.00"),
        Decimal("76.20"),
    )
    assert session.expected_cash == Decimal("223.80")
    # check_ledgers fails (CommandError) on any difference, a drawer below zero included.
    out = io.StringIO()
    call_command("check_ledgers", stdout=out)
    assert "Checked the Z reports of 1 closed till sessions." in out.getvalue()
