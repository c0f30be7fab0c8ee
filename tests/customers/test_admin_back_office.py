"""The customers' back-office pages through the Django test client.

Dashboard, profile, "Record payment", "Adjust credit", the Debtors report and its CSV:
roles (a cashier has no admin; another business's customer is a 404), success and error
paths through the services, and a profile whose query count stays flat as history grows.
"""

import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditLog
from customers.models import Customer
from pos_project.actors import Actor
from pos_project.bidi import isolate
from pos_project.models import Role, StaffMember
from receivables.services import customer_record_payment
from staff.services import staff_add, staff_change_role, staff_remove
from tests.conftest import BackOfficeClient, client_for, messages_of
from tests.factories.customers import CustomerFactory
from tests.factories.kernel import PASSWORD
from tests.factories.sales import complete_sale

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:customers_customer_changelist")
DEBTORS = reverse("admin:customers_customer_debtors")
EXPORT = reverse("admin:customers_customer_debtors_export")


def profile_url(customer):
    return reverse("admin:customers_customer_change", args=[customer.pk])


def payment_url(customer):
    return reverse("admin:customers_customer_record_payment", args=[customer.pk])


def credit_url(customer):
    return reverse("admin:customers_customer_adjust_credit", args=[customer.pk])


def admin_client(user) -> BackOfficeClient:
    client = BackOfficeClient()
    client.force_login(user)
    return client


@pytest.fixture
def debtor(business, storefront, manager):
    """Khadija, who bought 240.00 on account against a 1,000.00 limit."""
    customer = CustomerFactory(
        business=business, name="Khadija Berrada", credit_limit=Decimal("1000.00")
    )
    from tests.factories.medicine import MedicineFactory

    medicine = MedicineFactory(business=business, prix_br=Decimal("120.00"))
    complete_sale(
        storefront=storefront,
        actor_user=manager,
        customer=customer,
        lines=[(medicine, 2)],
        on_account=True,
    )
    customer.refresh_from_db()
    return customer


# --- who gets in -------------------------------------------------------------------------


def test_staff_add_gives_managers_and_owners_the_admin_and_cashiers_not(business):
    def made(username, role):
        return staff_add(
            business=business,
            username=username,
            password=PASSWORD,
            role=role,
            actor=Actor.system("test"),
        ).user

    assert made("mona", Role.MANAGER).is_staff
    assert made("omar", Role.OWNER).is_staff
    assert not made("salma", Role.CASHIER).is_staff


def test_a_role_change_keeps_admin_access_in_step(business):
    actor = Actor.system("test")
    # The business's owner, who stays: its last owner could not leave.
    staff_add(business=business, username="omar", password=PASSWORD, role=Role.OWNER, actor=actor)
    user = staff_add(
        business=business, username="sara", password=PASSWORD, role=Role.CASHIER, actor=actor
    ).user
    staff = StaffMember.objects.get(user=user)

    staff_change_role(staff=staff, role=Role.MANAGER, actor=actor)
    user.refresh_from_db()
    assert user.is_staff

    staff_change_role(staff=staff, role=Role.CASHIER, actor=actor)
    user.refresh_from_db()
    assert not user.is_staff

    staff_change_role(staff=staff, role=Role.OWNER, actor=actor)
    staff_remove(staff=staff, actor=actor)
    user.refresh_from_db()
    assert not user.is_staff


