"""Factories for tills; sessions are opened through the service, as the POS opens them."""

import factory

from sales.models import Till
from tests.factories.kernel import StorefrontFactory


class TillFactory(factory.django.DjangoModelFactory):
    """An active till at a storefront of its business."""

    class Meta:
        model = Till

    storefront = factory.SubFactory(StorefrontFactory)
    business = factory.SelfAttribute("storefront.business")
    name = factory.Sequence(lambda n: f"Till {n}")
