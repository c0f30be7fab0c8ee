"""Page-number pagination for lists, cursor pagination for the long append-only ones."""

from functools import partial

from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import Count, Window
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination, PageNumberPagination

# Page numbers up to 999,999,999: times the largest page size, far inside a 64-bit offset.
MAX_PAGE_DIGITS = 9


def is_positive_number(raw: str) -> bool:
    # ASCII digits only: str.isdigit() also accepts '²', which int() refuses. No int() here:
    # Python refuses to convert thousands of digits.
    return raw.isascii() and raw.isdigit() and raw.strip("0") != ""


class StrictPageSize:
    """`?page_size=` must be a whole number from 1; above the maximum it is the maximum.

    DRF would quietly fall back to the default page size for 0, -1 or 'abc', so a client's
    mistake would look like a short list instead of an error.
    """

    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is not None and not is_positive_number(raw.strip()):
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("Use a whole number from 1 to %(largest)s.")
                        % {"largest": self.max_page_size}
                    ]
                }
            )
        return super().get_page_size(request)

    def _with_bounds(self, parameters: list[dict]) -> list[dict]:
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                # No `maximum`: a larger number is taken, as the largest page.
                parameter["schema"] = {**parameter["schema"], "minimum": 1}
                parameter["description"] = (
                    f"Rows per page, 1 to {self.max_page_size} (a larger number gives "
                    f"{self.max_page_size}); anything else is a 400."
                )
        return parameters

    def get_schema_operation_parameters(self, view):
        return self._with_bounds(super().get_schema_operation_parameters(view))


class StandardPagination(StrictPageSize, PageNumberPagination):
    """Numbered pages: `?page=` from 1 (or `last`); malformed is a 400, past the end a 404."""

    page_size = 50

    def check_page_number(self, request) -> None:
        raw = request.query_params.get(self.page_query_param)
        if raw is None or raw in self.last_page_strings or is_positive_number(raw):
            return
        raise ValidationError({self.page_query_param: [_("Use a page number from 1, or 'last'.")]})

    def paginate_queryset(self, queryset, request, view=None):
        self.check_page_number(request)
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
                parameter["description"] = (
                    "Page number from 1. A malformed number (0, -1, 'abc') is a 400; a page "
                    "past the last one is a 404."
                )
        return parameters


class CountedPaginator(Paginator):
    """Django's paginator, told the number of rows when the caller already knows it.

    For lists whose size is kept on a row or computed with their totals: the COUNT(*) it
    saves is a scan of every row the list selects.
    """

    def __init__(self, object_list, per_page, *, count: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        if count is not None:
            # `count` is a cached property: a value on the instance is read instead.
            self.count = count


class KnownCountPagination(StandardPagination):
    """`StandardPagination` for a view that sets `known_count` before paginating."""

    known_count: int | None = None

    @property
    def django_paginator_class(self):
        return partial(CountedPaginator, count=self.known_count)


# A search answers at most this many matches, the best first: a till shows a page of
# them, and a query that matches more is narrowed by typing more, not paged through.
SEARCH_MATCH_LIMIT = 200


class SearchPagination(StandardPagination):
    """`StandardPagination` whose searches count no more than they can show.

    Without a search the list is counted as usual (`count` is exact, `count_capped` false).
    With one, `count` counts the matches up to `SEARCH_MATCH_LIMIT`, and `count_capped` says
    that more match; pages reach the first `SEARCH_MATCH_LIMIT` matches only. The page and
    its count are read at once (a window count over the matches the view shortlisted), so
    a search costs one statement however many customers match.
    """

    search_param = "search"
    match_limit = SEARCH_MATCH_LIMIT
    count_capped = False

    def paginate_queryset(self, queryset, request, view=None):
        self.check_page_number(request)
        self.count_capped = False
        # A blank search is the list itself, counted exactly (the filter strips it too).
        if not (request.query_params.get(self.search_param) or "").strip():
            return super().paginate_queryset(queryset, request, view)
        self.request = request
        page_size = self.get_page_size(request)
        raw_number = request.query_params.get(self.page_query_param) or "1"
        if raw_number in self.last_page_strings:
            number = self._paginator(queryset, page_size, queryset.count()).num_pages
        elif len(raw_number) > MAX_PAGE_DIGITS:
            raise NotFound(self._past_the_matches())
        else:
            number = int(raw_number)
        start = (number - 1) * page_size
        if start >= self.match_limit:
            raise NotFound(self._past_the_matches())
        end = min(start + page_size, self.match_limit)
        rows = list(queryset.annotate(matches=Window(Count("pk")))[start:end])
        # Past the last page there is no row to carry the number of matches.
        matches = rows[0].matches if rows else queryset.count()
        paginator = self._paginator(queryset, page_size, matches)
        try:
            paginator.validate_number(number)
        except InvalidPage as error:
            message = self.invalid_page_message.format(page_number=raw_number, message=error)
            raise NotFound(message) from None
        self.page = Page(rows, number, paginator)
        return rows

    def _paginator(self, queryset, page_size: int, matches: int) -> CountedPaginator:
        self.count_capped = matches > self.match_limit
        return CountedPaginator(queryset, page_size, count=min(matches, self.match_limit))

    def _past_the_matches(self) -> str:
        return _(
            "A search shows its first %(limit)s matches only; type more of the name or "
            "number to narrow it."
        ) % {"limit": self.match_limit}

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["count_capped"] = self.count_capped
        return response

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"]["count"]["description"] = str(
            _(
                "Without `search`: the number of customers the list selects. With `search`: "
                "the number of matches, counted up to %(limit)s."
            )
            % {"limit": self.match_limit}
        )
        paginated["properties"]["count_capped"] = {
            "type": "boolean",
            "description": str(
                _(
                    "True when a search matches more than %(limit)s customers: `count` then "
                    "says %(limit)s and the pages rank %(limit)s of the matches, the first "
                    "found; typing more narrows the search. Always false without `search`."
                )
                % {"limit": self.match_limit}
            ),
        }
        paginated["required"] = [*paginated["required"], "count_capped"]
        return paginated


class NewestFirstCursorPagination(StrictPageSize, CursorPagination):
    """For append-only logs: stable under inserts, and constant cost at any depth."""

    page_size = 50
    ordering = ("-created_at", "-id")
