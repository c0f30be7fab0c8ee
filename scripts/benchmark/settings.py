"""What every part of the benchmark shares: paths, the database server, the run's profile."""

import os
import runpy
import secrets
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
# The settings production serves with (gunicorn reads the file from the directory it starts
# in, as the servers here do): the run's defaults for workers and threads.
GUNICORN_SETTINGS = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
SERVER = "postgres://postgres@127.0.0.1:5432"
# One audit key for the whole run: every size's chain, and the ceiling's entries, use it.
AUDIT_KEY = os.environ.get("AUDIT_HMAC_KEY") or f"bench-{secrets.token_urlsafe(40)}"
# Any UUID: only used to ask the URL resolver whether a route exists.
PROBE_ID = "00000000-0000-4000-8000-000000000000"

STARTED = time.monotonic()


def say(text: str = "") -> None:
    """A line of progress, stamped with the time since the start (minutes:seconds)."""
    elapsed = int(time.monotonic() - STARTED)
    stamp = f"[{elapsed // 60:02d}:{elapsed % 60:02d}] " if text.strip() else ""
    sys.stdout.write(stamp + text + "\n")
    sys.stdout.flush()


@dataclass
class Profile:
    """How big and how long: the full run, or --quick for CI smoke runs."""

    sizes: list[int]
    requests: int
    warmup: int
    checkout_seconds: float
    ceiling_seconds: float
    # A read slower than this allows stops early (with at least MIN_SAMPLES), so one
    # pathological endpoint cannot stretch the run: its row then says how many it took.
    read_budget_seconds: float


MIN_SAMPLES = 5
FULL = Profile(sizes=[10_000, 1_000_000], requests=200, warmup=20, checkout_seconds=15,
               ceiling_seconds=10, read_budget_seconds=30)  # fmt: skip
QUICK = Profile(sizes=[300, 1_500], requests=30, warmup=5, checkout_seconds=2,
                ceiling_seconds=2, read_budget_seconds=5)  # fmt: skip


def size_label(customers: int) -> str:
    if customers >= 1_000_000 and customers % 1_000_000 == 0:
        return f"{customers // 1_000_000}m"
    if customers >= 1_000 and customers % 1_000 == 0:
        return f"{customers // 1_000}k"
    return str(customers)


def fmt(value, unit: str = "", digits: int = 1) -> str:
    if value is None:
        return "n/a"
    return f"{value:,.{digits}f}{unit}"
