"""Password guessing at the admin login: django-axes locks the username and address pair
out after AXES_FAILURE_LIMIT failures, says so on the login page, audits the lock-out, and
a manager or `manage.py axes_reset` lifts it."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from audit.models import AuditLog
from tests.conftest import admin_client_for, messages_of
from tests.contracts import assert_audited
from tests.factories.kernel import PASSWORD, StaffMemberFactory

LOGIN = "/admin/login/"
ADDRESS = "192.0.2.44"


@pytest.fixture
def target(manager):
    """A manager whose back-office password is being guessed."""
    manager.is_staff = True
    manager.save()
    return manager


def _login(user, password, *, address=ADDRESS, forwarded=None):
    headers = {"REMOTE_ADDR": address}
    if forwarded:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    client = Client()
    response = client.post(
        LOGIN, {"username": user.username, "password": password, "next": "/admin/"}, **headers
    )
    return response, client


def _logged_in(response, client) -> bool:
    return response.status_code == 302 and "_auth_user_id" in client.session


def _guess_until_locked(user, **kwargs):
    """Wrong passwords up to the limit: the one that reaches it is answered with the lock-out."""
    statuses = [
        _login(user, f"guess{attempt}", **kwargs)[0].status_code
        for attempt in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]


def test_attack_guessing_a_managers_admin_password_locks_the_pair_out(target):
    _guess_until_locked(target)

    response, client = _login(target, PASSWORD)

    assert response.status_code == 429
    assert not _logged_in(response, client)
    page = response.content.decode()
    assert 'id="locked-out"' in page
    assert "locked out of the back office" in page
    assert "manager or the owner" in page
    assert "Try again in 60 minutes" in page
    assert "hours:minutes:seconds" not in page


def test_attack_a_new_forwarded_for_on_every_attempt_does_not_escape_the_lock_out(target):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _login(target, f"guess{attempt}", forwarded=f"198.51.100.{attempt}")

    response, client = _login(target, PASSWORD, forwarded="198.51.100.200")

    assert response.status_code == 429
    assert not _logged_in(response, client)


def test_the_account_still_logs_in_from_another_address(target):
    _guess_until_locked(target)

    assert _logged_in(*_login(target, PASSWORD, address="192.0.2.99"))


def test_a_right_password_before_the_limit_logs_in_and_resets_the_count(target):
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(target, f"guess{attempt}")

    assert _logged_in(*_login(target, PASSWORD))
    assert not AccessAttempt.objects.filter(username=target.username).exists()


def test_the_lock_out_is_audited_once_in_the_accounts_business(target, business):
    _guess_until_locked(target)
    _login(target, "still-guessing")
    _login(target, PASSWORD)

    entry = assert_audited("staff.locked_out", business=business)
    assert entry.event_data["username"] == target.username
    assert entry.event_data["ip_address"] == ADDRESS
    assert entry.ip_address == ADDRESS


def test_a_manager_lifts_the_lock_out_and_it_is_audited(target, business, owner):
    _guess_until_locked(target)
    owner_admin = admin_client_for(owner)
    changelist = "/admin/axes/accessattempt/"
    page = owner_admin.get(changelist)
    assert page.status_code == 200
    assert target.username in page.content.decode()
    # Named for what it does, not for the library behind it.
    assert "Login protection" in page.content.decode()
    assert "Axes" not in page.content.decode()

    response = owner_admin.post(
        changelist,
        {
            "action": "lift_lockouts",
            "_selected_action": list(AccessAttempt.objects.values_list("pk", flat=True)),
        },
    )

    assert response.status_code == 302
    assert _logged_in(*_login(target, PASSWORD))
    entry = assert_audited("staff.lockout_lifted", business=business)
    assert entry.event_data == {"username": target.username, "ip_address": ADDRESS}


def test_a_lock_out_shows_the_person_until_when_and_lifts_from_its_row(target, business, owner):
    target.first_name, target.last_name = "Youssef", "Alaoui"
    target.save()
    _guess_until_locked(target)
    owner_admin = admin_client_for(owner)
    changelist = "/admin/axes/accessattempt/"

    page = owner_admin.get(changelist).content.decode()

    assert "Youssef Alaoui" in page and target.username in page
    assert f"{settings.AXES_FAILURE_LIMIT} of {settings.AXES_FAILURE_LIMIT}" in page
    attempt = AccessAttempt.objects.get()
    ends = timezone.localtime(attempt.attempt_time + settings.AXES_COOLOFF_TIME, business.zone)
    assert date_format(ends, "DATETIME_FORMAT") in page
    lift = reverse("admin:axes_accessattempt_lift", args=[attempt.pk])
    assert f'formaction="{lift}"' in page
    assert owner_admin.get(lift).status_code == 404

    response = owner_admin.post(lift)

    assert response.status_code == 302
    # Names and addresses are isolated, so that they read right inside any language's text.
    assert "\u2068Youssef Alaoui\u2069 may log in again from \u2068192.0.2.44\u2069." in (
        messages_of(response)
    )
    assert _logged_in(*_login(target, PASSWORD))
    assert_audited("staff.lockout_lifted", business=business)


def test_another_business_neither_sees_nor_lifts_the_lock_out(target, other_manager):
    _guess_until_locked(target)
    rival_admin = admin_client_for(other_manager)

    assert target.username not in rival_admin.get("/admin/axes/accessattempt/").content.decode()
    rival_admin.post(
        "/admin/axes/accessattempt/",
        {
            "action": "lift_lockouts",
            "_selected_action": list(AccessAttempt.objects.values_list("pk", flat=True)),
        },
    )
    assert _login(target, PASSWORD)[0].status_code == 429
    assert not AuditLog.objects.filter(event_type="staff.lockout_lifted").exists()


def test_axes_reset_lifts_every_lock_out(target):
    _guess_until_locked(target)

    call_command("axes_reset", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert _logged_in(*_login(target, PASSWORD))


def test_a_cashier_cannot_reach_the_lock_outs(cashier, business):
    StaffMemberFactory(business=business)
    client = Client()
    client.force_login(cashier)
    assert client.get("/admin/axes/accessattempt/").status_code == 302


def test_wrong_passwords_at_the_api_do_not_lock_the_admin(target, anon_client):
    for attempt in range(settings.AXES_FAILURE_LIMIT + 1):
        anon_client.post(
            "/api/auth/token/",
            {"username": target.username, "password": f"guess{attempt}"},
            REMOTE_ADDR=ADDRESS,
        )

    assert not AccessAttempt.objects.exists()
    assert _logged_in(*_login(target, PASSWORD))
