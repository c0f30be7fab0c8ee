"""Row locks on the kernel's businesses, storefronts and staff, and on the back office's
failed log-ins: the one place each is locked for a change.

Where these sit in the order every change takes its locks: docs/locking.md (each is the
only row its change locks, before the audit chain). Their keys never change, so the locks
are `FOR NO KEY UPDATE`, except the failed log-ins, which are deleted.
"""

from axes.models import AccessAttempt

from pos_project.models import Business, StaffMember, Storefront


def business_lock(business: Business) -> Business:
    """The business's row as stored, locked: what an edit is compared with."""
    return Business.objects.select_for_update(no_key=True).get(pk=business.pk)


def storefront_lock(storefront: Storefront) -> Storefront:
    """The storefront's row as stored, locked."""
    return Storefront.objects.select_for_update(no_key=True).get(pk=storefront.pk)


def staff_member_lock(staff: StaffMember) -> StaffMember:
    """The business's row, then the staff member's as stored, both locked.

    Every change to a staff member takes its business's row first, so two owners stepping
    down at once cannot each count the other as the owner who stays.
    """
    Business.objects.select_for_update(no_key=True).only("pk").get(pk=staff.business_id)
    return StaffMember.objects.select_for_update(no_key=True).get(pk=staff.pk)


def access_attempts_lock(attempts) -> list[AccessAttempt]:
    """The failed log-ins of `attempts` (a queryset), locked in primary-key order so that
    two managers lifting lock-outs at once cannot deadlock."""
    return list(attempts.select_for_update().order_by("pk"))
