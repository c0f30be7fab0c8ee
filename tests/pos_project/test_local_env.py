"""The local .env of a development checkout: it fills in, never overrides."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from pos_project.environment import load_env_file

ROOT = Path(__file__).resolve().parents[2]


def test_the_file_fills_in_what_the_environment_does_not_set(tmp_path, monkeypatch):
    env_file = tmp_path / ".env"
    env_file.write_text(
        "# comment line\nPOS_TEST_FROM_FILE=from-file\nPOS_TEST_SET=from-file\n\nnot a pair\n"
    )
    monkeypatch.delenv("POS_TEST_FROM_FILE", raising=False)
    monkeypatch.setenv("POS_TEST_SET", "from-environment")
    load_env_file(env_file)
    assert os.environ["POS_TEST_FROM_FILE"] == "from-file"
    assert os.environ["POS_TEST_SET"] == "from-environment"
    monkeypatch.delenv("POS_TEST_FROM_FILE")


def test_a_missing_file_changes_nothing(tmp_path):
    before = dict(os.environ)
    load_env_file(tmp_path / "absent")
    assert dict(os.environ) == before


def manage_check(env_file: str) -> subprocess.CompletedProcess:
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}
    }
    environment["ENV_FILE"] = env_file
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_manage_py_runs_on_the_local_file_alone(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("DEBUG=1\nSECRET_KEY=a-generated-local-development-key-0123456789\n")
    result = manage_check(str(env_file))
    assert result.returncode == 0, result.stderr


def test_without_the_file_production_still_refuses_to_start_without_a_key(tmp_path):
    result = manage_check(str(tmp_path / "absent"))
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


@pytest.mark.django_db
def test_the_database_checks_raise_no_warning():
    # migrate and seed_demo run them: on the default SQLite path they must stay quiet.
    output = io.StringIO()
    call_command("check", "--database", "default", "--fail-level", "WARNING", stdout=output)
    assert "no issues" in output.getvalue()
