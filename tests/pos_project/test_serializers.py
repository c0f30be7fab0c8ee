"""`ReadModelSerializer`: fields built once per class, a fresh copy for every instance, and
each row's cells read directly, to the same answer as DRF's own walk."""

from decimal import Decimal

import pytest
from django.core.exceptions import ObjectDoesNotExist
from rest_framework import serializers

from customers.api.serializers import CustomerSerializer
from pos_project.serializers import DirectCellsMixin
from sales.api.serializers import SaleDetailSerializer, SaleSerializer
from tests.factories.customers import CustomerFactory
from tests.factories.sales import SaleFactory, SaleItemFactory, recompute


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


class _Owner:
    name = "Amina"


class _Row:
    """An object with every kind of cell DRF's walk treats apart."""

    def __init__(self):
        self.name = "Karim"
        self.owner = _Owner()
        self.nothing = None

    def shout(self):
        return "KARIM!"

    @property
    def account(self):
        # As a one-to-one row that does not exist reads.
        raise ObjectDoesNotExist


class _Cells(serializers.Serializer):
    name = serializers.CharField()
    owner_name = serializers.CharField(source="owner.name")
    shout = serializers.CharField()
    nothing = serializers.CharField(allow_null=True)
    account = serializers.CharField(allow_null=True)
    absent = serializers.CharField(required=False)
    with_default = serializers.CharField(required=False, default="none given")
    upper = serializers.SerializerMethodField()

    def get_upper(self, row):
        return (row["name"] if isinstance(row, dict) else row.name).upper()


class _DirectCells(DirectCellsMixin, _Cells):
    pass


@pytest.mark.parametrize(
    "row",
    [
        _Row(),
        {"name": "Karim", "owner": {"name": "Amina"}, "shout": "KARIM!", "nothing": None},
    ],
    ids=["object", "values row"],
)
def test_direct_cells_answer_what_drfs_walk_answers(row):
    # A dotted source, a method to call, None, a related row that does not exist, a missing
    # optional cell (left out, or its default) and a method field: each as DRF gives it.
    direct = _DirectCells(row).data
    assert direct == _Cells(row).data
    assert list(direct) == list(_Cells(row).data)
    assert direct["shout"] == "KARIM!" and "absent" not in direct
    assert direct["account"] is None


@pytest.mark.django_db
def test_the_read_serializers_answer_what_drfs_walk_answers():
    customer = CustomerFactory(email="", credit_limit=Decimal("150.00"))
    sale = SaleFactory(business=customer.business, customer=customer)
    SaleItemFactory(sale=sale, quantity=2)
    recompute(sale)
    for serializer_class, instance in (
        (CustomerSerializer, customer),
        (SaleSerializer, sale),
        (SaleDetailSerializer, sale),
    ):
        serializer = serializer_class(instance)
        # DRF's own `to_representation`, cell by cell through `get_attribute`.
        walked = serializers.Serializer.to_representation(serializer_class(instance), instance)
        assert serializer.data == walked
        assert list(serializer.data) == list(walked)
