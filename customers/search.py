"""How names and phone numbers are folded so that `?search=` finds them however typed."""

import re
import unicodedata

_NON_DIGITS = re.compile(r"\D+")


def fold_name(value: str) -> str:
    """Lower-case `value` and strip its accents: "Élodie Benaïssa" -> "elodie benaissa".

    NFKD splits each accented letter into the base letter and a combining mark; dropping
    the marks leaves text that a plain, index-friendly `contains` can match.
    """
    decomposed = unicodedata.normalize("NFKD", value)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.casefold().split())
