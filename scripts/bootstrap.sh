# Sourced by the scripts: makes .venv with Python 3.11+ and installs the requirements file
# named into it, again only when the files change.
#   source scripts/bootstrap.sh requirements.txt       what the server runs
#   source scripts/bootstrap.sh requirements-dev.txt   plus tests, lint, browser, generators
# Installs with uv (pinned, from PyPI) for speed; pip does it when uv cannot be had.
set -euo pipefail

UV_VERSION=0.9.5

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

requirements_digest() {
    # A file's digest covers the files it includes, so requirements-dev.txt changes when
    # requirements.txt does.
    local file=$1
    {
        cat "$file"
        sed -n 's/^-r[[:space:]]*//p' "$file" | while read -r included; do cat "$included"; done
    } | sha256sum | cut -d' ' -f1
}

install_requirements() {
    local file=$1
    if [ ! -x .venv/bin/uv ] && [ -x .venv/bin/pip ]; then
        # A .venv made before uv was used: give it uv once.
        .venv/bin/python -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION" ||
            true
    fi
    if [ -x .venv/bin/uv ]; then
        .venv/bin/uv pip install --quiet --python .venv/bin/python -r "$file"
    else
        .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$file"
    fi
}

make_venv() {
    local python_bin=$1
    echo "Creating .venv with $("$python_bin" --version)"
    # Without pip, the venv is made in a moment; uv is put into it by the outer pip.
    "$python_bin" -m venv --without-pip .venv
    if ! "$python_bin" -m pip --python .venv/bin/python install --quiet \
        --disable-pip-version-check "uv==$UV_VERSION"; then
        echo "uv could not be installed; installing with pip instead (slower)"
        .venv/bin/python -m ensurepip --upgrade --default-pip >/dev/null
    fi
}

if [ ! -x .venv/bin/python ]; then
    make_venv "$(find_python)"
fi

requirements_file=$1
stamp=".venv/.installed-$requirements_file.sha256"
wanted=$(requirements_digest "$requirements_file")
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    echo "Installing $requirements_file into .venv"
    install_requirements "$requirements_file"
    echo "$wanted" >"$stamp"
    if [ "$requirements_file" != requirements.txt ]; then
        # It included requirements.txt, so that one is installed too.
        requirements_digest requirements.txt >.venv/.installed-requirements.txt.sha256
    fi
fi
