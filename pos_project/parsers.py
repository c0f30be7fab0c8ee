"""The API's JSON parser: any malformed body, however deeply nested, is a 400."""

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing bodies nested beyond what Python's parser can recurse into.

    The standard library raises `RecursionError` (not `ValueError`) on `[[[[...]]]]` a
    thousand levels deep, which DRF does not catch.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(
                _("The JSON body is nested too deeply. Send a flatter body.")
            ) from None
