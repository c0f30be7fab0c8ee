"""Headless Chromium against a live test server, for end-to-end tests of the back office.

Uses Debian's `chromium` through Playwright (Playwright's own browser download cannot run
here). Without Chromium the tests are skipped with a message saying how to get it.
"""

import os
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from pos_project.actors import Actor
from pos_project.models import Role
from staff.services import staff_add
from tests.factories.customers import CustomerFactory
from tests.factories.kernel import PASSWORD, BusinessFactory, StorefrontFactory
from tests.factories.medicine import MedicineFactory
from tests.factories.sales import complete_sale

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SKIP_REASON = "Chromium is not installed; install Debian's package with: apt-get install chromium"
SCREENSHOT_DIR = Path(
    os.environ.get(
        "BROWSER_SCREENSHOTS",
        Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots",
    )
)
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Playwright's sync API runs an event loop in the test's thread; the ORM calls the tests
# make there are still ordinary synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if CHROMIUM:
        return
    skip = pytest.mark.skip(reason=SKIP_REASON)
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter):
    if CHROMIUM and SCREENSHOT_DIR.exists() and any(SCREENSHOT_DIR.iterdir()):
        terminalreporter.write_line(f"Browser screenshots: {SCREENSHOT_DIR}")
    elif not CHROMIUM:
        terminalreporter.write_line(f"Browser tests skipped: {SKIP_REASON}")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1366, "height": 900}, accept_downloads=True
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot(page, request):
    """`screenshot("profile")` saves the whole page as <test>-<n>-profile.png; returns the path.

    `screenshot("receipt", target=other_page)` shoots another tab, such as a receipt opened
    in a new window.
    """
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    test_name = re.sub(r"[^A-Za-z0-9_-]+", "-", request.node.name)
    taken = []

    def take(name: str, target=None) -> Path:
        taken.append(name)
        path = SCREENSHOT_DIR / f"{test_name}-{len(taken):02d}-{name}.png"
        (target or page).screenshot(path=str(path), full_page=True)
        return path

    return take


def admin_login(page, username: str, password: str) -> None:
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")


def make_manager(business, username, role=Role.MANAGER):
    """A manager made as the shop makes one, so the admin login is the real one."""
    return staff_add(
        business=business,
        username=username,
        password=PASSWORD,
        role=role,
        full_name="Youssef Alaoui",
        actor=Actor.system("test"),
    ).user


@pytest.fixture
def shop():
    business = BusinessFactory(name="Pharmacie Atlas")
    storefront = StorefrontFactory(business=business, name="Main")
    manager = make_manager(business, "youssef")
    khadija = CustomerFactory(
        business=business,
        name="Khadija Berrada",
        phone="+212612345678",
        credit_limit=Decimal("1000.00"),
    )
    omar = CustomerFactory(business=business, name="Omar Tazi", phone="+212661000111")
    doliprane = MedicineFactory(business=business, name="Doliprane 1000", prix_br=Decimal("120"))
    vitamin = MedicineFactory(business=business, name="Vitamine C", prix_br=Decimal("45.50"))
    first = complete_sale(
        storefront=storefront,
        actor_user=manager,
        customer=khadija,
        lines=[(doliprane, 2)],
        on_account=True,
    )
    second = complete_sale(
        storefront=storefront,
        actor_user=manager,
        customer=khadija,
        lines=[(vitamin, 1)],
        on_account=True,
    )
    complete_sale(
        storefront=storefront,
        actor_user=manager,
        customer=omar,
        lines=[(vitamin, 2)],
        on_account=True,
    )
    return {
        "business": business,
        "manager": manager,
        "khadija": khadija,
        "first": first,
        "second": second,
    }
