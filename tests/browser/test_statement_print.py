"""The statement a customer takes home: printed on A4 by Chromium, every column of it lies
inside the page (the Balance column was cut at the page's edge), and the manager picks its
period from the page (this month, last month, 90 days, a year, or from-to)."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from pos_project.actors import Actor
from receivables.services import customer_adjust_credit
from tests.browser.conftest import SCREENSHOT_DIR, admin_login
from tests.factories.kernel import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A4's width less the statement's 12 mm margins, in CSS pixels: what Chromium lays a
# printed page out in.
PRINTED_WIDTH = round((210 - 2 * 12) / 25.4 * 96)

# The right edge of every cell of the statement's tables, counting what a cell's text
# spills past it, and the width of the page's content.
CELL_EDGES = """() => {
  const cells = [...document.querySelectorAll('#statement-lines th, #statement-lines td,'
    + ' #due-by-age th, #due-by-age td')];
  const drawn = cells.filter((cell) => cell.getBoundingClientRect().width > 0);
  const right = (cell) => cell.getBoundingClientRect().left
    + Math.max(cell.scrollWidth, cell.getBoundingClientRect().width);
  return {
    width: document.documentElement.clientWidth,
    scroll: document.documentElement.scrollWidth,
    rightmost: Math.max(...drawn.map(right)),
    cells: drawn.length,
  };
}"""


@pytest.fixture
def statement_url(shop):
    """Khadija's statement with a long entry and large amounts, the widest it gets."""
    manager = Actor.for_user(shop["manager"])
    customer_adjust_credit(
        customer=shop["khadija"],
        amount=Decimal("98765.43"),
        type="add",
        reason="Goodwill after the pharmacy's ordering mistake on a long prescription",
        actor=manager,
    )
    return reverse("admin:customers_customer_statement", args=[shop["khadija"].pk])


def test_every_column_of_the_printed_statement_lies_inside_the_a4_page(page, shop, statement_url):
    admin_login(page, "youssef", PASSWORD)
    page.goto(statement_url)
    expect(page.locator("#closing-balance")).to_be_visible()

    page.set_viewport_size({"width": PRINTED_WIDTH, "height": 1100})
    page.emulate_media(media="print")
    edges = page.evaluate(CELL_EDGES)

    assert edges["cells"] > 20
    assert edges["scroll"] <= edges["width"], edges
    assert edges["rightmost"] <= PRINTED_WIDTH, edges
    expect(page.locator("#statement-period")).to_be_hidden()
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    printed = page.pdf(path=str(SCREENSHOT_DIR / "statement-a4.pdf"), format="A4")
    assert printed.startswith(b"%PDF")


def test_the_manager_picks_the_statement_period_on_the_page(page, shop, statement_url):
    today = timezone.localdate(timezone=shop["business"].zone)
    admin_login(page, "youssef", PASSWORD)
    page.goto(statement_url)

    period = page.locator("#statement-period")
    for label in ("This month", "Last month", "Last 90 days", "Last 12 months"):
        expect(period.get_by_role("link", name=label)).to_be_visible()
    expect(period.get_by_role("link", name="Last 90 days")).to_have_attribute(
        "aria-current", "true"
    )
    period.get_by_role("link", name="This month").click()
    expect(page).to_have_url(f"{page.url.split('?')[0]}?since={today.replace(day=1)}&until={today}")
    expect(page.locator("#closing-balance")).to_contain_text("98,479.93")

    page.fill("#statement-period input[name=since]", "2020-01-01")
    page.fill("#statement-period input[name=until]", "2020-01-31")
    period.get_by_role("button", name="Show").click()
    expect(page.locator("#statement-lines")).to_contain_text("Nothing on the account")
