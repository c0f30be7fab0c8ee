import factory
from django.contrib.auth import get_user_model

from pos_project.models import Business, Role, StaffMember, Storefront

PASSWORD = "correct-horse-battery-staple"


class BusinessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Business

    name = factory.Sequence(lambda n: f"Pharmacie {n}")


class StorefrontFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Storefront

    business = factory.SubFactory(BusinessFactory)
    name = factory.Sequence(lambda n: f"Storefront {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMember

    user = factory.SubFactory(UserFactory)
    business = factory.SubFactory(BusinessFactory)
    role = Role.CASHIER


def printed_in(business, language: str) -> None:
    """The business prints its receipts, slips, reports and statements in `language`."""
    business.language = language
    business.save(update_fields=["language"])
