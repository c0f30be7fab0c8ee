"""Reading the environment the settings are made from. Imported by the settings themselves,
before Django is set up, so it imports nothing of Django."""

import os
from pathlib import Path


def load_env_file(path: Path) -> None:
    """Put the file's `NAME=value` lines into the environment, never over a variable set."""
    if not path.is_file():
        return
    for line in path.read_text().splitlines():
        name, separator, value = line.partition("=")
        name = name.strip()
        if separator and name and not name.startswith("#"):
            os.environ.setdefault(name, value.strip())


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]
