"""Factories for the customers app."""

import factory

from customers.models import Customer
from customers.search import search_name_for
from tests.factories.kernel import BusinessFactory


class CustomerFactory(factory.django.DjangoModelFactory):
    """A customer saved straight to the table, with `search_name` kept as the services keep it."""

    class Meta:
        model = Customer

    business = factory.SubFactory(BusinessFactory)
    name = factory.Sequence(lambda n: f"Client {n}")
    search_name = factory.LazyAttribute(lambda customer: search_name_for(customer.name))
    phone = factory.Sequence(lambda n: f"+2126{n:08d}")
    credit_limit = None
