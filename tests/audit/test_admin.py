"""The admin: the trail is read-only even for a superuser; kernel edits there are audited."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from audit.models import AuditLog
from pos_project.models import Role, StaffMember, Storefront
from tests.audit.entries import record
from tests.contracts import assert_audited
from tests.factories.customers import CustomerFactory
from tests.factories.kernel import StaffMemberFactory, StorefrontFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser(
        "root", "root@example.com", "pw", first_name="Rita", last_name="Root"
    )


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def url(name, *args):
    return reverse(f"admin:{name}", args=args)


# --- the trail itself -------------------------------------------------------------------


def test_nobody_may_add_an_entry(admin_client, business):
    assert admin_client.get(url("audit_auditlog_add")).status_code == 403
    response = admin_client.post(url("audit_auditlog_add"), {"description": "Forged"})
    assert response.status_code == 403
    assert not AuditLog.objects.exists()


def test_nobody_may_change_an_entry(admin_client, business):
    entry = record(business)
    page = admin_client.get(url("audit_auditlog_change", entry.pk))
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    response = admin_client.post(
        url("audit_auditlog_change", entry.pk), {"description": "Nothing happened"}
    )
    assert response.status_code == 403
    assert AuditLog.objects.get(pk=entry.pk).description == "Test event"


def test_nobody_may_delete_an_entry(admin_client, business):
    entry = record(business)
    assert admin_client.get(url("audit_auditlog_delete", entry.pk)).status_code == 403
    response = admin_client.post(url("audit_auditlog_delete", entry.pk), {"post": "yes"})
    assert response.status_code == 403
    assert AuditLog.objects.filter(pk=entry.pk).exists()


def test_no_bulk_action_can_delete_entries(admin_client, business):
    entry = record(business)
    changelist = admin_client.get(url("audit_auditlog_changelist"))
    # no action at all is offered, so there is no action form
    assert changelist.context["action_form"] is None
    admin_client.post(
        url("audit_auditlog_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert AuditLog.objects.filter(pk=entry.pk).exists()


def test_the_list_searches_filters_and_survives_deleted_references(admin_client, business, manager):
    # given an entry about a customer who has since been deleted
    customer = CustomerFactory(business=business, name="Fred Amugi")
    gone = record(business, customer=customer, description="Fred's credit raised")
    customer_id = customer.id
    type(customer).objects.filter(pk=customer_id).delete()
    record(business, event_type="sale.completed", description="Sale S-000001 completed")
    # when the list is searched and filtered
    found = admin_client.get(url("audit_auditlog_changelist"), {"q": "credit"})
    by_type = admin_client.get(url("audit_auditlog_changelist"), {"event_type": "sale.completed"})
    detail = admin_client.get(url("audit_auditlog_change", gone.pk))
    # then each shows what it should, and the deleted customer by its id
    assert [entry.pk for entry in found.context["cl"].result_list] == [gone.pk]
    assert f"{customer_id} (deleted)" in found.content.decode()
    assert [entry.event_type for entry in by_type.context["cl"].result_list] == ["sale.completed"]
    assert detail.status_code == 200
    assert f"{customer_id} (deleted)" in detail.content.decode()


def test_the_list_filters_by_user(admin_client, business, manager, cashier):
    from pos_project.actors import Actor

    mine = record(business, actor=Actor.for_user(cashier))
    record(business, actor=Actor.for_user(manager))
    response = admin_client.get(url("audit_auditlog_changelist"), {"user__id__exact": cashier.id})
    assert response.status_code == 200
    assert [entry.pk for entry in response.context["cl"].result_list] == [mine.pk]


# --- kernel changes made in the admin are audited -------------------------------------


def test_editing_a_business_is_audited(admin_client, business, superuser):
    response = admin_client.post(
        url("pos_project_business_change", business.pk),
        {
            "name": "Pharmacie Atlas Centre",
            "currency_code": "MAD",
            "default_region": "MA",
            "time_zone": "Africa/Casablanca",
            "language": "en",
            "storefronts-TOTAL_FORMS": "0",
            "storefronts-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    entry = assert_audited("business.updated", business=business)
    assert entry.event_data == {
        "changes": {"name": {"old": "Pharmacie Atlas", "new": "Pharmacie Atlas Centre"}}
    }
    assert (entry.user_id, entry.user_name, entry.ip_address) == (
        superuser.id,
        "Rita Root",
        "127.0.0.1",
    )


def test_businesses_are_neither_added_nor_deleted_in_the_admin(admin_client, business):
    assert admin_client.get(url("pos_project_business_add")).status_code == 403
    assert admin_client.get(url("pos_project_business_delete", business.pk)).status_code == 403


def test_adding_a_storefront_is_audited(admin_client, business):
    response = admin_client.post(
        url("pos_project_storefront_add"),
        {"business": business.pk, "name": "Maarif", "address": "12 rue Ibnou Mounir"},
    )
    assert response.status_code == 302, response.content[:2000]
    storefront = Storefront.objects.get(business=business, name="Maarif")
    assert storefront.is_active
    entry = assert_audited("storefront.created", business=business)
    assert entry.event_data["storefront_id"] == str(storefront.id)


def test_editing_a_storefront_is_audited(admin_client, business, storefront):
    response = admin_client.post(
        url("pos_project_storefront_change", storefront.pk),
        {"name": "Main", "address": "1 place Mohammed V"},
    )
    assert response.status_code == 302, response.content[:2000]
    entry = assert_audited("storefront.updated", business=business)
    assert entry.event_data["changes"] == {
        "address": {"old": "", "new": "1 place Mohammed V"},
        "is_active": {"old": True, "new": False},
    }


def test_deleting_a_storefront_is_audited(admin_client, business):
    storefront = StorefrontFactory(business=business, name="Closed")
    response = admin_client.post(
        url("pos_project_storefront_delete", storefront.pk), {"post": "yes"}
    )
    assert response.status_code == 302, response.content[:2000]
    assert not Storefront.objects.filter(pk=storefront.pk).exists()
    assert assert_audited("storefront.deleted", business=business).event_data["name"] == "Closed"


def test_adding_staff_is_audited(admin_client, business):
    response = admin_client.post(
        url("pos_project_staffmember_add"),
        {
            "business": business.pk,
            "username": "samira",
            "full_name": "Samira Tazi",
            "password": "amber-lantern-quietly-9",
            "role": Role.CASHIER,
        },
    )
    assert response.status_code == 302, response.content[:2000]
    assert StaffMember.objects.get(user__username="samira").business == business
    entry = assert_audited("staff.added", business=business)
    assert entry.event_data == {"username": "samira", "role": "CASHIER"}


def test_changing_a_role_is_audited(admin_client, business, cashier):
    staff = cashier.staff_member
    response = admin_client.post(
        url("pos_project_staffmember_change", staff.pk), {"role": Role.MANAGER}
    )
    assert response.status_code == 302, response.content[:2000]
    staff.refresh_from_db()
    assert staff.role == Role.MANAGER
    entry = assert_audited("staff.role_changed", business=business)
    assert entry.event_data == {
        "username": cashier.username,
        "changes": {"role": {"old": "CASHIER", "new": "MANAGER"}},
    }


def test_saving_without_changes_records_nothing(admin_client, business, cashier):
    staff = cashier.staff_member
    admin_client.post(url("pos_project_staffmember_change", staff.pk), {"role": Role.CASHIER})
    assert not AuditLog.objects.exists()


def test_removing_staff_is_audited_one_by_one_and_in_bulk(admin_client, business):
    first, second, third = (StaffMemberFactory(business=business) for _ in range(3))
    admin_client.post(url("pos_project_staffmember_delete", first.pk), {"post": "yes"})
    admin_client.post(
        url("pos_project_staffmember_changelist"),
        {"action": "delete_selected", "_selected_action": [second.pk, third.pk], "post": "yes"},
    )
    assert not StaffMember.objects.filter(business=business).exists()
    removed = AuditLog.objects.filter(business=business, event_type="staff.removed")
    assert sorted(entry.event_data["username"] for entry in removed) == sorted(
        staff.user.username for staff in (first, second, third)
    )


# --- the list a manager reads ------------------------------------------------------------


def test_the_list_reads_in_the_shops_words(business, storefront, manager):
    from decimal import Decimal

    from medicine.services import medicine_update
    from pos_project.actors import Actor
    from receivables.services import customer_record_payment
    from tests.conftest import admin_client_for
    from tests.factories.medicine import MedicineFactory

    actor = Actor.for_user(manager)
    customer = CustomerFactory(business=business, name="Khadija Berrada")
    customer_record_payment(
        customer=customer,
        amount=Decimal("38.50"),
        method="CASH",
        note="Brought by her son",
        allow_overpayment=True,
        actor=actor,
    )
    medicine = MedicineFactory(business=business, name="Doliprane 1000", wholesale_price=None)
    medicine_update(medicine=medicine, actor=actor, data={"prix_br": Decimal("14.00")})
    client = admin_client_for(manager)

    page = client.get(url("audit_auditlog_changelist")).content.decode()
    found = client.get(url("audit_auditlog_changelist"), {"q": "her son"})

    assert "Payment received" in page and "Price changed" in page
    table = page.split('id="result_list"')[1].split("</table>")[0]
    assert ">customer.payment_recorded<" not in table, "the code only as a tooltip"
    assert "38.50 DH" in page
    assert "<bdi>Doliprane 1000</bdi>: price from" in page and "None" not in page
    assert [entry.event_type for entry in found.context["cl"].result_list] == [
        "customer.payment_recorded"
    ]
    filters = page.split('id="changelist-filter"')[1]
    assert manager.get_full_name() in filters, "who did it, by name"
    entry = AuditLog.objects.get(event_type="medicine.price_changed")
    detail = client.get(url("audit_auditlog_change", entry.pk)).content.decode()
    assert "Price changed, " in detail


def test_the_staff_list_names_people_by_their_full_name(admin_client, business):
    user = UserFactory(username="ytazi", first_name="Youssef", last_name="Tazi")
    StaffMemberFactory(business=business, user=user, role=Role.MANAGER)

    page = admin_client.get(url("pos_project_staffmember_changelist")).content.decode()

    assert "Youssef Tazi" in page
    assert "<h1>Staff members</h1>" in page
