"""Test-database plumbing for the audit trail's PostgreSQL trigger (filled in by the audit work)."""
