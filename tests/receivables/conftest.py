"""Fixtures shared by the receivables tests."""

import pytest

from tests.receivables.test_receivables_service import sell_on_account


@pytest.fixture
def sell(storefront, cashier):
    """Sell `amount` on account to a customer at the shop's till, as a cashier."""

    def _sell(customer, amount, **kwargs):
        return sell_on_account(
            storefront=storefront, user=cashier, customer=customer, amount=amount, **kwargs
        )

    return _sell
