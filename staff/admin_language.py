"""The back office's language switcher, in the header of every page."""

from django.http import HttpResponseNotAllowed
from django.views.decorators.csrf import csrf_protect
from django.views.i18n import set_language

from pos_project.actors import Actor
from pos_project.languages import LANGUAGE_CODES
from pos_project.permissions import staff_of
from staff.services import staff_set_language


@csrf_protect
def language_switch(request):
    """Switch to the chosen language and remember it: on the staff member, so it follows them
    to any computer and the API, and in Django's language cookie, for the log-in page.

    Django's `set_language` checks the language and the page to go back to (`next`, on this
    site only) and sets the cookie.
    """
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    response = set_language(request)
    language = request.POST.get("language")
    staff = staff_of(request.user)
    if staff is not None and language in LANGUAGE_CODES:
        staff_set_language(staff=staff, language=language, actor=Actor.from_request(request))
    return response
