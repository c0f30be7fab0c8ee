"""`sequence_take`: the receipt, return and Z numbers of a business, one per business and
kind, gap-free, the first one making the business's row."""

import pytest
from django.db import transaction

from sales.locks import sequence_take
from sales.models import ReceiptSequence, ReturnSequence, ZNumberSequence
from tests.factories.kernel import BusinessFactory

pytestmark = pytest.mark.django_db


def test_the_first_number_makes_the_row_and_each_next_follows(business):
    with transaction.atomic():
        taken = [sequence_take(ReceiptSequence, business=business) for _ in range(3)]

    assert taken == [1, 2, 3]
    assert ReceiptSequence.objects.get(business=business).last_number == 3


def test_a_block_of_numbers_answers_its_last(business):
    sequence_take(ReturnSequence, business=business)

    assert sequence_take(ReturnSequence, business=business, count=5) == 6


def test_each_kind_and_each_business_counts_alone(business):
    other = BusinessFactory()
    sequence_take(ReceiptSequence, business=business)
    sequence_take(ReceiptSequence, business=business)

    assert sequence_take(ZNumberSequence, business=business) == 1
    assert sequence_take(ReceiptSequence, business=other) == 1
    assert ReceiptSequence.label(42) == "S-000042"
    assert ReturnSequence.label(7) == "R-000007"
    assert ZNumberSequence.label(1) == "Z-000001"


def test_a_number_taken_in_a_transaction_that_rolls_back_is_given_back(business):
    sequence_take(ReceiptSequence, business=business)
    with pytest.raises(RuntimeError), transaction.atomic():
        sequence_take(ReceiptSequence, business=business)
        raise RuntimeError("refused")

    assert sequence_take(ReceiptSequence, business=business) == 2
