"""Phone numbers: one stored form, however they are typed, in whatever region."""

import pytest

from customers.phones import (
    InvalidPhoneNumber,
    is_phone_query,
    normalise_phone,
    phone_search_patterns,
)


@pytest.mark.parametrize(
    "raw",
    [
        "06 12 34 56 78",
        "0612345678",
        "06-12-34-56-78",
        "06.12.34.56.78",
        "+212 6 12 34 56 78",
        "+212612345678",
        "00212 612 345 678",
        "(06) 12 34 56 78",
    ],
)
def test_every_moroccan_spelling_of_a_mobile_is_one_number(raw):
    assert normalise_phone(raw, region="MA") == "+212612345678"


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("0522 22 33 44", "MA", "+212522223344"),  # Casablanca landline
        ("07 01 02 03 04", "MA", "+212701020304"),
        ("06 12 34 56 78", "FR", "+33612345678"),  # the same digits are French in France
        ("01 42 68 53 00", "FR", "+33142685300"),
        ("(415) 555-2671", "US", "+14155552671"),
        ("020 7946 0958", "GB", "+442079460958"),
        ("0151 23456789", "DE", "+4915123456789"),
        # A number with its country code is read the same in any region.
        ("+33 6 12 34 56 78", "MA", "+33612345678"),
        ("+212 6 12 34 56 78", "FR", "+212612345678"),
    ],
)
def test_numbers_are_read_in_the_business_region_unless_they_carry_a_country_code(
    raw, region, expected
):
    assert normalise_phone(raw, region=region) == expected


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_an_empty_phone_is_no_phone(raw):
    assert normalise_phone(raw, region="MA") is None


@pytest.mark.parametrize(
    "raw",
    [
        "abc",  # not a number at all
        "06",  # too short
        "123456789",  # possible length, but no Moroccan number starts with 1
        "0612345678901234",  # too long
        "+999 612 345 678",  # no such country code
        "x" * 300,
    ],
)
def test_what_cannot_be_a_phone_number_is_refused_with_a_message(raw):
    with pytest.raises(InvalidPhoneNumber) as error:
        normalise_phone(raw, region="MA")
    assert "phone number" in str(error.value)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # Trunk prefix: the start of a national number, or 4+ digits anywhere.
        ("0612", [("+212612", True), ("0612", False)]),
        ("061", [("+21261", True)]),
        ("06 12 34", [("+21261234", True), ("061234", False)]),
        ("02235", [("+2122235", True), ("02235", False)]),
        ("+212 61", [("+21261", True)]),
        ("00212 61", [("+21261", True), ("0021261", False)]),
        ("612 34", [("61234", False)]),  # could be anywhere in the number
        ("345678", [("345678", False)]),
    ],
)
def test_a_typed_fragment_becomes_patterns_over_e164(query, expected):
    assert phone_search_patterns(query, region="MA") == expected


def test_a_fragment_follows_the_region_trunk_prefix():
    assert phone_search_patterns("0612", region="FR") == [("+33612", True), ("0612", False)]
    # The US has no trunk 0: the digits could be anywhere.
    assert phone_search_patterns("0612", region="US") == [("0612", False)]


@pytest.mark.parametrize("query", ["Fatima", "Client 12", "", "  ", "+", "()"])
def test_text_with_letters_or_without_digits_is_not_a_phone_query(query):
    assert not is_phone_query(query)
    assert phone_search_patterns(query, region="MA") == []
