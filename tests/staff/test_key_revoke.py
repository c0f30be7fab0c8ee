"""A lost or stolen till: a manager logs its cashier out of every till, through the API
(`DELETE /api/auth/token/?username=`) or the back office's staff list. The key stops working
at once, the person stays on staff, and the business's audit trail says who did it."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from audit.events import AuditEvent
from audit.models import AuditLog
from pos_project.models import Role
from tests.conftest import admin_client_for, client_for, messages_of
from tests.contracts import assert_error
from tests.factories.kernel import StaffMemberFactory

pytestmark = pytest.mark.django_db

TOKEN = "/api/auth/token/"
CHANGELIST = reverse("admin:pos_project_staffmember_changelist")


def _key(user) -> str:
    client_for(user)
    return user.auth_token.key


def _till(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def _revoked(business) -> list[AuditLog]:
    return list(AuditLog.objects.filter(business=business, event_type=AuditEvent.STAFF_KEY_REVOKED))


def test_a_manager_revokes_a_lost_tills_key_audited(business, manager, cashier):
    till = _till(_key(cashier))
    manager_client = _till(_key(manager))
    assert till.get("/api/me/").status_code == 200

    revoked = manager_client.delete(f"{TOKEN}?username={cashier.username}")

    assert revoked.status_code == 204
    assert_error(till.get("/api/me/"), 401)
    assert manager_client.get("/api/me/").status_code == 200
    cashier.refresh_from_db()
    assert cashier.is_active and cashier.staff_member.role == Role.CASHIER
    (entry,) = _revoked(business)
    assert entry.user_id == manager.pk
    assert entry.event_data == {"username": cashier.username}
    assert entry.description == f"{cashier.username} logged out of every till (key revoked)"


def test_revoking_a_key_nobody_holds_changes_nothing(business, manager, cashier):
    Token.objects.filter(user=cashier).delete()

    response = _till(_key(manager)).delete(f"{TOKEN}?username={cashier.username}")

    assert response.status_code == 204
    assert _revoked(business) == []


def test_another_business_staff_is_a_404(business, cashier, other_manager):
    key = _key(cashier)

    assert_error(_till(_key(other_manager)).delete(f"{TOKEN}?username={cashier.username}"), 404)
    assert Token.objects.filter(key=key).exists()


def test_a_cashier_may_not_revoke_anothers_key(business, cashier, manager):
    manager_key = _key(manager)

    body = assert_error(_till(_key(cashier)).delete(f"{TOKEN}?username={manager.username}"), 403)

    assert body["code"] == "manager_required"
    assert Token.objects.filter(key=manager_key).exists()
    assert _revoked(business) == []


def test_a_manager_revokes_cashiers_keys_only_the_owner_anyones(business, owner, manager):
    colleague = StaffMemberFactory(business=business, role=Role.MANAGER).user
    colleague_key = _key(colleague)

    refused = _till(_key(manager)).delete(f"{TOKEN}?username={colleague.username}")

    assert assert_error(refused, 403)["code"] == "owner_required"
    assert Token.objects.filter(key=colleague_key).exists()

    done = _till(_key(owner)).delete(f"{TOKEN}?username={colleague.username}")

    assert done.status_code == 204
    assert not Token.objects.filter(user=colleague).exists()
    assert len(_revoked(business)) == 1


def test_the_back_office_logs_the_selected_staff_out(business, manager, cashier, owner):
    cashier_key, owner_key = _key(cashier), _key(owner)

    page = admin_client_for(manager).post(
        CHANGELIST,
        {
            "action": "revoke_keys_selected",
            "_selected_action": [cashier.staff_member.pk, owner.staff_member.pk],
        },
        follow=True,
    )

    assert page.status_code == 200
    shown = messages_of(page)
    assert any("logged out of every till" in message for message in shown)
    assert any("cashiers only" in message for message in shown)
    assert not Token.objects.filter(key=cashier_key).exists()
    assert Token.objects.filter(key=owner_key).exists()
    (entry,) = _revoked(business)
    assert entry.event_data == {"username": cashier.username}


def test_the_entry_reads_in_the_readers_language(business, manager, cashier):
    _key(cashier)
    manager_client = _till(_key(manager))
    manager_client.delete(f"{TOKEN}?username={cashier.username}")

    log = manager_client.get("/sales/api/audit-logs/", HTTP_ACCEPT_LANGUAGE="fr").json()

    (entry,) = [row for row in log["results"] if row["event_type"] == "staff.key_revoked"]
    assert cashier.username in entry["description"]
    assert "caisse" in entry["description"]


@pytest.mark.parametrize("name", ["", "   "])
def test_a_blank_name_is_a_400_that_revokes_nothing(business, manager, name):
    key = _key(manager)

    body = assert_error(_till(key).delete(f"{TOKEN}?username={name}"), 400)

    assert "username" in body["fields"]
    assert Token.objects.filter(key=key).exists()


@pytest.mark.parametrize("name", ["bad%00name", "x" * 151])
def test_a_name_no_log_in_can_have_is_a_404(business, manager, cashier, name):
    cashier_key = _key(cashier)

    assert_error(_till(_key(manager)).delete(f"{TOKEN}?username={name}"), 404)
    assert Token.objects.filter(key=cashier_key).exists()


def test_naming_yourself_logs_you_out(business, manager):
    till = _till(_key(manager))

    response = till.delete(f"{TOKEN}?username={manager.username}")

    assert response.status_code == 204
    assert_error(till.get("/api/me/"), 401)
    assert _revoked(business) == []


def test_the_back_office_has_no_page_of_keys_that_skips_the_audit(business, cashier):
    """DRF's own page of API keys would show every business's keys in clear and delete them
    unaudited: even a platform administrator revokes a key from the staff list."""
    root = get_user_model().objects.create_superuser("root", "root@example.com", "pw")
    key = _key(cashier)
    client = admin_client_for(root)

    index = client.get(reverse("admin:index"))

    assert index.status_code == 200
    assert "authtoken" not in index.content.decode()
    assert client.get("/admin/authtoken/tokenproxy/").status_code == 404
    client.post(
        CHANGELIST,
        {"action": "revoke_keys_selected", "_selected_action": [cashier.staff_member.pk]},
    )
    assert not Token.objects.filter(key=key).exists()
    (entry,) = _revoked(business)
    assert entry.user_id == root.pk
