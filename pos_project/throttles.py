"""Limits on password guessing at `POST /api/auth/token/`.

Counts live in the shared cache (`CACHES`: the database, or Redis when `REDIS_URL` is set),
so every worker process sees the same counts.
"""

import hashlib

from rest_framework.throttling import SimpleRateThrottle

from pos_project.actors import client_ip


class LoginAddressThrottle(SimpleRateThrottle):
    """Password attempts per client address, whatever username they try.

    The address is the one the audit trail records: `X-Forwarded-For` counts only when the
    request comes from one of `TRUSTED_PROXIES`, so a client cannot name a new address on
    every attempt.
    """

    scope = "login"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request) or "unknown"}


class LoginUsernameThrottle(SimpleRateThrottle):
    """Password attempts per username tried, from whatever address: many addresses cannot
    spray one account."""

    scope = "login_username"

    def get_cache_key(self, request, view):
        username = request.data.get("username") if hasattr(request.data, "get") else None
        if not isinstance(username, str) or not username:
            return None
        # Hashed: a username is free text, and cache keys have a fixed alphabet and length.
        ident = hashlib.sha256(username.strip().casefold().encode()).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": ident}
