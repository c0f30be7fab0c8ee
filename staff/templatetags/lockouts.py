"""Template filters of the lock-out pages."""

from django import template

from staff.lockouts import wait_words

register = template.Library()


@register.filter
def wait(duration):
    """`{{ cooloff_timedelta|wait }}` -> `60 minutes`."""
    return wait_words(duration)
