"""Every back-office page fits a 1366x768 laptop, and on a 390x844 phone the columns that
matter (name, amount owed, action) stay in view. Screenshots of both are saved.

"Fits" is measured in the browser: the page is no wider than the window, and no table
scrolls sideways inside its box (Django's lists do, hiding their last columns).
"""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from pos_project.actors import Actor
from pos_project.models import Role
from receivables.services import customer_record_payment
from sales.services import sale_cancel
from tests.browser.conftest import admin_login, make_manager
from tests.factories.customers import CustomerFactory
from tests.factories.kernel import PASSWORD
from tests.factories.medicine import MedicineFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}

# Wider than the window, and boxes that scroll their content sideways (hidden helpers of
# one pixel aside).
OVERFLOW = """() => {
  const width = window.innerWidth;
  const found = [];
  if (document.documentElement.scrollWidth > width) {
    found.push('page ' + document.documentElement.scrollWidth + 'px wide');
  }
  for (const el of document.querySelectorAll('body *')) {
    const style = getComputedStyle(el);
    if (el.clientWidth > 2 && ['auto', 'scroll'].includes(style.overflowX)
        && el.scrollWidth > el.clientWidth + 1) {
      const name = el.id || el.className || el.tagName;
      found.push(name + ' scrolls ' + el.scrollWidth + '>' + el.clientWidth);
    }
  }
  return found;
}"""

# Is this element drawn, and wholly inside the window's width?
IN_VIEW = """(el) => {
  const box = el.getBoundingClientRect();
  return box.width > 0 && box.height > 0 && box.left >= 0 && box.right <= window.innerWidth
    && getComputedStyle(el).visibility !== 'hidden';
}"""


@pytest.fixture
def day(shop):
    """The shop after a day's work: a customer in credit, a cancelled sale, a long name."""
    business, manager = shop["business"], shop["manager"]
    make_manager(business, "nadia", role=Role.OWNER)
    credit = CustomerFactory(
        business=business, name="Chaïmae El Idrissi Benjelloun", phone="+212600000777"
    )
    customer_record_payment(
        customer=credit,
        amount=Decimal("38.50"),
        method="CASH",
        allow_overpayment=True,
        note="Deposit for next month's order",
        actor=Actor.for_user(manager),
    )
    customer_record_payment(
        customer=shop["khadija"],
        amount=Decimal("100.00"),
        method="CARD",
        reference="Slip 0042",
        actor=Actor.for_user(manager),
    )
    MedicineFactory(business=business, name="Amoxicilline Biogaran 500 mg gélules")
    sale_cancel(sale=shop["second"], reason="Returned unopened", actor=Actor.for_user(manager))
    return {**shop, "credit": credit}


def _pages(day) -> list[tuple[str, str]]:
    khadija, first, second = day["khadija"], day["first"], day["second"]
    customer = f"/admin/customers/customer/{khadija.pk}"
    medicine = day["business"].medicines.order_by("name").first()
    return [
        ("home", "/admin/"),
        ("customers", "/admin/customers/customer/"),
        ("customers-filtered", "/admin/customers/customer/?owes=yes"),
        ("profile", f"{customer}/change/"),
        ("record-payment", f"{customer}/record-payment/"),
        ("adjust-credit", f"{customer}/adjust-credit/"),
        ("delete-refused", f"{customer}/delete/"),
        ("statement", f"{customer}/statement/"),
        ("debtors", "/admin/customers/customer/debtors/"),
        ("sales", "/admin/sales/sale/"),
        ("sale", f"/admin/sales/sale/{first.pk}/change/"),
        ("cancelled-sale", f"/admin/sales/sale/{second.pk}/change/"),
        ("cancel-sale", f"/admin/sales/sale/{first.pk}/cancel/"),
        ("receipt", f"/admin/sales/sale/{first.pk}/receipt/"),
        ("return-items", f"/admin/sales/sale/{first.pk}/return/"),
        ("till-sessions", "/admin/sales/tillsession/"),
        ("open-a-till", "/admin/sales/tillsession/open/"),
        ("medicines", "/admin/medicine/medicine/"),
        ("medicine", f"/admin/medicine/medicine/{medicine.pk}/change/"),
        ("audit-log", "/admin/audit/auditlog/"),
        ("audit-entry", f"/admin/audit/auditlog/{_latest_audit(day).pk}/change/"),
        ("not-found", "/admin/customers/custmer/"),
    ]


