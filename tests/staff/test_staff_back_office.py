"""The staff pages of the back office through the Django test client.

The owner manages everyone of their business, a manager the cashiers only, a cashier has
no back office; adding, a role, a new password, leaving and coming back are each audited,
and every refusal is a message on the page. The list says who holds which open till.
"""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token

from audit.events import AuditEvent
from audit.models import AuditLog
from pos_project.actors import Actor
from pos_project.models import Role, StaffMember
from sales.services.tills import till_session_open
from staff.services import staff_change_role
from tests.concurrency import race
from tests.conftest import BackOfficeClient, admin_client_for, messages_of, requires_postgres
from tests.factories.kernel import PASSWORD, StaffMemberFactory
from tests.factories.tills import TillFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:pos_project_staffmember_changelist")
ADD = reverse("admin:pos_project_staffmember_add")
NEW_PASSWORD = "amber-lantern-quietly-9"


def change_url(user):
    return reverse("admin:pos_project_staffmember_change", args=[user.staff_member.pk])


def password_url(user):
    return reverse("admin:pos_project_staffmember_password", args=[user.staff_member.pk])


def can_log_in(username: str, password: str) -> bool:
    user = get_user_model().objects.get(username=username)
    return user.is_active and user.check_password(password)


def audited(business, event) -> list[AuditLog]:
    return list(AuditLog.objects.filter(business=business, event_type=event))


@pytest.fixture
def owner_admin(owner):
    return admin_client_for(owner)


def test_owner_sees_their_business_staff_only(owner_admin, owner, manager, cashier, other_manager):
    page = owner_admin.get(CHANGELIST)

    assert page.status_code == 200
    listed = {staff.user.username for staff in page.context["cl"].result_list}
    assert listed == {owner.username, manager.username, cashier.username}


def test_a_manager_sees_the_staff_list(manager_admin, cashier):
    page = manager_admin.get(CHANGELIST)

    assert page.status_code == 200
    assert cashier.username in page.content.decode()


def test_a_cashier_has_no_back_office(cashier):
    client = BackOfficeClient()
    client.force_login(cashier)
    assert client.get(CHANGELIST).status_code == 302

    # Even a cashier's login marked is_staff by mistake reaches nothing.
    assert admin_client_for(cashier).get(CHANGELIST).status_code == 403


def test_another_business_staff_member_is_out_of_reach(owner_admin, other_manager):
    assert owner_admin.get(change_url(other_manager)).status_code == 302

    owner_admin.post(change_url(other_manager), {"role": "CASHIER"})

    other_manager.staff_member.refresh_from_db()
    assert other_manager.staff_member.role == Role.MANAGER


def test_owner_adds_a_manager_who_can_log_in(owner_admin, business):
    response = owner_admin.post(
        ADD,
        {
            "username": "sara",
            "full_name": "Sara Alaoui",
            "password": NEW_PASSWORD,
            "role": "MANAGER",
        },
    )

    assert response.status_code == 302
    sara = StaffMember.objects.get(user__username="sara")
    assert (sara.business, sara.role, sara.user.first_name) == (business, Role.MANAGER, "Sara")
    assert sara.user.is_staff
    assert can_log_in("sara", NEW_PASSWORD)
    (entry,) = audited(business, AuditEvent.STAFF_ADDED)
    assert entry.event_data == {"username": "sara", "role": "MANAGER"}


def test_a_manager_adds_a_cashier(manager_admin, business):
    response = manager_admin.post(
        ADD, {"username": "omar", "full_name": "Omar", "password": NEW_PASSWORD, "role": "CASHIER"}
    )

    assert response.status_code == 302
    assert StaffMember.objects.get(user__username="omar").role == Role.CASHIER
    assert len(audited(business, AuditEvent.STAFF_ADDED)) == 1


def test_a_manager_cannot_add_a_manager(manager_admin, business):
    page = manager_admin.post(
        ADD, {"username": "omar", "full_name": "Omar", "password": NEW_PASSWORD, "role": "MANAGER"}
    )

    assert page.status_code == 200
    assert "role" in page.context["adminform"].form.errors
    assert not StaffMember.objects.filter(user__username="omar").exists()
    assert audited(business, AuditEvent.STAFF_ADDED) == []


def test_a_weak_password_is_refused_on_the_page(owner_admin, business):
    page = owner_admin.post(
        ADD,
        {"username": "omar", "full_name": "", "password": "123", "role": "CASHIER"},
        follow=True,
    )

    assert page.status_code == 200
    # Django's own validators say why, in the reader's language.
    assert any("This password is too short" in message for message in messages_of(page))
    assert not StaffMember.objects.filter(user__username="omar").exists()


def test_owner_makes_a_cashier_a_manager(owner_admin, business, cashier):
    response = owner_admin.post(change_url(cashier), {"role": "MANAGER"})

    assert response.status_code == 302
    cashier.refresh_from_db()
    assert cashier.staff_member.role == Role.MANAGER
    assert cashier.is_staff
    (entry,) = audited(business, AuditEvent.STAFF_ROLE_CHANGED)
    assert entry.event_data["changes"] == {"role": {"old": "CASHIER", "new": "MANAGER"}}


def test_the_last_owner_is_not_demoted(owner_admin, business, owner):
    page = owner_admin.post(change_url(owner), {"role": "MANAGER"}, follow=True)

    assert page.status_code == 200
    assert any("only owner" in message for message in messages_of(page))
    owner.staff_member.refresh_from_db()
    assert owner.staff_member.role == Role.OWNER
    assert audited(business, AuditEvent.STAFF_ROLE_CHANGED) == []


