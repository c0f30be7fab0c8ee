"""The business's settings as a person picks them: currencies, phone regions and time zones
by readable names, in the language of the page.

The codes stay what the API and the database keep (`MAD`, `MA`, `Africa/Casablanca`); only
the labels are for people. Names come from the Unicode CLDR data that babel carries.
"""

import zoneinfo

from babel import Locale
from babel.numbers import get_currency_name, list_currencies
from django.utils.translation import get_language, to_locale
from phonenumbers import SUPPORTED_REGIONS


def page_locale() -> Locale:
    """babel's locale of the active language (English when none is active)."""
    return Locale.parse(to_locale(get_language() or "en"))


def currency_choices() -> list[tuple[str, str]]:
    """`("MAD", "MAD - Moroccan Dirham")`, ..., sorted by code."""
    locale = page_locale()
    return [
        (code, f"{code} - {get_currency_name(code, locale=locale)}")
        for code in sorted(list_currencies())
    ]


def region_choices() -> list[tuple[str, str]]:
    """`("MA", "Morocco (MA)")`, ..., sorted by name: the regions phone numbers are read in."""
    territories = page_locale().territories
    named = [
        (code, f"{territories.get(code, code)} ({code})")
        for code in SUPPORTED_REGIONS
        if code.isalpha()
    ]
    return sorted(named, key=lambda choice: choice[1].casefold())


def time_zone_choices() -> list[tuple[str, str]]:
    """`("Africa/Casablanca", "Africa / Casablanca")`, ..., the zones this Python knows."""
    return [
        (zone, zone.replace("_", " ").replace("/", " / "))
        for zone in sorted(zoneinfo.available_timezones())
    ]
