"""Accounts-receivable actions on a customer: payments, credit adjustments, statements."""


class CustomerReceivablesMixin:
    """Adds the receivables actions to the customer viewset."""
