"""Who chooses the back office's language, the printed pages' language, amounts and audit
descriptions in the reader's language."""

from decimal import Decimal
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from audit.models import AuditLog
from medicine.services.stock import stock_adjust
from pos_project.actors import Actor
from pos_project.models import Business, StaffMember
from pos_project.money import format_money
from tests.conftest import admin_client_for
from tests.factories.customers import CustomerFactory
from tests.factories.medicine import MedicineFactory
from tests.factories.sales import complete_sale

SWITCH = "/admin/pos_project/staffmember/language/"
FATIMA = "فاطمة الزهراء العلوي"


def page_language(page) -> tuple[str, str]:
    html = page.content.decode()
    start = html.index("<html")
    tag = html[start : html.index(">", start)]
    lang = tag.split('lang="')[1].split('"')[0]
    direction = tag.split('dir="')[1].split('"')[0]
    return lang, direction


def test_the_switcher_remembers_the_choice(manager, manager_admin):
    response = manager_admin.post(SWITCH, {"language": "fr", "next": "/admin/"})

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert StaffMember.objects.get(user=manager).language == "fr"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    home = manager_admin.get("/admin/")
    assert page_language(home) == ("fr", "ltr")
    assert "Rapport des débiteurs" in home.content.decode()

    manager_admin.post(SWITCH, {"language": "ar", "next": "/admin/"})
    assert page_language(manager_admin.get("/admin/")) == ("ar", "rtl")


def test_the_switcher_lists_the_four_languages(manager_admin):
    home = manager_admin.get("/admin/").content.decode()

    for code in ("en", "fr", "ar", "uz"):
        assert f'<option value="{code}" lang="{code}"' in home


def test_the_staff_members_language_beats_the_business_and_a_cookie(business, manager):
    business.language = "uz"
    business.save()
    client = admin_client_for(manager)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    assert page_language(client.get("/admin/"))[0] == "uz"
    StaffMember.objects.filter(user=manager).update(language="ar")
    assert page_language(client.get("/admin/"))[0] == "ar"