def test_a_cashier_cannot_log_in_to_the_admin(business):
    staff_add(
        business=business,
        username="salma",
        password=PASSWORD,
        role=Role.CASHIER,
        actor=Actor.system("test"),
    )
    client = BackOfficeClient()

    response = client.post(
        reverse("admin:login"), {"username": "salma", "password": PASSWORD, "next": "/admin/"}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "The back office is for managers and owners." in page
    assert "you sell and take payments at the till" in page
    assert "correct username and password" not in page
    assert client.get(CHANGELIST).status_code == 302


def test_a_wrong_password_still_gets_the_usual_answer(business):
    staff_add(
        business=business,
        username="salma",
        password=PASSWORD,
        role=Role.CASHIER,
        actor=Actor.system("test"),
    )

    response = BackOfficeClient().post(
        reverse("admin:login"), {"username": "salma", "password": "wrong", "next": "/admin/"}
    )

    page = response.content.decode()
    assert "correct username and password" in page
    assert "for managers and owners" not in page


def test_a_cashier_with_is_staff_still_reaches_nothing(cashier, debtor):
    # Rights follow the role, not the flag: a cashier flagged staff by hand gets nowhere.
    cashier.is_staff = True
    cashier.save()
    client = admin_client(cashier)

    assert client.get(CHANGELIST).status_code == 403
    for url in [profile_url(debtor), payment_url(debtor), credit_url(debtor), DEBTORS, EXPORT]:
        assert client.get(url).status_code in (302, 403, 404), url
    response = client.post(payment_url(debtor), {"amount": "10", "method": "CASH"})
    assert response.status_code == 404
    debtor.refresh_from_db()
    assert debtor.outstanding_balance == Decimal("240.00")


def test_the_demo_owner_and_manager_can_log_in(db):
    from demo.kernel import DEMO_ACCOUNTS, seed_demo_business

    seed_demo_business()
    for username, password, role, _ in DEMO_ACCOUNTS:
        client = BackOfficeClient()
        client.post(reverse("admin:login"), {"username": username, "password": password})
        page = client.get(reverse("admin:index"))
        assert (page.status_code == 200) == (role != Role.CASHIER), username


# --- another business ----------------------------------------------------------------------


def test_another_business_customer_is_a_404_on_every_page(other_manager, debtor):
    other_manager.is_staff = True
    other_manager.save()
    client = admin_client(other_manager)

    assert client.get(payment_url(debtor)).status_code == 404
    assert client.get(credit_url(debtor)).status_code == 404
    response = client.post(payment_url(debtor), {"amount": "10", "method": "CASH"})
    assert response.status_code == 404
    # The standard change page redirects home with "doesn't exist", as for a deleted row.
    assert client.get(profile_url(debtor)).status_code == 302
    assert "Khadija" not in client.get(DEBTORS).content.decode()
    assert "Khadija Berrada" not in client.get(CHANGELIST + "?q=khadija").content.decode()
    assert "Khadija" not in client.get(EXPORT, {"format": "csv"}).content.decode()
    debtor.refresh_from_db()
    assert debtor.outstanding_balance == Decimal("240.00")


# --- dashboard and list --------------------------------------------------------------------


def test_the_dashboard_shows_the_stats_endpoints_figures(manager_admin, manager, debtor):
    stats = client_for(manager).get("/customers/api/customers/stats/").json()

    page = manager_admin.get(CHANGELIST).content.decode()

    assert f"{stats['total_customers']}" in page
    assert "240.00 DH" in page  # outstanding receivables and average purchase value
    assert stats["total_outstanding"] == "240.00"
    assert stats["average_purchase_value"] == "240.00"


def test_the_list_speaks_the_shops_words(manager_admin, debtor):
    page = manager_admin.get(CHANGELIST).content.decode()
    profile = manager_admin.get(profile_url(debtor)).content.decode()

    assert "<h1>Customers</h1>" in page
    assert "Select customer to change" not in page
    assert "By is active" not in page and "By status" in page
    assert ">Record<" not in profile and "Added and last changed" in profile


def test_phones_read_in_the_shops_national_format_and_the_api_keeps_e164(
    manager_admin, manager, debtor
):
    Customer.objects.filter(pk=debtor.pk).update(phone="+212612345678")

    page = manager_admin.get(CHANGELIST).content.decode()
    profile = manager_admin.get(profile_url(debtor)).content.decode()
    report = manager_admin.get(DEBTORS).content.decode()
    api = client_for(manager).get(f"/customers/api/customers/{debtor.pk}/").json()

    for shown in (page, report):
        assert "0612-345678" in shown.split('id="result_list"')[1]
        # Only a call link dials the number as E.164; no person reads it so.
        assert "+212612345678" not in re.sub(r'href="tel:\+\d+"', "", shown)
    assert 'value="0612-345678"' in profile
    assert api["phone"] == "+212612345678"


def test_every_page_says_once_which_time_zone_its_times_are_in(manager_admin, debtor):
    for url in (CHANGELIST, DEBTORS, profile_url(debtor), reverse("admin:index")):
        page = manager_admin.get(url).content.decode()
        assert page.count("Times in Africa/Casablanca") == 1, url


def test_the_profile_puts_balance_actions_and_history_before_the_form(manager_admin, debtor):
    page = manager_admin.get(profile_url(debtor)).content.decode()

    order = [
        page.index('id="outstanding-balance"'),
        page.index('class="profile-jump"'),
        page.index('id="purchase-history"'),
        page.index('id="payments"'),
        page.index('id="statement"'),
        page.index('id="details"'),
        page.index('name="name"'),
    ]
    assert order == sorted(order)
    assert 'target="_blank"' not in page


def test_the_list_highlights_a_balance_over_the_limit(manager_admin, business, debtor):
    Customer.objects.filter(pk=debtor.pk).update(credit_limit=Decimal("100.00"))

    page = manager_admin.get(CHANGELIST).content.decode()

    assert '<span class="over-limit" title="Over the credit limit">240.00 DH</span>' in page


@pytest.mark.parametrize(
    ("owes", "expected"),
    [("yes", ["Khadija"]), ("no", ["Nadia"]), ("over_limit", []), ("credit", [])],
)
def test_the_owes_money_filter(manager_admin, business, debtor, owes, expected):
    CustomerFactory(business=business, name="Nadia Idrissi")

    page = manager_admin.get(CHANGELIST, {"owes": owes}).content.decode()

    for name in ["Khadija", "Nadia"]:
        assert (name in page) == (name in expected)


@pytest.mark.parametrize("ordering", ["3", "-3", "4", "5", "6"])
def test_the_money_columns_sort(manager_admin, debtor, ordering):
    assert manager_admin.get(CHANGELIST, {"o": ordering}).status_code == 200


# --- the profile ---------------------------------------------------------------------------


def test_the_profile_shows_balance_history_and_statement(manager_admin, debtor):
    page = manager_admin.get(profile_url(debtor)).content.decode()

    assert '<div class="card-figure" id="outstanding-balance">240.00 DH</div>' in page
    assert '<div class="card-figure" id="available-credit">760.00 DH</div>' in page
    assert "S-000001" in page
    assert reverse("admin:sales_sale_receipt", args=[debtor.sales.get().pk]) in page
    assert "On-account part of sale S-000001" in page
    assert "Record payment" in page and "Adjust credit" in page


def test_the_profile_takes_the_same_queries_however_long_the_history(
    manager_admin, manager, storefront, debtor
):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert manager_admin.get(profile_url(debtor)).status_code == 200
        return len(captured)

    manager_admin.post(payment_url(debtor), {"amount": "10", "method": "CASH"})
    before = queries()
    for _ in range(4):
        complete_sale(storefront=storefront, actor_user=manager, customer=debtor, on_account=True)
    manager_admin.post(payment_url(debtor), {"amount": "50", "method": "CASH"})
    manager_admin.post(payment_url(debtor), {"amount": "20", "method": "CARD"})

    assert queries() == before


# --- record a payment ----------------------------------------------------------------------


def test_recording_a_payment_lowers_the_balance_and_is_audited(manager_admin, debtor):
    response = manager_admin.post(
        payment_url(debtor), {"amount": "100", "method": "CASH", "reference": "Till 1"}
    )

    assert response.status_code == 302
    assert response.url == profile_url(debtor)
    # The name is isolated, so that it cannot reorder a sentence in another script.
    name = isolate("Khadija Berrada")
    assert f"Payment of 100.00 DH recorded from {name}, who now owes 140.00 DH." in (
        messages_of(response)
    )
    debtor.refresh_from_db()
    assert debtor.outstanding_balance == Decimal("140.00")
    assert AuditLog.objects.filter(customer=debtor, event_type="customer.payment_recorded").exists()


def test_a_payment_returns_to_the_debtors_report_it_came_from(manager_admin, debtor):
    response = manager_admin.post(
        payment_url(debtor), {"amount": "10", "method": "CASH", "next": DEBTORS + "?page=1"}
    )

    assert response.url == DEBTORS + "?page=1"


def test_a_payment_never_redirects_off_site(manager_admin, debtor):
    response = manager_admin.post(
        payment_url(debtor), {"amount": "10", "method": "CASH", "next": "https://evil.example/"}
    )

    assert response.url == profile_url(debtor)


def test_an_overpayment_is_refused_on_the_form(manager_admin, debtor):
    response = manager_admin.post(payment_url(debtor), {"amount": "500", "method": "CASH"})

    assert response.status_code == 200
    page = response.content.decode()
    words = (
        "The customer owes 240.00 DH. Record at most that, or tick &quot;Keep any amount above "
        "the debt as credit for the customer&quot; to keep the extra as credit for them."
    )
    assert page.count(words) == 1, "said once, in the words of the form's checkbox"
    assert "allow_overpayment" not in page.split('id="content-main"')[1].replace(
        'name="allow_overpayment"', ""
    ).replace('id="id_allow_overpayment"', "").replace('for="id_allow_overpayment"', "")
    assert messages_of(response) == []
    debtor.refresh_from_db()
    assert debtor.outstanding_balance == Decimal("240.00")


def test_an_overpayment_allowed_is_held_as_credit(manager_admin, debtor):
    manager_admin.post(
        payment_url(debtor), {"amount": "300", "method": "CASH", "allow_overpayment": "on"}
    )

    debtor.refresh_from_db()
    assert debtor.outstanding_balance == Decimal("-60.00")


def test_an_overpayment_allowed_says_the_credit_held_in_words(manager_admin, debtor):
    response = manager_admin.post(
        payment_url(debtor), {"amount": "278.50", "method": "CASH", "allow_overpayment": "on"}
    )

    name = isolate("Khadija Berrada")
    assert messages_of(response) == [
        f"Payment of 278.50 DH recorded from {name}, who now holds 38.50 DH of credit."
    ]


@pytest.mark.parametrize(
    "data",
    [
        {"amount": "", "method": "CASH"},
        {"amount": "abc", "method": "CASH"},
        {"amount": "-5", "method": "CASH"},
        {"amount": "0", "method": "CASH"},
        {"amount": "1.234", "method": "CASH"},
        {"amount": "1e30", "method": "CASH"},
        {"amount": "NaN", "method": "CASH"},
        {"amount": "10", "method": "ON_ACCOUNT"},
        {"amount": "10", "method": "CASH", "reference": "x" * 101},
    ],
)
def test_bad_payment_input_is_a_form_error(manager_admin, debtor, data):
    response = manager_admin.post(payment_url(debtor), data)

    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    debtor.refresh_from_db()
    assert debtor.outstanding_balance == Decimal("240.00")


# --- adjust credit -------------------------------------------------------------------------


def test_a_manager_gives_credit_with_a_reason(manager_admin, debtor):
    response = manager_admin.post(
        credit_url(debtor), {"type": "add", "amount": "40", "reason": "Damaged box"}
    )

    assert response.status_code == 302
    assert any("40.00 DH of credit given to" in text for text in messages_of(response))
    debtor.refresh_from_db()
    assert debtor.outstanding_balance == Decimal("200.00")
    entry = AuditLog.objects.get(customer=debtor, event_type="customer.credit_adjusted")
    assert entry.event_data["reason"] == "Damaged box"


def test_taking_back_more_credit_than_held_is_refused(manager_admin, debtor):
    response = manager_admin.post(
        credit_url(debtor), {"type": "deduct", "amount": "10", "reason": "Correction"}
    )

    assert response.status_code == 200
    assert "The customer holds 0.00 DH of credit; at most that can be taken back." in (
        response.content.decode()
    )
    debtor.refresh_from_db()
    assert debtor.outstanding_balance == Decimal("240.00")


@pytest.mark.parametrize(
    "data",
    [
        {"type": "add", "amount": "10", "reason": ""},
        {"type": "add", "amount": "10", "reason": "   "},
        {"type": "steal", "amount": "10", "reason": "x"},
        {"type": "add", "amount": "-1", "reason": "x"},
    ],
)
def test_bad_credit_input_is_a_form_error(manager_admin, debtor, data):
    response = manager_admin.post(credit_url(debtor), data)

    assert response.status_code == 200
    debtor.refresh_from_db()
    assert debtor.outstanding_balance == Decimal("240.00")


def test_a_superuser_adjusts_credit_as_a_manager_would(debtor):
    # Superusers administer the platform: they carry manager rights, like server commands.
    root = get_user_model().objects.create_superuser("root", "root@example.com", "pw")
    client = admin_client(root)

    assert "Adjust credit" in client.get(profile_url(debtor)).content.decode()
    response = client.post(credit_url(debtor), {"type": "add", "amount": "5", "reason": "x"})

    assert response.status_code == 302
    debtor.refresh_from_db()
    assert debtor.outstanding_balance == Decimal("235.00")


# --- deleting ------------------------------------------------------------------------------


def test_the_delete_page_says_a_debtor_cannot_be_removed(manager_admin, debtor):
    url = reverse("admin:customers_customer_delete", args=[debtor.pk])

    page = manager_admin.get(url).content.decode()
    assert "owes 240.00 DH" in page
    assert "cannot be removed" in page
    # Refused before the click: no confirmation button, a way forward instead.
    assert 'name="post"' not in page
    assert payment_url(debtor) in page
    response = manager_admin.post(url, {"post": "yes"})

    assert response.status_code == 302, response.content
    assert any("still owes 240.00 DH" in text for text in messages_of(response))
    assert Customer.objects.filter(pk=debtor.pk, is_active=True).exists()


def test_bulk_delete_is_not_offered(manager_admin, debtor):
    assert "delete_selected" not in manager_admin.get(CHANGELIST).content.decode()


# --- the debtors report --------------------------------------------------------------------


def test_the_debtors_report_lists_totals_buckets_and_a_chart(manager_admin, business, debtor):
    CustomerFactory(business=business, name="Nadia Idrissi")

    page = manager_admin.get(DEBTORS).content.decode()

    assert "Khadija Berrada" in page and "Nadia Idrissi" not in page
    assert '<div class="card-figure" id="debtors-total">240.00 DH</div>' in page
    assert page.count("<rect ") == 4
    assert "<script" not in page.split('<div id="content-main">')[1]
    assert payment_url(debtor) in page


@pytest.fixture
def in_credit(business, manager):
    """Omar, who paid 38.50 in advance: the shop holds it as credit for him."""
    customer = CustomerFactory(business=business, name="Omar Tazi")
    customer_record_payment(
        customer=customer,
        amount=Decimal("38.50"),
        method="CASH",
        allow_overpayment=True,
        actor=Actor.for_user(manager),
    )
    customer.refresh_from_db()
    return customer


def test_one_truth_for_owed_credit_held_and_net(manager_admin, manager, debtor, in_credit):
    api = client_for(manager)
    stats = api.get("/customers/api/customers/stats/").json()
    totals = api.get("/customers/api/debtors/").json()["totals"]
    dashboard = manager_admin.get(CHANGELIST).content.decode()
    report = manager_admin.get(DEBTORS).content.decode()

    assert (stats["total_outstanding"], stats["total_credit_held"], stats["net_receivables"]) == (
        "240.00",
        "38.50",
        "201.50",
    )
    assert (totals["owed"], totals["credit_held"], totals["amount_owed"]) == (
        "240.00",
        "38.50",
        "201.50",
    )
    # The owed figure is the sum of the age columns.
    ages = ["owed_0_30", "owed_31_60", "owed_61_90", "owed_over_90"]
    assert sum(Decimal(totals[name]) for name in ages) == Decimal(totals["owed"])
    for page in (dashboard, report):
        for words, figure in [
            ("Owed to the shop", "240.00 DH"),
            ("Credit held for customers", "38.50 DH"),
            ("Net receivables", "201.50 DH"),
        ]:
            card = page.split(f'<div class="card-label">{words}</div>')[1]
            assert card.split("</div>")[0].endswith(figure), (words, page)
    assert "Outstanding receivables" not in dashboard


def test_credit_held_never_reads_as_a_negative_debt(manager_admin, in_credit):
    listing = manager_admin.get(CHANGELIST).content.decode()
    profile = manager_admin.get(profile_url(in_credit)).content.decode()

    rows = listing.split('id="result_list"')[1]
    assert "-38.50" not in rows and "-38.50" not in profile.split('id="statement"')[0]
    assert '<span class="credit-tag">In credit</span> 38.50 DH' in listing
    assert '<div class="card-label">Credit held</div>' in profile
    assert '<div class="card-figure" id="outstanding-balance">38.50 DH</div>' in profile


def test_a_customer_in_credit_is_marked_and_offered_no_payment(manager_admin, debtor, in_credit):
    page = manager_admin.get(DEBTORS).content.decode()

    row = page.split("Omar Tazi</a>")[1].split("</tr>")[0]
    assert "In credit" in row and "holds 38.50 DH" in row
    assert "Record payment" not in row
    assert payment_url(in_credit) not in page
    assert payment_url(debtor) in page


def test_the_debtors_report_filters_by_name_phone_and_bucket(manager_admin, debtor):
    assert "Khadija" in manager_admin.get(DEBTORS, {"search": "khadija"}).content.decode()
    assert "Khadija" not in manager_admin.get(DEBTORS, {"search": "zzz"}).content.decode()
    over_90 = manager_admin.get(DEBTORS, {"bucket": "owed_over_90"}).content.decode()
    assert "Khadija" not in over_90
    assert manager_admin.get(DEBTORS, {"bucket": "nonsense", "page": "x"}).status_code == 200


def test_the_csv_export_is_the_apis_csv(manager_admin, manager, debtor):
    exported = manager_admin.get(EXPORT, {"format": "csv"})
    api = client_for(manager).get("/customers/api/debtors/?format=csv")

    assert exported.status_code == 200
    assert exported["Content-Type"].startswith("text/csv")
    assert "attachment" in exported["Content-Disposition"]
    assert exported.content == api.content
    assert b"Khadija Berrada" in exported.content


def test_a_superuser_picks_the_business_of_the_report(business, other_business, debtor):
    root = get_user_model().objects.create_superuser("root", "root@example.com", "pw")
    client = admin_client(root)

    assert "Pharmacie Rival" in client.get(DEBTORS).content.decode()
    page = client.get(DEBTORS, {"business": str(business.pk)}).content.decode()
    assert "Khadija Berrada" in page
    assert client.get(DEBTORS, {"business": "not-a-uuid"}).status_code == 200


# --- the customers list as a spreadsheet ---------------------------------------------------


def test_the_customers_list_exports_as_a_spreadsheet(manager_admin, business, debtor):
    import csv
    import io

    CustomerFactory(business=business, name="Chaïmae Alami", phone="+212661000111")
    CustomerFactory(business=business, name="=HYPERLINK(1)")
    CustomerFactory(business=business, name="Gone Away", is_active=False)
    export = reverse("admin:customers_customer_export")

    assert export in manager_admin.get(CHANGELIST).content.decode()
    response = manager_admin.get(export)
    filtered = manager_admin.get(export, {"owes": "yes"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    header = list(rows[0])
    assert (header[0], header[-1]) == ("Customer", "Customer id")
    by_name = {row["Customer"]: row for row in rows}
    # Accents survive, and a name a spreadsheet would run as a formula is kept as text.
    assert set(by_name) == {
        "Khadija Berrada",
        "Chaïmae Alami",
        "'=HYPERLINK(1)",
        "Gone Away",
        "Total (4 customers)",
    }
    khadija = by_name["Khadija Berrada"]
    assert (khadija["Currency"], khadija["Balance (negative: credit held)"]) == ("MAD", "240.00")
    assert khadija["Sales"] == "1" and khadija["Last purchase"]
    assert by_name["Chaïmae Alami"]["Phone"] == "0661-000111"
    owing = list(csv.DictReader(io.StringIO(filtered.content.decode("utf-8-sig"))))
    assert [row["Customer"] for row in owing] == ["Khadija Berrada", "Total (1 customer)"]
    assert owing[-1]["Balance (negative: credit held)"] == "240.00"


@pytest.mark.parametrize(
    "query",
    [{"is_active": "zzz"}, {"name__nonsense": "x"}, {"created_at__gte": "9999-99-99"}],
)
def test_an_export_filter_the_list_cannot_read_goes_back_to_the_list(manager_admin, query):
    response = manager_admin.get(reverse("admin:customers_customer_export"), query)

    assert response.status_code == 302
    assert response["Location"] == f"{CHANGELIST}?e=1"
    assert manager_admin.get(response["Location"]).status_code == 200


def test_the_export_is_named_after_the_shops_day(manager_admin, business):
    # A zone whose day differs from UTC's now: 14 hours ahead late in the UTC day, 11
    # behind early in it.
    business.time_zone = "Pacific/Kiritimati" if timezone.now().hour >= 10 else "Pacific/Niue"
    business.save(update_fields=["time_zone"])
    shop_day = timezone.localdate(timezone=business.zone)
    assert shop_day != timezone.now().date()

    response = manager_admin.get(reverse("admin:customers_customer_export"))

    assert response["Content-Disposition"] == f'attachment; filename="customers-{shop_day}.csv"'


def test_another_business_exports_none_of_these_customers(other_manager, debtor):
    client = admin_client(other_manager)
    other_manager.is_staff = True
    other_manager.save()

    response = client.get(reverse("admin:customers_customer_export"))

    assert b"Khadija" not in response.content
