"""manage.py backup: a consistent copy, named by database and time, checksummed, rotated."""

import hashlib
import re
import stat
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from operations.backups import checksum_path
from operations.engines import engine_for
from operations.models import BackupRecord
from tests.conftest import admin_client_for
from tests.operations.conftest import requires_backup_tools

pytestmark = [requires_backup_tools, pytest.mark.django_db(transaction=True)]


def _backups(folder):
    return sorted(path for path in folder.iterdir() if not path.name.endswith(".sha256"))


def test_backup_writes_the_file_its_checksum_and_a_record(books, tmp_path, capsys):
    call_command("backup", out=tmp_path)

    (backup,) = _backups(tmp_path)
    engine = engine_for()
    assert re.fullmatch(rf"{engine.label}-\d{{8}}T\d{{6}}Z{engine.suffix}", backup.name)
    digest = hashlib.sha256(backup.read_bytes()).hexdigest()
    assert checksum_path(backup).read_text() == f"{digest}  {backup.name}\n"
    # Customers' records inside: readable by the owner alone.
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    record = BackupRecord.objects.get()
    assert (record.file_name, record.sha256) == (backup.name, digest)
    assert record.size_bytes == backup.stat().st_size > 0
    summary = capsys.readouterr().out
    # The size in the unit that suits it: the shared test database grows as the suite runs.
    assert f"Backup written: {backup}" in summary
    assert re.search(r"\(\d+(\.\d)? (B|KB|MB|GB) in \d+\.\d s, sha256 [0-9a-f]{12}…\)", summary)
    assert not list(tmp_path.glob(".*partial"))


def test_keep_removes_the_oldest_backups_of_this_database_only(books, tmp_path, capsys):
    engine = engine_for()
    old = [tmp_path / f"{engine.label}-2020010{day}T000000Z{engine.suffix}" for day in (1, 2, 3)]
    foreign = tmp_path / f"otherdb-20200101T000000Z{engine.suffix}"
    for path in [*old, foreign]:
        path.write_bytes(b"old")
        checksum_path(path).write_text("x  " + path.name)

    call_command("backup", out=tmp_path, keep=2)

    newest = BackupRecord.objects.get().file_name
    assert {path.name for path in _backups(tmp_path)} == {old[2].name, newest, foreign.name}
    for removed in old[:2]:
        assert not removed.exists() and not checksum_path(removed).exists()
    assert f"Removed the old backup {old[0].name}." in capsys.readouterr().out


def test_keep_below_one_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="--keep must be at least 1"):
        call_command("backup", out=tmp_path, keep=0)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("hours_ago", "overdue"), [(2, False), (30, True)])
def test_back_office_home_shows_the_last_backup_red_when_old(manager, hours_ago, overdue):
    BackupRecord.objects.create(
        created_at=timezone.now() - timedelta(hours=hours_ago),
        file_name="db-20261126T000000Z.sqlite3",
        size_bytes=1,
        sha256="0" * 64,
        duration_seconds=0.1,
    )
    page = admin_client_for(manager).get("/admin/").content.decode()

    assert "Last backup:" in page and "db-20261126T000000Z.sqlite3" in page
    assert ("Older than 24 h" in page) is overdue
    assert ('class="errornote"' in page) is overdue
    assert "manage.py" not in page


def test_back_office_home_says_when_no_backup_was_ever_taken(manager):
    page = admin_client_for(manager).get("/admin/").content.decode()

    assert "No backup has been taken yet." in page and 'class="errornote"' in page
