"""The embedded database under a double click: on SQLite, two tills sending the same
money-moving request at once get one success and one refusal, never a server error."""

import json
import subprocess
import sys
from pathlib import Path

from django.conf import settings

# Each endpoint's two answers, by class: adding an item twice adds to the same line; two
# wrong passwords are both refused; the same checkout sent twice completes the sale once and
# answers the completed sale to both; every other endpoint moves money once and refuses the
# second request.
EXPECTED = {
    "items": [2, 2],
    "login": [4, 4],
    "complete": [2, 2],
    "cancel": [2, 4],
    "record_payment": [2, 4],
    "adjust_credit": [2, 4],
}


def test_attack_double_click_on_sqlite_is_never_a_500(tmp_path):
    """Run in its own process on a file-based database: the suite's own is in memory."""
    result = subprocess.run(
        [sys.executable, "-m", "tests.pos_project.sqlite_double_click", str(tmp_path / "pos.db")],
        cwd=Path(settings.BASE_DIR),
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    statuses = json.loads(result.stdout)

    assert set(statuses) == set(EXPECTED)
    for endpoint, pair in statuses.items():
        assert 500 not in pair, (endpoint, pair, result.stderr[-2000:])
        assert sorted(status // 100 for status in pair) == EXPECTED[endpoint], (endpoint, pair)
