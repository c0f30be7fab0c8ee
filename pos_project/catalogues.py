"""The translation catalogues: each app's `locale/<language>/LC_MESSAGES/django.po`, compiled
to the `.mo` files Django reads.

The `.mo` files are built, not committed. They are compiled with babel, in Python, so that a
machine without gettext's `msgfmt` builds them too (`manage.py compile_catalogues`, run by
`./scripts/serve`, `./scripts/test` and the test suite itself).
"""

import os
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings

# Where the product's apps live; the virtual environment's packages bring their own `.mo`.
SKIPPED_DIRECTORIES = {".venv", ".git", "node_modules", "staticfiles"}


def catalogue_sources(root: Path | None = None) -> list[Path]:
    """Every `django.po` of the project's apps, in a fixed order."""
    root = root or Path(settings.BASE_DIR)
    found = []
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = sorted(d for d in subdirectories if d not in SKIPPED_DIRECTORIES)
        if "django.po" in files and Path(directory).name == "LC_MESSAGES":
            found.append(Path(directory) / "django.po")
    return found


def compile_catalogue(source: Path) -> Path:
    """Write `source`'s `.mo` beside it, fuzzy entries left out (gettext's rule), and return
    its path. Written to a temporary file and moved into place, so that two processes
    compiling at once (parallel test workers) never leave a half-written file."""
    target = source.with_suffix(".mo")
    with source.open("rb") as po_file:
        catalogue = read_po(po_file)
    descriptor, temporary = tempfile.mkstemp(dir=source.parent, suffix=".mo.tmp")
    try:
        with os.fdopen(descriptor, "wb") as mo_file:
            write_mo(mo_file, catalogue, use_fuzzy=False)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def compile_catalogues(*, force: bool = False, root: Path | None = None) -> list[Path]:
    """Compile every catalogue whose `.mo` is missing or older than its `.po`; return those
    compiled."""
    compiled = []
    for source in catalogue_sources(root):
        target = source.with_suffix(".mo")
        if force or not target.exists() or target.stat().st_mtime < source.stat().st_mtime:
            compiled.append(compile_catalogue(source))
    return compiled
