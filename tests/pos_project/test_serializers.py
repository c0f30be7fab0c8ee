"""`ReadModelSerializer`: fields built once per class, a fresh copy for every instance."""

from rest_framework import serializers

from customers.api.serializers import CustomerSerializer
from sales.api.serializers import SaleDetailSerializer, SaleSerializer


def test_the_fields_are_those_drf_builds():
    for serializer_class in (CustomerSerializer, SaleSerializer, SaleDetailSerializer):
        built = serializer_class().fields
        # DRF's own build, for a fresh instance, without the cache.
        plain = serializers.ModelSerializer.get_fields(serializer_class())
        assert list(built) == list(plain)
        assert [repr(field) for field in built.values()] == [
            repr(field) for field in plain.values()
        ]


def test_a_subclass_keeps_its_own_fields():
    assert "items" not in SaleSerializer().fields
    assert "items" in SaleDetailSerializer().fields
    assert "items" not in SaleSerializer().fields


def test_each_instance_gets_its_own_field_objects():
    first, second = CustomerSerializer(), CustomerSerializer()
    assert first.fields["name"] is not second.fields["name"]
    assert first.fields["name"].parent is first
    assert second.fields["name"].parent is second
