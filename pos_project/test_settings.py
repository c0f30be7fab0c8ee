"""Settings for the test suite: the real settings with throwaway keys and fast hashing."""

import os

# The suite runs the same on every checkout, whatever a developer's local .env holds.
os.environ["ENV_FILE"] = ""
os.environ.setdefault("SECRET_KEY", "test-suite-only-secret-key-that-protects-nothing-0123456789")
os.environ.setdefault(
    "AUDIT_HMAC_KEY", "test-suite-only-audit-key-that-protects-nothing-0123456789"
)

from pos_project.settings import *  # noqa: F403
from pos_project.settings import CACHES, STORAGES

# Hashing passwords slowly is a defence in production and pure waste in a test run.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SECURE_SSL_REDIRECT = False

# What a server uses, for the tests that prove the shared login throttle counts.
SHARED_CACHES = CACHES
# Every test starts with no throttle counts. Clearing the database cache would need the
# database in every test, even those that never touch it, and a transactional test's flush
# leaves the cache table alone; so the suite counts in memory and only the throttle tests
# (tests/pos_project/test_login_throttle.py) count in the database.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