def test_the_login_page_follows_the_cookie(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    assert page_language(client.get("/admin/login/"))[0] == "fr"


def test_an_owner_sets_a_cashiers_language_on_the_staff_page(owner, cashier):
    staff = StaffMember.objects.get(user=cashier)
    page = admin_client_for(owner).post(
        f"/admin/pos_project/staffmember/{staff.pk}/change/", {"role": "CASHIER", "language": "ar"}
    )

    assert page.status_code == 302
    staff.refresh_from_db()
    assert staff.language == "ar"


def test_the_business_page_offers_readable_choices(business, owner):
    page = admin_client_for(owner).get(f"/admin/pos_project/business/{business.pk}/change/")
    html = page.content.decode()

    assert '<option value="MAD" selected>MAD - Moroccan Dirham</option>' in html
    assert '<option value="MA" selected>Morocco (MA)</option>' in html
    assert '<option value="Africa/Casablanca" selected>Africa / Casablanca</option>' in html
    assert '<select name="language"' in html


def test_create_business_takes_a_language(db):
    call_command(
        "create_business",
        "Pharmacie Atlas",
        "--owner",
        "atlas",
        "--password",
        "a-long-owner-password-1",
        "--language",
        "ar",
        stdout=None,
    )

    assert Business.objects.get(name="Pharmacie Atlas").language == "ar"


@pytest.mark.parametrize(
    ("language", "written"),
    [
        ("en", "1,234.50 DH"),
        ("fr", "1\u202f234,50\u00a0DH"),
        ("ar", "\u20661.234,50\u00a0DH\u2069"),
        ("uz", "1\u00a0234,50\u00a0DH"),
    ],
)
def test_amounts_follow_the_language_with_western_digits(language, written):
    with translation.override(language):
        assert format_money(Decimal("1234.5"), "DH") == written


@pytest.fixture
def sale(business, storefront, cashier):
    box = MedicineFactory(business=business, prix_br=Decimal("30.00"))
    return complete_sale(storefront=storefront, actor_user=cashier, lines=[(box, 2)])


def test_a_printed_receipt_speaks_the_business_language_and_lang_chooses(
    business, sale, cashier_client, anon_client
):
    business.language = "fr"
    business.save()
    link = cashier_client.get(f"/sales/api/sales/{sale.pk}/").json()["receipt_url"]
    path = link.removeprefix("http://testserver")

    in_french = anon_client.get(path, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    in_english = anon_client.get(f"{path}?lang=en").content.decode()
    not_ours = anon_client.get(f"{path}?lang=de").content.decode()

    assert "60,00\u00a0DH" in in_french
    assert "60.00 DH" in in_english
    assert "60,00\u00a0DH" in not_ours


def test_a_broken_link_refuses_in_the_language_it_asks_for(anon_client, sale):
    page = anon_client.get("/sales/api/receipts/not-a-token/?lang=fr")

    assert page.status_code == 404
    assert page_language(page) == ("fr", "ltr")
    assert "n&#x27;est pas valide" in page.content.decode()


@pytest.fixture
def arabic_sale(business, storefront, manager):
    customer = CustomerFactory(business=business, name=FATIMA, credit_limit=Decimal("500.00"))
    box = MedicineFactory(business=business, prix_br=Decimal("28.10"))
    return complete_sale(
        storefront=storefront,
        actor_user=manager,
        lines=[(box, 1)],
        customer=customer,
        on_account=True,
    )


def test_an_audit_description_reads_in_the_readers_language_names_isolated(
    arabic_sale, manager_client
):
    entry = AuditLog.objects.get(event_type="sale.completed")
    url = f"/sales/api/audit-logs/?sale={arabic_sale.pk}"

    english = manager_client.get(url).json()["results"][0]["description"]
    french = manager_client.get(url, HTTP_ACCEPT_LANGUAGE="fr").json()["results"][0]["description"]

    assert english == entry.description
    assert french == (
        f"Vente \u2068{arabic_sale.receipt_number}\u2069 terminée : 28,10\u00a0DH pour "
        f"\u2068{FATIMA}\u2069, dont 28,10\u00a0DH à crédit"
    )


def test_the_audit_page_isolates_names_in_english_too(arabic_sale, manager_admin):
    page = manager_admin.get("/admin/audit/auditlog/").content.decode()

    assert f"<bdi>{FATIMA}</bdi>" in page


def test_the_demo_pharmacy_is_english_unless_asked(db):
    call_command("seed_demo", stdout=StringIO())
    assert Business.objects.get(name="Pharmacie Atlas").language == "en"

    call_command("seed_demo", "--language", "ar", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    assert Business.objects.get(name="Pharmacie Atlas").language == "ar"


def test_the_switcher_on_the_login_page_keeps_the_choice_in_a_cookie(client):
    response = client.post(SWITCH, {"language": "uz", "next": "/admin/login/"})

    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "uz"
    assert page_language(client.get("/admin/login/"))[0] == "uz"
    assert client.get(SWITCH).status_code == 405


def test_a_stock_adjustment_reads_in_arabic(business, storefront, manager, manager_client):
    medicine = MedicineFactory(business=business, name="Doliprane 1000")
    stock_adjust(
        medicine=medicine,
        storefront=storefront,
        quantity_delta=12,
        reason="Delivery",
        actor=Actor.for_user(manager),
    )
    url = "/sales/api/audit-logs/?event_type=medicine.stock_adjusted"

    described = manager_client.get(url, HTTP_ACCEPT_LANGUAGE="ar").json()["results"][0]

    assert described["description"].startswith("مخزون \u2068Doliprane 1000\u2069 في")
    assert "(+12، \u2068Delivery\u2069)" in described["description"]
    assert described["event_type"] == "medicine.stock_adjusted"
