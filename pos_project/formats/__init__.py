"""The languages' format modules (FORMAT_MODULE_PATH), and the one format Django has no name
for."""

from datetime import date

from django.utils import dateformat, formats
from django.utils.translation import get_language

DEFAULT_MONTH_YEAR_FORMAT = "m/Y"


def month_year(value: date) -> str:
    """An expiry as boxes and invoices print it, in the active language: "03/2027" ("03.2027"
    in Uzbek). Django's YEAR_MONTH_FORMAT is "March 2027", which the admin's date hierarchy
    reads; each format module here names this one `MONTH_YEAR_FORMAT`."""
    for module in formats.get_format_modules(get_language()):
        pattern = getattr(module, "MONTH_YEAR_FORMAT", None)
        if pattern:
            return dateformat.format(value, pattern)
    return dateformat.format(value, DEFAULT_MONTH_YEAR_FORMAT)
