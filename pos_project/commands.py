"""Shared plumbing of the management commands."""

import uuid

from django.core.management.base import CommandError

from pos_project.models import Business


def business_from_option(value: str) -> Business:
    """The business a `--business ID` option names, or a CommandError saying there is none."""
    try:
        return Business.objects.get(pk=uuid.UUID(value))
    except (ValueError, Business.DoesNotExist):
        raise CommandError(f"No business with id {value!r}.") from None
