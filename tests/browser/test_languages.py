"""The back office in French and in Arabic, at a laptop's and a phone's width: the manager's
pages (home, customers, debtors, audit log) speak the language, Arabic ones run right to
left, and nothing overflows. The receipt and the statement print right to left in Arabic."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from pos_project.models import StaffMember
from receivables.statements import statement_link_url, statement_of_account
from sales.receipt_links import receipt_link_url
from tests.browser.conftest import SCREENSHOT_DIR, admin_login
from tests.browser.test_pages_fit import LAPTOP, OVERFLOW, PHONE
from tests.factories.kernel import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = {
    "home": "admin:index",
    "customers": "admin:customers_customer_changelist",
    "debtors": "admin:customers_customer_debtors",
    "audit": "admin:audit_auditlog_changelist",
}
# A word of each page's heading or menu in each language, from the catalogues.
SAID = {"fr": "Clients", "ar": "الزبناء"}
DIRECTION = "() => [document.documentElement.lang, getComputedStyle(document.body).direction]"


@pytest.mark.parametrize("size", [LAPTOP, PHONE], ids=["laptop", "phone"])
@pytest.mark.parametrize("language", ["fr", "ar"])
def test_the_managers_pages_in_french_and_arabic(page, shop, screenshot, language, size):
    StaffMember.objects.filter(user=shop["manager"]).update(language=language)
    page.set_viewport_size(size)
    admin_login(page, "youssef", PASSWORD)

    for name, url_name in PAGES.items():
        page.goto(reverse(url_name))
        screenshot(f"{language}-{name}")
        lang, direction = page.evaluate(DIRECTION)
        assert lang == language, name
        assert direction == ("rtl" if language == "ar" else "ltr"), name
        assert page.evaluate(OVERFLOW) == [], name
    page.goto(reverse("admin:index"))
    assert SAID[language] in page.content()


def test_the_receipt_and_the_statement_print_right_to_left_in_arabic(page, shop):
    business, khadija = shop["business"], shop["khadija"]
    business.language = "ar"
    business.save()
    today = timezone.localdate()
    statement = statement_of_account(
        customer=khadija, since=today - timedelta(days=90), until=today
    )
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)

    for name, link in (
        ("receipt", receipt_link_url(shop["first"])),
        ("statement", statement_link_url(statement)),
    ):
        page.goto(link)
        page.emulate_media(media="print")
        lang, direction = page.evaluate(DIRECTION)
        printed = page.pdf(path=str(SCREENSHOT_DIR / f"{name}-ar.pdf"), format="A4")

        assert (lang, direction) == ("ar", "rtl"), name
        assert printed.startswith(b"%PDF")
