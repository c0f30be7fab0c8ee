"""Shows the back office in the shop's own time zone."""

from django.utils import timezone

from pos_project.permissions import staff_of


class BusinessTimeZoneMiddleware:
    """Activates the staff member's business time zone for the admin.

    Times are stored in UTC; a manager in Casablanca reads "23:30", not "22:30". The API
    keeps UTC (clients localise), so only admin pages pay for the staff lookup.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        staff = staff_of(request.user) if request.path.startswith("/admin/") else None
        if staff is not None:
            timezone.activate(staff.business.zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
