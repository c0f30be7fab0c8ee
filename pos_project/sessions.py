"""The back office's sessions: Django's database sessions, refusing keys Django never issues.

A session key is 32 lowercase letters and digits (`get_random_string`). A cookie holding
anything else (a NUL byte, say, which PostgreSQL refuses in a query) is no session at all,
rather than a query that fails: the caller is simply not logged in.
"""

import re

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

SESSION_KEY = re.compile(r"[a-z0-9]{8,40}")


class SessionStore(DatabaseSessionStore):
    def _validate_session_key(self, key):
        return (
            bool(key)
            and SESSION_KEY.fullmatch(key) is not None
            and super()._validate_session_key(key)
        )
