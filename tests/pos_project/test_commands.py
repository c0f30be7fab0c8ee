"""create_business, add_staff and seed_demo, and the settings' refusal to start unsafely."""

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token

from audit.models import AuditLog
from pos_project.models import Business, Role, StaffMember


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
class TestCreateBusiness:
    def test_creates_business_storefront_and_owner_and_prints_the_id(self):
        out = run(
            "create_business", "Pharmacie Nour", "--owner", "nour", "--password", "s3cure-pass-99"
        )
        business = Business.objects.get(name="Pharmacie Nour")
        assert str(business.id) in out
        assert business.currency_code == "MAD" and business.default_region == "MA"
        assert business.storefronts.get().name == "Main"
        assert StaffMember.objects.get(user__username="nour").role == Role.OWNER
        assert AuditLog.objects.filter(business=business, event_type="business.created").exists()

    @pytest.mark.parametrize(
        ("extra", "message"),
        [
            (["--currency", "DOLLARS"], "currency"),
            (["--region", "XX"], "region"),
            (["--time-zone", "Mars/Olympus"], "time zone"),
        ],
    )
    def test_bad_arguments_are_refused_and_change_nothing(self, extra, message):
        with pytest.raises(CommandError, match=message):
            run("create_business", "Shop", "--owner", "o", "--password", "s3cure-pass-99", *extra)
        assert not Business.objects.exists()

    def test_weak_password_changes_nothing(self):
        with pytest.raises(CommandError, match="Weak password"):
            run("create_business", "Shop", "--owner", "o", "--password", "123")
        assert not Business.objects.exists()

    def test_taken_username_changes_nothing(self, cashier):
        with pytest.raises(CommandError, match="Username taken"):
            run(
                "create_business",
                "Shop",
                "--owner",
                cashier.username,
                "--password",
                "s3cure-pass-99",
            )
        assert not Business.objects.filter(name="Shop").exists()


@pytest.mark.django_db
class TestAddStaff:
    def test_adds_a_cashier(self, business):
        run(
            "add_staff",
            "--business",
            str(business.id),
            "--username",
            "sara",
            "--password",
            "s3cure-pass-99",
            "--role",
            "CASHIER",
        )
        assert StaffMember.objects.get(user__username="sara").business == business

    @pytest.mark.parametrize("business_id", ["not-a-uuid", "00000000-0000-0000-0000-000000000000"])
    def test_unknown_business_is_refused(self, business_id):
        with pytest.raises(CommandError, match="No business"):
            run(
                "add_staff",
                "--business",
                business_id,
                "--username",
                "x",
                "--password",
                "s3cure-pass-99",
                "--role",
                "CASHIER",
            )

    def test_unknown_role_exits_non_zero(self, business):
        with pytest.raises(CommandError):
            run(
                "add_staff",
                "--business",
                str(business.id),
                "--username",
                "x",
                "--password",
                "s3cure-pass-99",
                "--role",
                "JANITOR",
            )


@pytest.mark.django_db
def test_seed_demo_is_safe_to_run_twice_and_prints_working_tokens():
    first = run("seed_demo")
    second = run("seed_demo")
    assert Business.objects.filter(name="Pharmacie Atlas").count() == 1
    for username in ("owner", "manager", "cashier"):
        token = Token.objects.get(user__username=username).key
        assert token in first and token in second


def _manage(*args, **env_overrides) -> subprocess.CompletedProcess:
    # A fresh process as a deployment would start it: none of the test run's own settings
    # (the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE among them).
    inherited = ("SECRET_KEY", "AUDIT_HMAC_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in inherited}
    env.update(env_overrides, DJANGO_SETTINGS_MODULE="pos_project.settings")
    return subprocess.run(
        [sys.executable, "manage.py", *args], env=env, capture_output=True, text=True, check=False
    )


def test_a_non_debug_start_without_secret_key_refuses_and_says_why():
    result = _manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


@pytest.mark.parametrize(
    ("audit_key", "message"),
    [(None, "AUDIT_HMAC_KEY is not set"), ("short", "AUDIT_HMAC_KEY is too short")],
)
def test_a_non_debug_start_without_a_real_audit_key_refuses_and_says_why(audit_key, message):
    keys = {"AUDIT_HMAC_KEY": audit_key} if audit_key else {}
    result = _manage(
        "check", DEBUG="0", SECRET_KEY="a-long-random-production-key-" + "x" * 30, **keys
    )
    assert result.returncode != 0
    assert message in result.stderr


def test_deploy_check_is_clean_with_real_settings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="a-long-random-production-key-" + "x" * 30,
        AUDIT_HMAC_KEY="a-long-random-audit-key-" + "y" * 30,
        ALLOWED_HOSTS="pos.example.com",
    )
    assert result.returncode == 0, result.stderr


def test_migrate_runs_as_the_owner_and_everything_else_as_the_app(tmp_path):
    # given an application database URL that cannot even be opened, and an owner's that can
    owner_db = tmp_path / "owner.sqlite3"
    urls = {
        "DATABASE_URL": f"sqlite:///{tmp_path}/missing/app.sqlite3",
        "MIGRATE_DATABASE_URL": f"sqlite:///{owner_db}",
        "DEBUG": "1",
    }
    # then migrate uses the owner's, and any other command the application's
    migrated = _manage("migrate", "--no-input", **urls)
    assert migrated.returncode == 0, migrated.stderr
    assert owner_db.stat().st_size > 0
    shown = _manage("showmigrations", "audit", **urls)
    assert shown.returncode != 0
    assert "unable to open database file" in shown.stderr
