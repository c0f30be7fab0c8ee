"""Serializer plumbing shared by the apps' APIs."""

import copy
from collections.abc import Mapping
from functools import cached_property

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject

from pos_project.money import MAX_DIGITS

_BUILT_FIELDS: dict[type, dict] = {}


# No docstrings on these two classes: the schema would show one as the description of
# every serializer that has none of its own.
#
# A ModelSerializer whose fields are built from the model once per class. DRF builds them
# again for every serializer instance, introspecting each model field for its kwargs; for
# an answer of a few rows that costs more than the serialization itself, on every request.
# They depend only on the class (its Meta and declared fields), so each instance gets a
# copy of the first build (`fields_copied`). Not for serializers whose fields depend on the
# request.
class ModelFieldsOnceMixin:
    def get_fields(self):
        cls = type(self)
        if cls not in _BUILT_FIELDS:
            _BUILT_FIELDS[cls] = super().get_fields()
        return fields_copied(_BUILT_FIELDS[cls])


def fields_copied(fields: dict) -> dict:
    """Each serializer instance's own copy of its class's unbound `fields`.

    Binding sets a field's name and parent on the copy, so a plain field needs a shallow
    copy only; DRF's deep copy builds every field again from its arguments, which took half
    of a sale's serialization. A nested serializer, or a field holding a child field (a
    list, a dict, a many-to-many), is bound together with its child: copied whole.
    """
    return {
        name: copy.deepcopy(field)
        if isinstance(field, serializers.BaseSerializer)
        or hasattr(field, "child")
        or hasattr(field, "child_relation")
        else copy.copy(field)
        for name, field in fields.items()
    }


# A serializer that reads each cell of a row straight off it. DRF's walk per cell (dotted
# sources, callables, skipped and missing attributes) cost as much as the cells' formatting
# on a page of 50 customers or debtors, though nearly every field reads one attribute, or
# one key of a `.values()` row, under its own source. Those fields are read directly; a
# method field gets the row; any other field (a relation, a dotted source, a field with
# its own `get_attribute`) and any cell the direct read cannot give (missing, a related row
# that does not exist, or a method to call) take DRF's own path, so the answer is the same.
class DirectCellsMixin:
    def to_representation(self, instance):
        keyed = isinstance(instance, Mapping)
        cells = {}
        for name, field, attribute in self._cells:
            if attribute is not None:
                try:
                    value = instance[attribute] if keyed else getattr(instance, attribute)
                except (AttributeError, KeyError, ObjectDoesNotExist):
                    pass
                else:
                    if not callable(value):
                        cells[name] = None if value is None else field.to_representation(value)
                        continue
            try:
                value = field.get_attribute(instance)
            except SkipField:
                continue
            is_none = (value.pk if isinstance(value, PKOnlyObject) else value) is None
            cells[name] = None if is_none else field.to_representation(value)
        return cells

    @cached_property
    def _cells(self) -> list[tuple[str, serializers.Field, str | None]]:
        # Bound once per serializer: a page's rows share its list serializer's child.
        return [
            (field.field_name, field, _direct_attribute(field)) for field in self._readable_fields
        ]


def _direct_attribute(field: serializers.Field) -> str | None:
    """The attribute `field` reads, when DRF's generic read of one attribute is all it does."""
    if isinstance(field, serializers.SerializerMethodField):
        return None
    if type(field).get_attribute is not serializers.Field.get_attribute:
        return None
    if len(field.source_attrs) != 1:
        return None
    return field.source_attrs[0]


# The base of the APIs' read-only model serializers.
class ReadModelSerializer(DirectCellsMixin, ModelFieldsOnceMixin, serializers.ModelSerializer):
    pass


# The base of the APIs' input bodies. It refuses a key it does not accept, naming the ones
# it does, instead of dropping it: a typo such as `prix_brr` would otherwise "succeed" and
# change nothing, and a read-only key such as `total_stock` would look like it set the
# stock. A body lists in `read_only_names` what its resource's answer shows but the body
# does not take (a customer's balance, its statistics): those are refused as read-only,
# which says more than "unknown". Each instance copies its declared fields as the read
# serializers do.
class StrictSerializer(serializers.Serializer):
    rejects_unknown_fields = True  # the schema says `additionalProperties: false`
    read_only_names: frozenset[str] = frozenset()

    def get_fields(self):
        return fields_copied(self._declared_fields)

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            extra = sorted(str(key) for key in data if key not in writable)
            if extra:
                accepted = ", ".join(sorted(writable))
                raise serializers.ValidationError(
                    {
                        key: [
                            _("This field is read-only.")
                            if key in self.read_only_names
                            else _("Unknown field. Accepted fields: %(fields)s.")
                            % {"fields": accepted}
                        ]
                        for key in extra
                    }
                )
        return super().to_internal_value(data)


class MoneyField(serializers.DecimalField):
    """An amount sent to the API: at most two decimal places, and MAX_DIGITS digits in all.

    Too many decimal places is said first: `0.30000000000000004` (a float that went through
    JSON) is a till sending fractions of a cent, not too large an amount, and DRF would
    otherwise answer "no more than 14 digits in total".
    """

    default_error_messages = {
        "max_decimal_places": 'Use at most two decimal places, such as "12.50".',
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", MAX_DIGITS)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)

    def validate_precision(self, value):
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > self.decimal_places:
            self.fail("max_decimal_places", max_decimal_places=self.decimal_places)
        return super().validate_precision(value)


def merge_alias(attrs: dict, *, name: str, alias: str, what: str, required: bool) -> dict:
    """Take `alias` as another name for the field `name` (front ends written for other
    systems send it): either may be sent, or both when they are equal; the value ends up
    under `name`. For a serializer's `validate`, with both declared as optional fields.
    """
    aliased = attrs.pop(alias, None)
    value = attrs.get(name)
    if aliased is not None and value is not None and aliased != value:
        raise serializers.ValidationError(
            {
                alias: [
                    _(
                        "`%(alias)s` (%(aliased)s) and `%(name)s` (%(value)s) are the same "
                        "%(what)s and must be equal; send only one of them."
                    )
                    % {
                        "alias": alias,
                        "aliased": aliased,
                        "name": name,
                        "value": value,
                        "what": what,
                    }
                ]
            }
        )
    if aliased is not None:
        attrs[name] = aliased
    if required and name not in attrs:
        raise serializers.ValidationError(
            {
                name: [
                    _("Send the %(what)s as `%(name)s` or `%(alias)s`.")
                    % {"what": what, "name": name, "alias": alias}
                ]
            }
        )
    return attrs
