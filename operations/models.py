"""What the administrators' commands leave behind for the back office to show."""

from django.db import models


class BackupRecord(models.Model):
    """One successful backup: the back-office home shows the newest one's age."""

    created_at = models.DateTimeField(db_index=True)
    file_name = models.CharField(max_length=255)
    size_bytes = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)
    duration_seconds = models.FloatField()

    class Meta:
        ordering = ["-created_at"]
        get_latest_by = "created_at"

    def __str__(self):
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M} UTC)"
