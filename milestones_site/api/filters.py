"""The query parameters of every list, read strictly: a value a filter cannot read, an
ordering field a list does not offer or a parameter no list takes is a 400 that names the
parameter and what it accepts, never silently ignored.

Every list filters by `updated_after` (incremental sync) and orders by `updated_at` and
`id` besides its own fields; an ordering always ends with the id, so that paging through
a list that others change meanwhile neither repeats nor skips rows of equal keys. Choice
filters take several values, comma-separated or repeated (`?status=a,b`,
`?status=a&status=b`). Resources declare their filters with the classes here
(`<app>/api/filters.py`); a list without a filter set of its own gets `ResourceFilterSet`.
"""

from datetime import UTC

from django import forms
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions
from rest_framework import filters as drf_filters

from milestones_site.api.inputs import MAX_ID, listed


class StrictBooleanField(forms.Field):
    """`true` or `false` (also `1` and `0`); anything else is refused, not read as absent."""

    VALUES = {"true": True, "1": True, "false": False, "0": False}

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, str) and value.lower() in self.VALUES:
            return self.VALUES[value.lower()]
        raise forms.ValidationError(f'"{value}" is not a boolean; use true or false.')


class BooleanFilter(filters.BooleanFilter):
    field_class = StrictBooleanField

    def __init__(self, *args, **kwargs):
        # django-filter's widget reads any unknown value as "no filter"; take the raw text.
        kwargs.setdefault("widget", forms.TextInput)
        super().__init__(*args, **kwargs)


class SeveralValuesWidget(forms.SelectMultiple):
    """Values from repeated parameters, each of which may list several, comma-separated."""

    def value_from_datadict(self, data, files, name):
        raw = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        return [value for text in raw if text for value in text.split(",") if value] or None


class ChoiceFilter(filters.MultipleChoiceFilter):
    """One or more of the choices (any of them matches); a value outside them names them."""

    def __init__(self, *args, choices, **kwargs):
        kwargs.setdefault("widget", SeveralValuesWidget)
        kwargs.setdefault("distinct", False)
        names = listed(value for value, _ in choices)
        kwargs.setdefault(
            "error_messages",
            {"invalid_choice": f'"%(value)s" is not a valid choice; use one of: {names}.'},
        )
        label = kwargs.pop("label", None)
        kwargs["label"] = (
            f"{label + '. ' if label else ''}One or more of the choices, comma-separated or "
            "repeated; any of them matches."
        )
        super().__init__(*args, choices=choices, **kwargs)


VALUE_MAX_LENGTH = 200


class SeveralValuesField(forms.Field):
    """The values of a repeated parameter, as they were sent (no splitting at commas), each
    at most VALUE_MAX_LENGTH characters (longer can name no row)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        values = [text for text in (value or []) if text]
        if any(len(text) > VALUE_MAX_LENGTH for text in values):
            raise forms.ValidationError(f"A value has at most {VALUE_MAX_LENGTH} characters.")
        return values or None


@extend_schema_field({"type": "array", "items": {"type": "string", "maxLength": VALUE_MAX_LENGTH}})
class ValuesFilter(filters.Filter):
    """Any of one or more values, the parameter repeated: `?external_id=a&external_id=b`."""

    field_class = SeveralValuesField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("lookup_expr", "in")
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(filters.NumberFilter):
    field_class = forms.IntegerField


def id_filter(field_name: str, label: str) -> IdFilter:
    return IdFilter(field_name=field_name, label=label, min_value=1, max_value=MAX_ID)


class UtcDateTimeField(IsoDateTimeField):
    """An ISO 8601 instant taken in UTC: any offset Python accepts (up to ±23:59) is valid,
    while PostgreSQL refuses offsets beyond ±15:59 when the value is sent as typed."""

    default_error_messages = {
        "invalid": "Enter a date and time in ISO 8601, e.g. 2027-01-31T09:00:00Z.",
    }

    def clean(self, value):
        if value == "":  # sent, but empty: no instant (absent is None)
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        instant = super().clean(value)
        if instant is None:
            return None
        try:
            return instant.astimezone(UTC)
        except OverflowError:
            raise forms.ValidationError("Enter a date and time between years 1 and 9999.") from None


class UtcDateTimeFilter(filters.IsoDateTimeFilter):
    field_class = UtcDateTimeField


def updated_after_filter() -> UtcDateTimeFilter:
    return UtcDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gt",
        label="Only rows changed after this instant (ISO 8601, e.g. 2027-01-31T09:00:00Z): "
        "pass the time your previous pull started, less a few seconds, with "
        "`ordering=updated_at`. Deletions are listed at /deleted/.",
    )


class ResourceFilterSet(filters.FilterSet):
    """The filters every list has; a resource's filter set derives from it."""

    updated_after = updated_after_filter()


class StrictFilterBackend(filters.DjangoFilterBackend):
    """django-filter, with `ResourceFilterSet` for a list that declares no filter set."""

    def get_filterset_class(self, view, queryset=None):
        declared = super().get_filterset_class(view, queryset)
        if declared is not None or queryset is None:
            return declared
        meta = type("Meta", (), {"model": queryset.model, "fields": ()})
        return type(f"{queryset.model.__name__}FilterSet", (ResourceFilterSet,), {"Meta": meta})

    def parameter_names(self, view, queryset) -> set[str]:
        filterset_class = self.get_filterset_class(view, queryset)
        return set(filterset_class.base_filters) if filterset_class else set()


# Every list may be ordered by these, besides the fields it names itself.
COMMON_ORDERING = ("updated_at", "id")


class StrictOrderingFilter(drf_filters.OrderingFilter):
    """`?ordering=` among the list's fields (comma-separated, `-` for descending); an
    unknown field is refused. The id breaks every tie."""

    def get_valid_fields(self, queryset, view, context=None):
        own = [name for name, _ in super().get_valid_fields(queryset, view, context or {})]
        return [(name, name) for name in dict.fromkeys([*own, *COMMON_ORDERING])]

    def remove_invalid_fields(self, queryset, fields, view, request):
        valid = {name for name, _ in self.get_valid_fields(queryset, view, {"request": request})}
        unknown = [term for term in fields if term.lstrip("-") not in valid]
        if unknown:
            raise exceptions.ValidationError(
                {
                    self.ordering_param: [
                        f"Cannot order by {', '.join(unknown)}; order by one or more of: "
                        f"{', '.join(sorted(valid))} (comma-separated, `-` for descending)."
                    ]
                }
            )
        return fields

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view) or ()
        if {"id", "-id", "pk", "-pk"} & set(ordering):
            return ordering
        return (*ordering, "id")

    def get_schema_operation_parameters(self, view):
        fields = [name for name, _ in self.get_valid_fields(None, view, {})]
        terms = [term for name in fields for term in (name, f"-{name}")]
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": "Order by one or more of these fields (`-` for descending), "
                "comma-separated; ties are broken by id.",
                "style": "form",
                "explode": False,
                "schema": {"type": "array", "items": {"type": "string", "enum": terms}},
            }
        ]
