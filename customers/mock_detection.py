"""How a test or mock customer is recognised: pure functions of a name and a phone.

The rules (DESIGN section 9, seed 000), made precise:

- **Name word.** The name is NFKC-normalised and cut into words: a word is a maximal run
  of letters (Unicode categories L*, with their combining marks M*) of one kind, Latin or
  not, so "王伟Test" is two words. Everything else separates words: spaces, punctuation,
  the underscore, and digits. A name is a candidate when one of its words, case-folded,
  is exactly test, mock, demo, example, sample or dummy: "Test Customer", "DEMO",
  "client_test" and "Demo2" match; "Celeste", "Contessa", "Testard", "Demosthene" and
  "Mockingbird" do not.
- **Placeholder phone.** The phone's national significant number, with any leading
  trunk zeros dropped, is 123456789 or 111111111, or is made only of zeros (at least
  nine). The national number is read three ways, and any may match: as phonenumbers
  parses the text in the business's region (stripping "+212", "00212" and the national
  "0"), as the bare digits of the text, and as those digits without the region's country
  code in front (old rows stored "212123456789"). So "123456789", "123-456-789",
  "0123456789", "+212123456789", "+212 123 456 789", "00212123456789", "+1 111111111" and
  "000 000 000" all match, while a real number such as +212612345678 never does.
- **Name equals phone.** The name, trimmed and case-folded, is the phone's text; or the
  name has no letters, at least one digit, and reads as the same number as the phone
  (the same national significant number), so "0612345678" equals "+212612345678".
"""

from __future__ import annotations

import re
import unicodedata

import phonenumbers
from phonenumbers import NumberParseException

MOCK_WORDS = ("test", "mock", "demo", "example", "sample", "dummy")
PLACEHOLDER_PHONES = ("123456789", "000000000", "111111111")

_MOCK_WORDS = frozenset(MOCK_WORDS)
# Placeholders other than all zeros, as they read once leading zeros are dropped.
_NONZERO_PLACEHOLDERS = frozenset(p.lstrip("0") for p in PLACEHOLDER_PHONES if p.strip("0"))
_ZERO_PLACEHOLDER_LENGTH = 9
_NON_DIGITS = re.compile(r"\D+")


def _is_latin(char: str) -> bool:
    return unicodedata.name(char, "").startswith("LATIN")


def name_words(name: str) -> list[str]:
    """The case-folded words of `name`: runs of letters and their combining marks."""
    words: list[str] = []
    current: list[str] = []
    current_latin = False
    for char in unicodedata.normalize("NFKC", name or ""):
        kind = unicodedata.category(char)[0]
        if kind == "M" and current:
            current.append(char)
            continue
        if kind == "L":
            # Scripts written without spaces (Chinese, Japanese, Thai) may run straight
            # into a Latin word; the change of script is the word boundary there.
            latin = _is_latin(char)
            if current and latin != current_latin:
                words.append("".join(current))
                current = []
            current.append(char)
            current_latin = latin
            continue
        if current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return [word.casefold() for word in words]


def mock_words_in(name: str) -> list[str]:
    """The mock words `name` contains as whole words, in the order they appear."""
    found: list[str] = []
    for word in name_words(name):
        if word in _MOCK_WORDS and word not in found:
            found.append(word)
    return found


def national_numbers(value: str, *, region: str) -> set[str]:
    """The ways `value` can be read as a national significant number (digits only).

    phonenumbers strips a country code ("+212", "00212", or "212" when it is the region's)
    and the national trunk prefix; the bare digits are kept too, for old rows stored raw
    that phonenumbers refuses or reads differently.
    """
    digits = _NON_DIGITS.sub("", value or "")
    readings = {digits} if digits else set()
    # Old rows may hold the region's country code without "+" ("212123456789"); phonenumbers
    # only strips it when what is left is a plausible number, which a placeholder is not.
    country_code = str(phonenumbers.country_code_for_region(region) or "")
    if country_code and digits.startswith(country_code) and len(digits) > len(country_code):
        readings.add(digits[len(country_code) :])
    try:
        number = phonenumbers.parse(value, region)
    except NumberParseException:
        return readings
    national = phonenumbers.national_significant_number(number)
    if national:
        readings.add(national)
    return readings


def placeholder_phone(phone: str | None, *, region: str) -> str | None:
    """The placeholder `phone` stands for (e.g. "123456789"), or None for a real number."""
    if not phone:
        return None
    for national in sorted(national_numbers(phone, region=region)):
        core = national.lstrip("0")
        if core in _NONZERO_PLACEHOLDERS:
            return core
        if not core and len(national) >= _ZERO_PLACEHOLDER_LENGTH:
            return "000000000"
    return None


def name_is_phone(name: str, phone: str | None, *, region: str) -> bool:
    """Whether the name is just the phone number typed again (or instead of a name)."""
    if not phone or not (name or "").strip():
        return False
    if name.strip().casefold() == phone.strip().casefold():
        return True
    if any(unicodedata.category(char)[0] == "L" for char in name):
        return False
    if not any(char.isdigit() for char in name):
        return False
    name_readings = {n.lstrip("0") for n in national_numbers(name, region=region)}
    phone_readings = {n.lstrip("0") for n in national_numbers(phone, region=region)}
    return bool((name_readings & phone_readings) - {""})


def mock_reasons(name: str, phone: str | None, *, region: str) -> list[str]:
    """Why a customer looks like test data; empty for a real customer."""
    reasons = [f'name contains "{word}"' for word in mock_words_in(name)]
    placeholder = placeholder_phone(phone, region=region)
    if placeholder:
        reasons.append(f"placeholder phone {placeholder}")
    if name_is_phone(name, phone, region=region):
        reasons.append("name equals phone")
    return reasons
