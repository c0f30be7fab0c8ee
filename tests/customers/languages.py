"""A request in a language, whichever way the language is resolved."""

from django.utils import translation


def in_language(language: str, request):
    """`request(**headers)` naming `language` in `Accept-Language`, inside
    `translation.override(language)`: the answer is in that language whether the request's
    header or the active language decides."""
    with translation.override(language):
        return request(HTTP_ACCEPT_LANGUAGE=language)
