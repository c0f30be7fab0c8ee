"""The language of a printed page: a receipt, a return slip, an X or Z report, a statement.

They are handed to customers and filed by the shop, so they speak the business's language,
not the language of whoever's browser printed them; a `?lang=` on a page's signed link
(pos_project.page_links) chooses another of the four, e.g. a French receipt for a visitor.

- `@printed_page` on the function that renders a page from its subject (a sale, a return,
  a till session, a statement: anything with a `business`) renders it in that language,
  wherever the page is asked for (a link, the API, the back office).
- `@language_from_link` on a view behind a signed link honours its `?lang=`, for the page
  and for the refusal a broken link gets.
"""

from collections.abc import Callable
from contextvars import ContextVar
from functools import wraps

from django.utils import translation

from pos_project.languages import LANGUAGE_CODES

# The language a link asked for, while its view runs.
_link_language: ContextVar[str | None] = ContextVar("link_language", default=None)


def print_language(business) -> str:
    """The language `business`'s printed pages speak now: the link's choice, else its own."""
    return _link_language.get() or business.language


def printed_page(render: Callable[..., str]) -> Callable[..., str]:
    """Render the page of `subject` (first argument, with a `business`) in
    `print_language(subject.business)`."""

    @wraps(render)
    def rendered(subject, *args, **kwargs) -> str:
        with translation.override(print_language(subject.business)):
            return render(subject, *args, **kwargs)

    return rendered


def language_from_link(view: Callable) -> Callable:
    """A view behind a signed link: its `?lang=` (one of the four) chooses the language of the
    page it prints; any other value is ignored."""

    @wraps(view)
    def with_language(request, *args, **kwargs):
        language = request.GET.get("lang")
        if language not in LANGUAGE_CODES:
            return view(request, *args, **kwargs)
        chosen = _link_language.set(language)
        try:
            with translation.override(language):
                return view(request, *args, **kwargs)
        finally:
            _link_language.reset(chosen)

    return with_language
