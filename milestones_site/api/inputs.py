"""Base classes for the API's input serializers: they only parse and check the shape of
a request; the services decide everything else.

Unknown fields are refused (a typo must not be silently ignored), a value of the wrong
JSON type is refused rather than converted (`"name": 42`, `"email_events": 0`, `"id":
"12"`), choice errors list the valid choices, and a reference to a row the caller cannot
see reads as "does not exist" (400), exactly like a row that does not exist.
"""

import re
from collections.abc import Mapping

from django.http import QueryDict
from rest_framework import serializers

# The largest id a database row can have (a signed 64-bit integer).
MAX_ID = 2**63 - 1


def is_whole_number(text: str) -> bool:
    """ASCII digits only (str.isdigit also accepts "¹", which int() refuses)."""
    return re.fullmatch(r"[0-9]{1,30}", text) is not None


def is_valid_id(value) -> bool:
    return isinstance(value, str | int) and is_whole_number(str(value)) and 0 < int(value) <= MAX_ID


def listed(choices, limit: int = 12) -> str:
    """The choices to name in a message (a long list such as timezones is cut short)."""
    names = [str(choice) for choice in choices]
    return ", ".join(names[:limit]) + (", …" if len(names) > limit else "")


TEXT_FIELDS = (
    serializers.CharField,
    serializers.DateField,
    serializers.DateTimeField,
    serializers.TimeField,
    serializers.DurationField,
    serializers.UUIDField,
    serializers.SlugRelatedField,
)


def json_type_of(field) -> tuple[tuple[type, ...], str] | None:
    """The JSON types `field` takes, and how to name them; None where the field reads
    more than one (JSON documents, files)."""
    if isinstance(field, serializers.BooleanField):
        return (bool,), "true or false"
    if isinstance(field, serializers.MultipleChoiceField | serializers.ListField):
        return (list,), "a list"
    if isinstance(field, serializers.ManyRelatedField | serializers.ListSerializer):
        return (list,), "a list"
    if isinstance(field, serializers.ChoiceField):
        if all(isinstance(choice, int) for choice in field.choices):
            return (int,), "a whole number"
        return (str,), "a string"
    if isinstance(field, serializers.IntegerField | serializers.PrimaryKeyRelatedField):
        return (int,), "a whole number"
    if isinstance(field, serializers.FloatField):
        return (int, float), "a number"
    if isinstance(field, serializers.DecimalField):
        return (int, float, str), "a number (or a string of one)"
    if isinstance(field, TEXT_FIELDS):
        return (str,), "a string"
    if isinstance(field, serializers.DictField | serializers.Serializer):
        return (dict,), "an object"
    return None


def json_name(value) -> str:
    if isinstance(value, bool):
        return "true or false"
    names = {int: "a number", float: "a number", str: "a string", list: "a list", dict: "an object"}
    return names.get(type(value), "something else")


def wrong_json_type(field, value) -> str | None:
    """Why `value`, as parsed from JSON, is not what `field` takes; None if it is."""
    expected = json_type_of(field)
    if value is None or expected is None:
        return None
    types, name = expected
    if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
        single_choice = isinstance(field, serializers.ChoiceField) and types != (list,)
        hint = f"; use one of: {listed(field.choices)}" if single_choice else ""
        return f"Send {name}, not {json_name(value)}{hint}."
    child = getattr(field, "child", None) or getattr(field, "child_relation", None)
    if (
        isinstance(value, list)
        and child is not None
        and not isinstance(child, serializers.Serializer)
    ):
        for index, item in enumerate(value):
            problem = wrong_json_type(child, item)
            if problem:
                return f"Item {index}: {problem}"
    if isinstance(value, dict) and isinstance(field, serializers.DictField):
        for key, item in value.items():
            problem = wrong_json_type(field.child, item)
            if problem:
                return f"{key}: {problem}"
    return None


class StrictInputMixin:
    # Fields that are changed through another endpoint: {name: where to change it}.
    changed_elsewhere: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, serializers.ChoiceField):
                field.error_messages["invalid_choice"] = (
                    f'"{{input}}" is not a valid choice; use one of: {listed(field.choices)}.'
                )

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            known = sorted(name for name, field in self.fields.items() if not field.read_only)
            unknown = sorted(set(data) - set(known))
            if unknown:
                message = f"Unknown field; the fields you can send are: {', '.join(known)}."
                raise serializers.ValidationError(
                    {name: [self.changed_elsewhere.get(name, message)] for name in unknown}
                )
        if isinstance(data, Mapping) and not isinstance(data, QueryDict):
            # JSON says what type a value is (a form's values are all text).
            wrong = {
                name: wrong_json_type(field, data[name])
                for name, field in self.fields.items()
                if name in data and not field.read_only
            }
            if any(wrong.values()):
                raise serializers.ValidationError(
                    {name: [message] for name, message in wrong.items() if message}
                )
        return super().to_internal_value(data)


class InputSerializer(StrictInputMixin, serializers.Serializer):
    pass


class ModelInputSerializer(StrictInputMixin, serializers.ModelSerializer):
    """Field types, lengths and choices from the model; never saved (services write)."""


LEAD_DAYS_MESSAGE = "Enter a list of whole days between 0 and 365, e.g. [7, 1]."


class LeadDaysField(serializers.ListField):
    """Whole days before a due date when its owner is reminded: 0 to 365, at most 10 of
    them, e.g. `[7, 1]` (typed here: the model keeps them in a JSON column). JSON integers
    only: `"7"` or `7.5` is refused, not read as a day."""

    child = serializers.IntegerField(min_value=0, max_value=365)
    default_error_messages = {
        "not_whole_days": LEAD_DAYS_MESSAGE,
        "max_length": "Use at most 10 reminder days.",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 10)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, list) or not all(
            isinstance(day, int) and not isinstance(day, bool) and 0 <= day <= 365 for day in data
        ):
            self.fail("not_whole_days")
        return super().to_internal_value(data)


class IdField(serializers.PrimaryKeyRelatedField):
    """An id as a positive whole number in the database's range; else "does not exist"."""

    def to_internal_value(self, data):
        if isinstance(data, str) and not is_whole_number(data):
            self.fail("incorrect_type", data_type="text")
        if isinstance(data, int | str) and not isinstance(data, bool) and not is_valid_id(data):
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


class VisibleRelatedField(IdField):
    """An id of a row the caller can read: the field's queryset must have `visible_to(user)`."""

    default_error_messages = {
        "does_not_exist": "There is no object with id {pk_value} that you can see.",
        "incorrect_type": "Send the id as a whole number, not {data_type}.",
    }

    def get_queryset(self):
        return super().get_queryset().visible_to(self.context["request"].user)
