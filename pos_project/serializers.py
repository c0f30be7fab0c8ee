"""Serializer plumbing shared by the apps' APIs."""

import copy

from rest_framework import serializers

_BUILT_FIELDS: dict[type, dict] = {}


# No docstrings on these two classes: the schema would show one as the description of
# every serializer that has none of its own.
#
# A ModelSerializer whose fields are built from the model once per class. DRF builds them
# again for every serializer instance, introspecting each model field for its kwargs; for
# an answer of a few rows that costs more than the serialization itself, on every request.
# They depend only on the class (its Meta and declared fields), so each instance gets a
# deep copy of the first build, as DRF already does for declared fields. Not for
# serializers whose fields depend on the request.
class ModelFieldsOnceMixin:
    def get_fields(self):
        cls = type(self)
        if cls not in _BUILT_FIELDS:
            _BUILT_FIELDS[cls] = super().get_fields()
        return copy.deepcopy(_BUILT_FIELDS[cls])


# The base of the APIs' read-only model serializers.
class ReadModelSerializer(ModelFieldsOnceMixin, serializers.ModelSerializer):
    pass
