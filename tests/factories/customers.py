"""Factories for the customers app."""

import factory
from django.db import transaction

from customers.counts import customer_counts_move, customer_counts_of
from customers.models import Customer
from customers.search import search_name_for
from receivables.summary import receivables_purchases_move
from tests.factories.kernel import BusinessFactory


class CustomerFactory(factory.django.DjangoModelFactory):
    """A customer saved straight to the table, with `search_name` kept as the services keep it.

    Its business's kept figures move with it, as the services move them: the customer
    counts, and the sums of purchases and sales when the customer is built with some, so a
    test that then reads the dashboard or runs `check_ledgers` reads figures that agree.
    """

    class Meta:
        model = Customer

    business = factory.SubFactory(BusinessFactory)
    name = factory.Sequence(lambda n: f"Client {n}")
    search_name = factory.LazyAttribute(lambda customer: search_name_for(customer.name))
    # Mobile numbers in a block (+212 71) that no test writes by hand, so a generated phone
    # never collides with one a test spells out, whatever order the tests run in.
    phone = factory.Sequence(lambda n: f"+21271{n:07d}")
    credit_limit = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with transaction.atomic():
            customer = super()._create(model_class, *args, **kwargs)
            customer_counts_move(business_id=customer.business_id, **customer_counts_of(customer))
            receivables_purchases_move(
                customer, purchases=customer.total_purchases, sales=customer.sales_count
            )
        return customer