def test_an_owner_steps_down_when_another_owner_remains(owner_admin, business, owner):
    StaffMemberFactory(business=business, role=Role.OWNER)

    owner_admin.post(change_url(owner), {"role": "MANAGER"})

    owner.staff_member.refresh_from_db()
    assert owner.staff_member.role == Role.MANAGER


def test_a_manager_sees_but_cannot_change_a_manager(manager_admin, business, manager):
    colleague = StaffMemberFactory(business=business, role=Role.MANAGER).user

    page = manager_admin.get(change_url(colleague))

    assert page.status_code == 200
    assert not page.context["has_change_permission"]


def test_owner_resets_a_password_audited_without_it(owner_admin, business, cashier):
    response = owner_admin.post(
        password_url(cashier), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    assert response.status_code == 302
    assert can_log_in(cashier.username, NEW_PASSWORD)
    assert not can_log_in(cashier.username, PASSWORD)
    (entry,) = audited(business, AuditEvent.STAFF_PASSWORD_RESET)
    assert entry.event_data == {"username": cashier.username}
    assert NEW_PASSWORD not in entry.description


def test_two_different_passwords_are_refused(owner_admin, cashier):
    page = owner_admin.post(password_url(cashier), {"password1": NEW_PASSWORD, "password2": "x"})

    assert page.status_code == 200
    assert "differ" in page.content.decode()
    assert can_log_in(cashier.username, PASSWORD)


def test_a_manager_cannot_reset_the_owners_password(manager_admin, business, owner):
    page = manager_admin.post(
        password_url(owner), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    assert page.status_code == 200
    assert any("cashiers only" in message for message in messages_of(page))
    assert can_log_in(owner.username, PASSWORD)
    assert audited(business, AuditEvent.STAFF_PASSWORD_RESET) == []


def test_deactivating_someone_who_left_stops_their_log_in(manager_admin, business, cashier):
    Token.objects.create(user=cashier)

    manager_admin.post(
        CHANGELIST,
        {"action": "deactivate_selected", "_selected_action": [cashier.staff_member.pk]},
    )

    cashier.refresh_from_db()
    assert not cashier.is_active
    assert not Token.objects.filter(user=cashier).exists()
    assert not can_log_in(cashier.username, PASSWORD)
    (entry,) = audited(business, AuditEvent.STAFF_DEACTIVATED)
    assert entry.event_data == {"username": cashier.username, "role": "CASHIER"}

    manager_admin.post(
        CHANGELIST,
        {"action": "reactivate_selected", "_selected_action": [cashier.staff_member.pk]},
    )

    cashier.refresh_from_db()
    assert cashier.is_active
    assert len(audited(business, AuditEvent.STAFF_REACTIVATED)) == 1


def test_a_manager_cannot_deactivate_the_owner(manager_admin, business, owner):
    page = manager_admin.post(
        CHANGELIST,
        {"action": "deactivate_selected", "_selected_action": [owner.staff_member.pk]},
        follow=True,
    )

    assert page.status_code == 200
    assert any("cashiers only" in message for message in messages_of(page))
    owner.refresh_from_db()
    assert owner.is_active
    assert audited(business, AuditEvent.STAFF_DEACTIVATED) == []


def test_nobody_deactivates_themselves(owner_admin, owner):
    page = owner_admin.post(
        CHANGELIST,
        {"action": "deactivate_selected", "_selected_action": [owner.staff_member.pk]},
        follow=True,
    )

    assert any("your own log-in" in message for message in messages_of(page))
    owner.refresh_from_db()
    assert owner.is_active


def test_the_list_shows_who_holds_which_open_till(owner_admin, storefront, cashier, manager):
    till = TillFactory(storefront=storefront, name="Front counter")
    till_session_open(till=till, opening_float="100.00", actor=Actor.for_user(cashier))

    page = owner_admin.get(CHANGELIST)

    rows = {staff.user: staff.open_till_name for staff in page.context["cl"].result_list}
    assert rows[cashier] == "Front counter"
    assert rows[manager] is None
    assert "Front counter" in page.content.decode()


def test_the_home_page_leads_the_owner_and_a_manager_to_the_staff(owner_admin, manager_admin):
    assert CHANGELIST in owner_admin.get(reverse("admin:index")).content.decode()
    assert CHANGELIST in manager_admin.get(reverse("admin:index")).content.decode()


def test_the_list_reads_in_the_same_queries_however_many_staff(
    owner_admin, business, storefront, cashier
):
    def queries_for_list() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert owner_admin.get(CHANGELIST).status_code == 200
        return len(queries)

    few = queries_for_list()
    for number in range(4):
        colleague = StaffMemberFactory(business=business, role=Role.CASHIER).user
        till = TillFactory(storefront=storefront, name=f"Counter {number}")
        till_session_open(till=till, opening_float="50.00", actor=Actor.for_user(colleague))

    assert queries_for_list() == few


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_two_owners_stepping_down_at_once_leave_one_owner(business):
    first, second = (StaffMemberFactory(business=business, role=Role.OWNER) for _ in range(2))

    outcomes = race(
        [
            lambda: staff_change_role(
                staff=first, role=Role.MANAGER, actor=Actor.for_user(first.user)
            ),
            lambda: staff_change_role(
                staff=second, role=Role.MANAGER, actor=Actor.for_user(second.user)
            ),
        ]
    )

    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"]
    assert ("refused", "last_owner") in outcomes
    assert StaffMember.objects.filter(business=business, role=Role.OWNER).count() == 1
    assert len(audited(business, AuditEvent.STAFF_ROLE_CHANGED)) == 1
