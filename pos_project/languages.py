"""Which of the four languages a request is answered in (DESIGN section 13).

- The API: the request's `Accept-Language` when it names one of them, else the caller's
  language (their own, else their business's), else English for a caller not logged in.
- The back office: the staff member's language, which the header's switcher sets (it also
  keeps the choice in Django's language cookie, for the log-in page), else the business's.
  A person's saved choice beats a cookie so that two people sharing one computer each read
  their own language.
- Printed pages choose for themselves: see `pos_project.printed_pages`.

Django's LocaleMiddleware answers visitors who are not logged in (the cookie, then the
browser's languages) and adds `Vary: Accept-Language`; `StaffLanguageMiddleware`
(pos_project.middleware) then applies the rules above to a logged-in session. A request with
a token is authenticated only inside DRF's view, so
`pos_project.authentication.StaffTokenAuthentication` applies them the moment it knows the
caller: the one place every token request passes, without a second lookup of the token.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

LANGUAGE_CHOICES = settings.LANGUAGES
LANGUAGE_CODES = tuple(code for code, _ in LANGUAGE_CHOICES)


def header_language(request) -> str | None:
    """The first of the request's `Accept-Language` that is one of ours (`fr-MA` -> `fr`),
    or None when it names none of them."""
    for code, _quality in parse_accept_lang_header(request.META.get("HTTP_ACCEPT_LANGUAGE", "")):
        if code == "*":
            break
        try:
            language = translation.get_supported_language_variant(code)
        except LookupError:
            continue
        if language in LANGUAGE_CODES:
            return language
    return None


def api_language(request, staff) -> str:
    """The language of an API answer to `staff` (None: a caller not logged in)."""
    language = header_language(request)
    if language:
        return language
    return staff.reading_language if staff is not None else settings.LANGUAGE_CODE


def use_language(request, language: str) -> None:
    """Answer the rest of `request` in `language`."""
    translation.activate(language)
    request.LANGUAGE_CODE = language


def written_in_english():
    """A block whose translated words and formatted amounts come out in English, whatever
    language the request reads: for text that is stored, such as an audit entry's
    description (it is hashed into the trail, and rendered in the reader's language only
    when shown)."""
    return translation.override(settings.LANGUAGE_CODE)


def in_english(text: object) -> str:
    """`text` (a translatable label) in English: see `written_in_english`."""
    with written_in_english():
        return str(text)
