"""The back-office home's line about the last backup."""

from datetime import timedelta

from django import template
from django.conf import settings
from django.utils import timezone

from operations.models import BackupRecord

register = template.Library()


@register.inclusion_tag("operations/backup_status.html")
def last_backup_status():
    last = BackupRecord.objects.order_by("-created_at").first()
    max_age = timedelta(hours=settings.BACKUP_MAX_AGE_HOURS)
    return {
        "last": last,
        "max_age_hours": f"{settings.BACKUP_MAX_AGE_HOURS:g}",
        "overdue": last is None or timezone.now() - last.created_at > max_age,
    }
