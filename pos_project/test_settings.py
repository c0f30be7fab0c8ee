"""Settings for the test suite: the real settings with throwaway keys and fast hashing."""

import os

os.environ.setdefault("SECRET_KEY", "test-suite-only-secret-key-that-protects-nothing-0123456789")
os.environ.setdefault(
    "AUDIT_HMAC_KEY", "test-suite-only-audit-key-that-protects-nothing-0123456789"
)

from pos_project.settings import *  # noqa: F403
from pos_project.settings import STORAGES

# Hashing passwords slowly is a defence in production and pure waste in a test run.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SECURE_SSL_REDIRECT = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
