"""verify_backup proves a backup by restoring it; restore replaces the database with one.

A damaged backup is refused by both with a clear message, and nothing changes.
"""

import shutil

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from customers.models import Customer
from operations.backups import checksum_path, file_sha256
from operations.models import BackupRecord
from receivables.models import CustomerPayment
from tests.factories.customers import CustomerFactory
from tests.operations.conftest import requires_backup_tools

pytestmark = [requires_backup_tools, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def backup(books, tmp_path):
    call_command("backup", out=tmp_path / "backups")
    (path,) = (tmp_path / "backups").glob("*[!6]")
    return path


def _damaged_copy(backup, folder, *, keep_checksum_valid: bool):
    """The backup cut in half; with its checksum rewritten to match when asked."""
    damaged = folder / backup.name
    data = backup.read_bytes()
    damaged.write_bytes(data[: len(data) // 2])
    if keep_checksum_valid:
        checksum_path(damaged).write_text(f"{file_sha256(damaged)}  {damaged.name}\n")
    else:
        shutil.copyfile(checksum_path(backup), checksum_path(damaged))
    return damaged


def _state():
    return (Customer.objects.count(), CustomerPayment.objects.count(), BackupRecord.objects.count())


def test_verify_backup_restores_into_a_scratch_database_and_proves_it(backup, capsys):
    call_command("verify_backup", backup)

    out = capsys.readouterr().out
    assert "Checked 3 customers." in out
    assert "All ledgers, allocations, statistics and receivables summaries agree." in out
    assert "every chain is intact" in out
    assert f"{backup.name} restores" in out


def test_verify_backup_refuses_a_truncated_backup_by_its_checksum(backup, tmp_path):
    damaged = _damaged_copy(backup, tmp_path, keep_checksum_valid=False)

    with pytest.raises(CommandError, match=r"does not match its checksum.*truncated or altered"):
        call_command("verify_backup", damaged)


def test_verify_backup_refuses_a_damaged_backup_even_with_a_matching_checksum(backup, tmp_path):
    damaged = _damaged_copy(backup, tmp_path, keep_checksum_valid=True)

    with pytest.raises(CommandError, match=r"(not a readable|integrity|pg_restore failed)"):
        call_command("verify_backup", damaged)


def test_verify_backup_refuses_a_backup_without_its_checksum(backup):
    checksum_path(backup).unlink()

    with pytest.raises(CommandError, match="No checksum beside"):
        call_command("verify_backup", backup)


def test_restore_replaces_the_database_after_a_safety_backup(backup, tmp_path, capsys):
    added = CustomerFactory(business=Customer.objects.first().business, name="After the backup")

    call_command("restore", backup, yes=True, safety_dir=tmp_path / "safety")

    assert not Customer.objects.filter(pk=added.pk).exists()
    assert Customer.objects.count() == 3
    (safety,) = (tmp_path / "safety").glob("*[!6]")
    assert checksum_path(safety).exists()
    # The safety backup is the newest backup the restored database knows of.
    assert BackupRecord.objects.latest().file_name == safety.name
    out = capsys.readouterr().out
    assert "Checked 3 customers." in out and "every chain is intact" in out
    assert f"Restored {backup.name}" in out


def test_restore_refuses_a_truncated_backup_and_changes_nothing(backup, tmp_path):
    damaged = _damaged_copy(backup, tmp_path, keep_checksum_valid=False)
    CustomerFactory(business=Customer.objects.first().business)
    before = _state()

    with pytest.raises(CommandError, match=r"does not match its checksum.*Nothing was changed"):
        call_command("restore", damaged, yes=True, safety_dir=tmp_path / "safety")

    assert _state() == before
    assert not (tmp_path / "safety").exists()


def test_restore_of_a_damaged_backup_with_a_matching_checksum_changes_nothing(backup, tmp_path):
    damaged = _damaged_copy(backup, tmp_path, keep_checksum_valid=True)
    CustomerFactory(business=Customer.objects.first().business)
    customers, payments, _records = _state()

    with pytest.raises(CommandError, match="Nothing was changed"):
        call_command("restore", damaged, yes=True, safety_dir=tmp_path / "safety")

    assert _state()[:2] == (customers, payments)


def test_restore_asks_first_and_a_no_changes_nothing(backup, tmp_path, monkeypatch):
    CustomerFactory(business=Customer.objects.first().business)
    before = _state()
    monkeypatch.setattr("builtins.input", lambda prompt: "no")

    with pytest.raises(CommandError, match=r"Restore cancelled\. Nothing was changed\."):
        call_command("restore", backup, safety_dir=tmp_path / "safety")

    assert _state() == before
