"""Phone numbers: stored in E.164, typed any way the customer says them.

A number typed without a country code is read in the business's `default_region`, so in a
Moroccan shop "06 12 34 56 78", "0612345678" and "+212 6 12 34 56 78" are all
+212612345678, the one form the per-business unique constraint compares.
"""

import re

import phonenumbers
from django.utils.translation import gettext as _
from phonenumbers import NumberParseException, PhoneNumberFormat

# What people put between the digits of a number, and nothing else: a search query made
# only of these is a phone fragment, anything with letters is a name.
_PHONE_QUERY = re.compile(r"^\+?[\d\s().\-/]+$")
_NON_DIGITS = re.compile(r"\D+")


class InvalidPhoneNumber(ValueError):
    """The text is not a phone number, or not one that can exist."""


def normalise_phone(raw: str | None, *, region: str) -> str | None:
    """`raw` in E.164 (`+212612345678`), or None when it is empty.

    Raises `InvalidPhoneNumber` with a message for people when `raw` cannot be parsed, or
    parses to a number that no operator in its country could have issued.
    """
    if raw is None or not raw.strip():
        return None
    try:
        number = phonenumbers.parse(raw, region)
    except NumberParseException as exc:
        raise InvalidPhoneNumber(
            _(
                "%(raw)s is not a phone number. Type it as the customer says it, e.g. "
                "'06 12 34 56 78', or with the country code, e.g. '+212 6 12 34 56 78'."
            )
            % {"raw": repr(raw)}
        ) from exc
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhoneNumber(
            _(
                "%(raw)s is not a valid phone number for region %(region)s; check the digits, "
                "or start with '+' and the country code for a foreign number."
            )
            % {"raw": repr(raw), "region": region}
        )
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def is_phone_query(query: str) -> bool:
    """Whether a search query looks like (part of) a phone number rather than a name."""
    return bool(_PHONE_QUERY.match(query.strip())) and any(char.isdigit() for char in query)


# A run of this many digits is worth looking for anywhere in a number: a cashier types the
# last digits the customer reads out.
MIN_DIGITS_ANYWHERE = 4


def phone_search_patterns(query: str, *, region: str) -> list[tuple[str, bool]]:
    """How to find a typed phone fragment among E.164 numbers: `(text, is_prefix)` pairs,
    any of which may match.

    - "+212 61" and "00212 61" carry the country code: stored numbers start "+21261".
    - "0612" starts with the region's trunk prefix (0 in Morocco and France), so it may be
      the start of a national number: stored numbers start "+212612".
    - "612 34" or "5678" could be any part of the number: stored numbers contain "61234".
    - A run of at least 4 digits that starts with 0 is read both ways: "02235" may be the
      start of a national number or the last digits of +212612302235.

    Returns [] when the query is not a phone fragment at all.
    """
    if not is_phone_query(query):
        return []
    stripped = query.strip()
    digits = _NON_DIGITS.sub("", stripped)
    if stripped.startswith("+"):
        return [(f"+{digits}", True)]
    anywhere = [(digits, False)] if len(digits) >= MIN_DIGITS_ANYWHERE else []
    if digits.startswith("00") and len(digits) > 2:
        return [(f"+{digits[2:]}", True), *anywhere]
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    trunk = metadata.national_prefix if metadata else None
    if trunk and digits.startswith(trunk) and len(digits) > len(trunk):
        return [(f"+{metadata.country_code}{digits[len(trunk) :]}", True), *anywhere]
    return [(digits, False)]


def display_phone(phone: str | None, *, region: str) -> str:
    """A stored E.164 number as people in the shop write it: the national form for a
    number of the shop's own region ("0612-345678" in Morocco, as the phonenumbers
    library writes it), "+33 6 12 34 56 78" for a foreign one; "" for none.
    The API keeps E.164; only pages for people use this."""
    if not phone:
        return ""
    try:
        number = phonenumbers.parse(phone, region)
    except NumberParseException:
        return phone
    own = phonenumbers.region_code_for_number(number) == region
    return phonenumbers.format_number(
        number, PhoneNumberFormat.NATIONAL if own else PhoneNumberFormat.INTERNATIONAL
    )
