"""A return in the back office, in headless Chromium against the live server.

Given a customer who bought three boxes on account, when the manager returns one from the
sale's page, then the sale, the printable slip and the customer's profile all show it, and
the sale is no longer offered for cancelling.
"""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from pos_project.actors import Actor
from pos_project.models import Role
from sales.models import Return
from staff.services import staff_add
from tests.browser.conftest import admin_login
from tests.factories.customers import CustomerFactory
from tests.factories.kernel import PASSWORD, BusinessFactory, StorefrontFactory
from tests.factories.medicine import MedicineFactory
from tests.factories.sales import complete_sale

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_returns_a_box_from_the_sales_page(page, screenshot):
    business = BusinessFactory(name="Pharmacie Atlas")
    storefront = StorefrontFactory(business=business, name="Main")
    manager = staff_add(
        business=business, username="youssef", password=PASSWORD, role=Role.MANAGER,
        full_name="Youssef Alaoui", actor=Actor.system("test"),
    ).user  # fmt: skip
    khadija = CustomerFactory(business=business, name="Khadija Berrada", phone="+212612345678")
    doliprane = MedicineFactory(business=business, name="Doliprane 1000", prix_br=Decimal("30"))
    sale = complete_sale(
        storefront=storefront, actor_user=manager, customer=khadija,
        lines=[(doliprane, 3)], on_account=True,
    )  # fmt: skip
    item = sale.items.get()
    admin_login(page, "youssef", PASSWORD)

    page.goto(f"/admin/sales/sale/{sale.pk}/change/")
    page.get_by_role("link", name="Return items").click()
    expect(page.locator("#content-main form")).to_contain_text("30.00 DH a unit, as paid")
    page.fill(f"#id_quantity_{item.pk}", "1")
    # The refund adds up as units are entered.
    expect(page.locator("#return-total")).to_have_text("30.00 DH")
    page.fill("#id_reason", "Wrong strength")
    screenshot("return-items-form")
    page.get_by_role("button", name="Return items").click()
    # What it will do, before it does it.
    expect(page.locator("#return-preview")).to_contain_text(
        "30.00 DH off what is owed on S-000001, 0.00 DH held as credit on the account"
    )
    assert not Return.objects.exists()
    screenshot("return-preview")
    page.get_by_role("button", name="Confirm return").click()

    expect(page.locator(".messagelist")).to_contain_text(
        "Return R-000001 of sale S-000001: 30.00 DH off what is owed on S-000001"
    )
    expect(page.get_by_role("link", name="Cancel sale")).to_have_count(0)
    screenshot("sale-with-a-return")
    sale_return = Return.objects.get()
    with page.expect_popup() as opened:
        page.get_by_role("link", name="Print slip").first.click()
    slip = opened.value
    expect(slip.locator("body")).to_contain_text("RETURN R-000001")
    expect(slip.locator("body")).to_contain_text("S-000001")
    expect(slip.locator("body")).to_contain_text("30.00 DH")
    expect(slip.locator("#refund-summary")).to_contain_text("30.00 DH off what is owed on S-000001")
    screenshot("return-slip", target=slip)
    slip.close()

    page.goto(f"/admin/customers/customer/{khadija.pk}/change/")
    expect(page.locator("#returns")).to_contain_text(sale_return.number)
    expect(page.locator("#statement")).to_contain_text("Return R-000001 of sale S-000001")
    screenshot("customer-with-a-return")
