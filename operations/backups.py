"""Backups of the whole database: naming, checksums, rotation, proof by restoring.

A backup file sits beside its checksum (`NAME.sha256`, in `sha256sum` format). It is written
under a temporary name and renamed once complete, so a half-written file never carries a
backup's name. The database engine's own tools do the copying (see `engines`).
"""

import hashlib
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection

from operations.engines import Engine, engine_for
from operations.models import BackupRecord

CHECKSUM_SUFFIX = ".sha256"
TIMESTAMP_FORMAT = "%Y%m%dT%H%M%SZ"


@dataclass(frozen=True)
class BackupResult:
    path: Path
    created_at: datetime
    size_bytes: int
    sha256: str
    duration_seconds: float
    removed: tuple[Path, ...] = ()

    def summary(self) -> str:
        return (
            f"Backup written: {self.path} ({_human_size(self.size_bytes)} in "
            f"{self.duration_seconds:.1f} s, sha256 {self.sha256[:12]}…)"
        )


def checksum_path(path: Path) -> Path:
    return path.with_name(path.name + CHECKSUM_SUFFIX)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def take_backup(out_dir: Path, *, keep: int | None, progress: bool = True) -> BackupResult:
    """Write a consistent backup of the live database into `out_dir` and record it."""
    engine = engine_for(connection)
    out_dir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    stamp = datetime.now(UTC)
    final = out_dir / f"{engine.label}-{stamp.strftime(TIMESTAMP_FORMAT)}{engine.suffix}"
    partial = final.with_name(f".{final.name}.partial")
    try:
        engine.dump(partial, progress=progress)
        # A backup holds every customer's record: readable by its owner alone.
        partial.chmod(0o600)
        digest = file_sha256(partial)
        os.replace(partial, final)
    finally:
        partial.unlink(missing_ok=True)
    _write_atomically(checksum_path(final), f"{digest}  {final.name}\n")
    result = BackupResult(
        path=final,
        created_at=stamp,
        size_bytes=final.stat().st_size,
        sha256=digest,
        duration_seconds=time.monotonic() - started,
        removed=tuple(rotate(out_dir, engine, keep=keep)) if keep is not None else (),
    )
    record_backup(result)
    return result


def record_backup(result: BackupResult) -> BackupRecord:
    return BackupRecord.objects.create(
        created_at=result.created_at,
        file_name=result.path.name,
        size_bytes=result.size_bytes,
        sha256=result.sha256,
        duration_seconds=result.duration_seconds,
    )


def rotate(out_dir: Path, engine: Engine, *, keep: int) -> list[Path]:
    """Remove this database's oldest backups beyond the newest `keep`, checksums with them."""
    pattern = re.compile(rf"^{re.escape(engine.label)}-\d{{8}}T\d{{6}}Z{re.escape(engine.suffix)}$")
    # The UTC timestamp in the name sorts in time order.
    backups = sorted(path for path in out_dir.iterdir() if pattern.match(path.name))
    removed = backups[: max(len(backups) - keep, 0)]
    for path in removed:
        path.unlink()
        checksum_path(path).unlink(missing_ok=True)
    return removed


def check_checksum(path: Path) -> str:
    """The backup's checksum, after proving the file still matches it; else a CommandError."""
    if not path.is_file():
        raise CommandError(f"No backup file at {path}.")
    beside = checksum_path(path)
    if not beside.is_file():
        raise CommandError(
            f"No checksum beside {path} (expected {beside.name}). Refusing a backup whose "
            "integrity cannot be proven; nothing was changed."
        )
    expected = next(iter(beside.read_text().split()), "")
    actual = file_sha256(path)
    if actual != expected:
        raise CommandError(
            f"{path.name} does not match its checksum (expected {expected[:12]}…, found "
            f"{actual[:12]}…): the file is truncated or altered. Nothing was changed; use "
            "another backup."
        )
    return actual


def prove_restorable(path: Path, *, stdout) -> None:
    """Restore `path` into a scratch database, migrate it and run the ledger and audit checks
    there; the scratch database is discarded whatever happens. A CommandError on failure."""
    check_checksum(path)
    engine = engine_for(connection)
    with engine.scratch_copy(path) as database_url:
        completed = subprocess.run(
            [sys.executable, "-m", "operations.restored_checks"],
            cwd=settings.BASE_DIR,
            env={**os.environ, "DATABASE_URL": database_url},
            capture_output=True,
            text=True,
            check=False,
        )
    stdout.write(completed.stdout)
    if completed.returncode != 0:
        raise CommandError(
            f"{path.name} restored, but the checks failed there:\n"
            + (completed.stderr.strip() or completed.stdout.strip())
        )


def _write_atomically(path: Path, text: str) -> None:
    with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False) as stream:
        stream.write(text)
    os.replace(stream.name, path)


def _human_size(size: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"