OWNER_PAGES = [
    ("business", "/admin/pos_project/business/"),
    ("storefronts", "/admin/pos_project/storefront/"),
    ("staff", "/admin/pos_project/staffmember/"),
    ("lockouts", "/admin/axes/accessattempt/"),
]


def _latest_audit(day):
    from audit.models import AuditLog

    return AuditLog.objects.filter(business=day["business"]).order_by("-sequence").first()


def _check_fit(page, screenshot, size_name, pages):
    problems = {}
    for name, url in pages:
        page.goto(url)
        found = page.evaluate(OVERFLOW)
        if found:
            problems[name] = found
        screenshot(f"{size_name}-{name}")
    assert problems == {}, problems


def test_every_page_fits_a_laptop(page, screenshot, day):
    page.set_viewport_size(LAPTOP)
    admin_login(page, "youssef", PASSWORD)
    _check_fit(page, screenshot, "1366", _pages(day))
    page.context.clear_cookies()
    admin_login(page, "nadia", PASSWORD)
    _check_fit(page, screenshot, "1366", OWNER_PAGES)


def test_every_page_fits_a_phone(page, screenshot, day):
    page.set_viewport_size(PHONE)
    admin_login(page, "youssef", PASSWORD)
    _check_fit(page, screenshot, "390", _pages(day))
    page.context.clear_cookies()
    admin_login(page, "nadia", PASSWORD)
    _check_fit(page, screenshot, "390", OWNER_PAGES)


def _in_view(locator) -> bool:
    return locator.evaluate(IN_VIEW)


def test_on_a_phone_the_key_columns_stay_in_view(page, screenshot, day):
    page.set_viewport_size(PHONE)
    admin_login(page, "youssef", PASSWORD)
    khadija = day["khadija"]

    # Debtors: the name, what they owe and "Record payment"; the customer in credit is
    # marked and has no payment button.
    page.goto("/admin/customers/customer/debtors/")
    row = page.locator(".debtors-table tbody tr", has_text="Khadija Berrada")
    assert _in_view(row.get_by_role("link", name="Khadija Berrada"))
    assert _in_view(row.locator("td.money").first)
    expect(row.locator("td.money").first).to_have_text("140.00 DH")
    assert _in_view(row.get_by_role("link", name="Record payment"))
    # The number to call stays, under the name.
    call = row.get_by_role("link", name="0612-345678")
    assert _in_view(call)
    expect(call).to_have_attribute("href", "tel:+212612345678")
    in_credit = page.locator(".debtors-table tbody tr", has_text="Chaïmae")
    expect(in_credit).to_contain_text("holds 38.50 DH")
    expect(in_credit.get_by_role("link", name="Record payment")).to_have_count(0)
    screenshot("390-debtors-key-columns")

    # Customers: the search box comes before the dashboard's cards; then the name and the
    # balance.
    page.goto("/admin/customers/customer/")
    search_top = page.locator("#searchbar").bounding_box()["y"]
    assert search_top < page.locator(".dashboard").bounding_box()["y"]
    assert search_top < PHONE["height"]
    page.goto("/admin/customers/customer/?q=Khadija")
    row = page.locator("#result_list tbody tr", has_text="Khadija Berrada")
    assert _in_view(row.get_by_role("link", name="Khadija Berrada"))
    assert _in_view(row.locator("td.field-balance"))
    expect(row.locator("td.field-balance")).to_contain_text("140.00 DH")
    screenshot("390-customers-key-columns")

    # The profile: the balance and the actions first, then every history's amount column.
    page.goto(f"/admin/customers/customer/{khadija.pk}/change/")
    assert _in_view(page.locator("#outstanding-balance"))
    assert _in_view(page.locator(".object-tools").get_by_role("link", name="Record payment"))
    for section in ("#purchase-history", "#payments", "#statement"):
        header = page.locator(f"{section} thead th").last
        header.scroll_into_view_if_needed()
        assert _in_view(header), section
    screenshot("390-profile-key-columns")

    # The sales list: the sale, and its total.
    page.goto("/admin/sales/sale/")
    row = page.locator("#result_list tbody tr", has_text=day["first"].receipt_number)
    assert _in_view(row.locator("th.field-label, td.field-label").first)
    assert _in_view(row.locator("td.field-total"))
    expect(page.locator("#result_list")).to_contain_text("Cancelled")
