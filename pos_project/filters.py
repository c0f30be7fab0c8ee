"""Filters every app's list endpoints share."""

from datetime import UTC

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import gettext as _
from django_filters.fields import DateRangeWidget, IsoDateTimeField, RangeField
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions
from rest_framework.filters import OrderingFilter


class UtcIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time, converted to UTC before it reaches the database.

    Python accepts UTC offsets up to 24 hours and PostgreSQL only up to about 16, and a date
    near year 1 or 9999 can overflow when shifted; either would fail in the driver (a 500)
    instead of being refused as bad input.
    """

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(UTC)
        except OverflowError:
            raise ValidationError(_("Date-time out of range."), code="invalid") from None


class UtcIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField


def _by_user_id(queryset, field_name: str, value: int):
    # The type hint is what documents the parameter as an integer in the schema.
    key_type = get_user_model()._meta.pk.get_internal_type()
    low, high = connection.ops.integer_field_range(key_type)
    # No user can have an id the column cannot hold; the driver would fail on it instead.
    if (low is not None and value < low) or (high is not None and value > high):
        return queryset.none()
    return queryset.filter(**{field_name: value})


class UserIdFilter(django_filters.NumberFilter):
    """A user's id. An integer: a decimal filter would quietly truncate "1.5" to user 1."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, method=_by_user_id, **kwargs)


class StrictFilterSet(django_filters.FilterSet):
    """A filter set that refuses what the schema does not allow instead of ignoring it.

    django-filter reads a blank value (`?status=`) as "no filter", and a boolean that is
    not `true` or `false` (`?walk_in=yes`) as no filter too, so a client's mistake would
    look like a list that ignores it. Both are a 400 naming the parameter, as any other
    value the schema does not allow. (Unknown parameters are still ignored: see
    `pos_project.schema`.)
    """

    def is_valid(self):
        valid = super().is_valid()
        for name, message in self._refused_values():
            self.form.add_error(name, message)
        return valid and not self.form.errors

    def _refused_values(self):
        for name, filter_ in self.filters.items():
            suffixes = getattr(filter_.field.widget, "suffixes", None) or [""]
            for key in (f"{name}_{suffix}" if suffix else name for suffix in suffixes):
                raw = self.data.get(key)
                if raw is None:
                    continue
                # A blank is a string like any other for a text filter (an empty search box
                # searches nothing); for a choice, a number, an id or a date it is no value.
                if not raw.strip() and not isinstance(filter_, django_filters.CharFilter):
                    yield name, _("Send a value, or leave the parameter out.")
                elif isinstance(filter_, django_filters.BooleanFilter) and raw not in (
                    "true",
                    "false",
                ):
                    yield name, _("Use true or false.")


class StrictFilterBackend(DjangoFilterBackend):
    """The filter backend for a view that names its `filterset_fields`: its filter set is
    strict too."""

    filterset_base = StrictFilterSet


class UtcIsoDateTimeRangeField(RangeField):
    widget = DateRangeWidget

    def __init__(self, *args, **kwargs):
        super().__init__((UtcIsoDateTimeField(), UtcIsoDateTimeField()), *args, **kwargs)


class UtcIsoDateTimeFromToRangeFilter(django_filters.IsoDateTimeFromToRangeFilter):
    field_class = UtcIsoDateTimeRangeField


class StrictOrderingFilter(OrderingFilter):
    """`?ordering=` over the view's `ordering_fields` only.

    One field at a time. An unknown field, several, or a blank value is a 400 naming the
    allowed ones,
    never a silent default order, and the schema declares them (each with its `-` form) as
    an enum, so a generated client offers exactly what the server accepts. (Each list
    breaks ties itself, so that pages never repeat or skip a row.)
    """

    ordering_description = (
        "Sort by one of the listed fields; a leading `-` sorts descending. Any other value, "
        "several fields included, is a 400."
    )

    def allowed_terms(self, view) -> list[str]:
        fields = getattr(view, "ordering_fields", None) or []
        return [term for field in fields for term in (field, f"-{field}")]

    def get_ordering(self, request, queryset, view):
        raw = request.query_params.get(self.ordering_param)
        if raw is None:
            return self.get_default_ordering(view)
        # Compared as sent: " name" or "name," is not in the schema's enum, so not taken.
        terms = raw.split(",")
        allowed = self.allowed_terms(view)
        unknown = [term for term in terms if term not in allowed]
        if unknown or len(terms) > 1:
            if not raw.strip():
                problem = _("Send a field to sort by.")
            elif unknown:
                problem = _("Unknown ordering %(terms)s.") % {"terms": ", ".join(unknown)}
            else:
                problem = _("One field at a time.")
            allowed_terms = _("Allowed: %(terms)s.") % {"terms": ", ".join(allowed)}
            raise exceptions.ValidationError({self.ordering_param: [f"{problem} {allowed_terms}"]})
        return terms

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": self.ordering_description,
                "schema": {"type": "string", "enum": self.allowed_terms(view)},
            }
        ]
