# Sourced by ./scripts/serve and ./scripts/test: makes .venv with Python 3.11+ and installs
# requirements.txt into it, again only when that file changes.
set -euo pipefail

find_python() {
    for candidate in python3.13 python3.12 python3.11 python3; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    echo "Python 3.11 or newer is required and was not found on PATH." >&2
    return 1
}

if [ ! -x .venv/bin/python ]; then
    python_bin=$(find_python)
    echo "Creating .venv with $("$python_bin" --version)"
    "$python_bin" -m venv .venv
fi

stamp=.venv/.requirements.sha256
wanted=$(sha256sum requirements.txt | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    echo "Installing requirements into .venv"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
    echo "$wanted" >"$stamp"
fi
