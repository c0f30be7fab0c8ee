"""How names and phone numbers are folded so that `?search=` finds them however typed."""

import unicodedata
from dataclasses import dataclass

from django.db.models import F, Q, Value
from django.db.models.functions import StrIndex, Substr
from django.db.models.lookups import StartsWith

from customers.phones import phone_search_patterns

# Longer than any name or number we store: the rest could never match.
MAX_QUERY_LENGTH = 200
SEARCH_NAME_LENGTH = 200


def fold_name(value: str) -> str:
    """Lower-case `value` and strip its accents: "Élodie Benaïssa" -> "elodie benaissa".

    NFKD splits each accented letter into the base letter and a combining mark; dropping
    the marks leaves text that a plain, index-friendly `contains` can match.
    """
    decomposed = unicodedata.normalize("NFKD", value)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.casefold().split())


def search_name_for(name: str) -> str:
    """What `Customer.search_name` holds for `name`.

    Folding can lengthen text ("ß" -> "ss", ligatures split), so it is cut to the column.
    """
    return fold_name(name)[:SEARCH_NAME_LENGTH]


def surname_part():
    """The folded name from its second word on ("karim benmoussa" -> "benmoussa"), the
    whole name for a name of one word. A B-tree over it (migration 0014) turns "a surname
    that starts with the query" into a range scan, as `search_name` does for the name."""
    return Substr(F("search_name"), StrIndex(F("search_name"), Value(" ")) + 1)


def _patterns(query: str, *, region: str) -> tuple[str, list[tuple[str, bool]]] | None:
    """The folded name and the phone patterns (`phone_search_patterns`) `query` searches
    for; None for a query with nothing to search for."""
    # NUL cannot be stored in, or compared with, PostgreSQL text: it can only come from a
    # malformed query, never from a name.
    query = query.replace("\x00", "")[:MAX_QUERY_LENGTH]
    folded = fold_name(query)
    return (folded, phone_search_patterns(query, region=region)) if folded else None


@dataclass(frozen=True)
class SearchConditions:
    """What `?search=` applies, from one reading of the query: every match, and the two
    kinds of best match, each served by its own B-tree range."""

    matches: Q
    starts: Q  # the name, or the number, starts with the query
    surname_starts: Q  # the name's second word does (`surname_part`)

    @property
    def best(self) -> Q:
        return self.starts | self.surname_starts


def customer_search_conditions(query: str, *, region: str) -> SearchConditions | None:
    """The conditions `?search=` applies; None for a query with nothing to search for.

    A match's name contains the query, or its phone matches it: plain `LIKE` patterns on
    the folded `search_name` and the E.164 `phone`, which the trigram indexes serve on
    PostgreSQL whatever part of the value is typed. The best matches' name, or surname,
    starts with the query, or their number with the typed digits: a cashier types the start
    of what the customer says, often the family name alone.
    """
    patterns = _patterns(query, region=region)
    if patterns is None:
        return None
    folded, phones = patterns
    matches = Q(search_name__contains=folded)
    starts = Q(search_name__startswith=folded)
    for text, is_prefix in phones:
        if is_prefix:
            matches |= Q(phone__startswith=text)
            starts |= Q(phone__startswith=text)
        else:
            matches |= Q(phone__contains=text)
    return SearchConditions(
        matches=matches, starts=starts, surname_starts=Q(StartsWith(surname_part(), folded))
    )


def customer_search_q(query: str, *, region: str) -> Q | None:
    """Every match of `query` (`customer_search_conditions`); None for nothing to search."""
    conditions = customer_search_conditions(query, region=region)
    return None if conditions is None else conditions.matches
