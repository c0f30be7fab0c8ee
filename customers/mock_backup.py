"""The JSON backup `cleanup_mock_customers` writes before it changes anything: every row it
removes or changes, as a `loaddata` fixture that restores them exactly."""

from __future__ import annotations

import datetime
import os
import tempfile
from pathlib import Path

from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.translation import gettext as _

from customers.mock_review import chunks
from customers.models import Customer
from sales.models import Sale

# Where a backup goes when no path is given, relative to the working folder.
DEFAULT_BACKUP_FOLDER = Path("mock-cleanup-backups")


class MockCleanupError(Exception):
    """The cleanup cannot run as asked; nothing was changed."""


def backup_path_check(path: Path) -> Path:
    """`path` made absolute, if a new backup file can be written there."""
    path = Path(os.path.abspath(path.expanduser()))
    if path.exists():
        raise MockCleanupError(
            _("%(path)s already exists. Choose a new file: an earlier backup is never overwritten.")
            % {"path": path}
        )
    folder = path.parent
    if not folder.is_dir():
        raise MockCleanupError(
            _("Cannot write the backup to %(path)s: %(folder)s is not a folder.")
            % {"path": path, "folder": folder}
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        raise MockCleanupError(
            _("Cannot write the backup to %(path)s: %(folder)s is not writable.")
            % {"path": path, "folder": folder}
        )
    return path


def default_backup_path() -> Path:
    """A new file in `DEFAULT_BACKUP_FOLDER` named for the current UTC time; the folder may
    not exist yet (`backup_folder_create`)."""
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    path = DEFAULT_BACKUP_FOLDER / f"mock-customers-{stamp}.json"
    counter = 1
    while path.exists():
        counter += 1
        path = DEFAULT_BACKUP_FOLDER / f"mock-customers-{stamp}-{counter}.json"
    return Path.cwd() / path


def backup_folder_create(path: Path) -> None:
    """Make the folder of `default_backup_path`, once the cleanup is confirmed."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise MockCleanupError(
            _(
                "Cannot create %(folder)s for the backup: %(reason)s. Nothing was "
                "changed; choose a folder with --backup PATH."
            )
            % {"folder": path.parent, "reason": exc.strerror or exc}
        ) from exc


class _ExactJSONEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder cuts times to milliseconds; a backup must restore them exactly."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def _backup_order(model) -> tuple[int, str]:
    # Parents first, so the file also loads where foreign keys are checked row by row.
    rank = {Customer: 0, Sale: 1}.get(model, 2)
    return rank, model._meta.label


def write_backup(path: Path, rows: dict[type, set]) -> int:
    """Write `rows` (model -> primary keys) as a `loaddata` fixture; the number of rows written.

    Written to a temporary file in the same folder, flushed to disk, then moved into place,
    so the named file is either complete or absent.
    """
    objects = []
    for model in sorted(rows, key=_backup_order):
        pks = sorted(rows[model], key=str)
        for chunk in chunks(pks):
            objects.extend(model._base_manager.filter(pk__in=chunk).order_by("pk"))
    try:
        handle, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".partial"
        )
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                serializers.serialize(
                    "json", objects, indent=2, stream=stream, cls=_ExactJSONEncoder
                )
                stream.flush()
                os.fsync(stream.fileno())
            if path.exists():
                raise MockCleanupError(
                    _("%(path)s appeared while the backup was being written.") % {"path": path}
                )
            os.replace(temporary, path)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise
    except OSError as exc:
        raise MockCleanupError(
            _("Could not write the backup to %(path)s: %(reason)s. Nothing was changed.")
            % {"path": path, "reason": exc.strerror or exc}
        ) from exc
    return len(objects)
