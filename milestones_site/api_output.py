"""The base of every API output serializer: DRF's field types, schema and output, rendered
from a plan made once per serializer class instead of once per row.

DRF builds every serializer's fields anew (about 1 ms for a milestone) and then, for every
row and field, resolves the field's source, dispatches on its type and catches the errors
a missing value raises: for a page of 100 rows of 30 fields that was most of a list
request. Here each readable field is planned once per class: how to read its value (a
plain attribute read for model columns, annotations and foreign-key ids) and how to
convert it (a builtin where DRF's conversion is exactly that builtin, else the field's own
`to_representation`). A value that cannot be read that way goes through the field's
`get_attribute`, so defaults, nulls and omitted fields behave exactly as in DRF. Date-times
are converted to the active timezone looked up once per row, not once per value (the
lookup is most of DRF's cost for a date-time).

The plan is made from fields bound to a serializer without context, so a field that reads
the context, its parent or related rows (serializer methods, nested serializers, related
fields other than a foreign key's id) is left to the serializer's own bound field.
"""

from operator import attrgetter

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models.fields.related_descriptors import ForwardManyToOneDescriptor
from django.utils import timezone
from rest_framework import ISO_8601, fields, relations, serializers
from rest_framework.settings import api_settings

# Conversions that are exactly one builtin (DRF: `return str(value)`, `return int(value)`).
BUILTIN_CONVERSIONS = {
    fields.CharField.to_representation: str,
    fields.IntegerField.to_representation: int,
}
# Fields whose conversion may read the serializer, its context or the database.
BOUND_ONLY = (
    serializers.BaseSerializer,
    relations.RelatedField,
    relations.ManyRelatedField,
    fields.SerializerMethodField,
    fields.HiddenField,
)


def active_zone():
    """The timezone DRF's DateTimeField renders in (None when time zones are off)."""
    return timezone.get_current_timezone() if settings.USE_TZ else None


class IsoDateTime:
    """DRF's ISO 8601 rendering of an aware date-time in the active timezone, with that
    timezone passed in; anything else is left to the field."""

    def __init__(self, field: fields.DateTimeField):
        self.field = field

    def __call__(self, value, zone) -> str:
        if zone is None or isinstance(value, str) or timezone.is_naive(value):
            return self.field.to_representation(value)
        try:
            text = value.astimezone(zone).isoformat()
        except OverflowError:
            return self.field.to_representation(value)  # DRF's own error
        return text[:-6] + "Z" if text.endswith("+00:00") else text


def renders_iso_in_active_zone(field: fields.Field) -> bool:
    output_format = getattr(field, "format", api_settings.DATETIME_FORMAT)
    return (
        type(field).to_representation is fields.DateTimeField.to_representation
        and not hasattr(field, "timezone")
        and isinstance(output_format, str)
        and output_format.lower() == ISO_8601
    )


def context_free(field: fields.Field) -> bool:
    child = getattr(field, "child", None)
    return not isinstance(field, BOUND_ONLY) and (child is None or context_free(child))


def planned(field: fields.Field, model: type[models.Model]) -> tuple | None:
    """(read, convert) for a field whose value is one attribute of the row, else None;
    convert is None when the value is shown as read."""
    if len(field.source_attrs) != 1:
        return None
    name = field.source_attrs[0]
    declared = getattr(model, name, None)
    if isinstance(field, relations.PrimaryKeyRelatedField):
        if field.pk_field is None and isinstance(declared, ForwardManyToOneDescriptor):
            return attrgetter(declared.field.attname), None  # the id, as it is
        return None
    if not context_free(field) or isinstance(declared, ForwardManyToOneDescriptor):
        return None
    if callable(declared):
        return None  # DRF calls methods named as a source
    if renders_iso_in_active_zone(field):
        return attrgetter(name), IsoDateTime(field)
    convert = BUILTIN_CONVERSIONS.get(type(field).to_representation, field.to_representation)
    return attrgetter(name), convert


class OutputListSerializer(serializers.ListSerializer):
    """Looks the active timezone up once for the whole list rather than once per row."""

    def to_representation(self, data) -> list[dict]:
        rows = data.all() if isinstance(data, models.manager.BaseManager) else data
        zone = active_zone()
        return [self.child.render(row, zone) for row in rows]


class OutputSerializer(serializers.ModelSerializer):
    """Renders only; the fields come from the model or the queryset's annotations."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        meta = getattr(cls, "Meta", None)
        if meta is not None and not hasattr(meta, "list_serializer_class"):
            meta.list_serializer_class = OutputListSerializer

    @classmethod
    def _plan(cls) -> list[tuple]:
        """[(field name, read, convert, zoned)]: `convert` takes the active timezone too
        when `zoned` and is None for values shown as read; `read` is None for fields that
        must be rendered by this serializer's own bound field."""
        plan = cls.__dict__.get("_planned")
        if plan is None:
            plan = []
            for field in cls()._readable_fields:
                read, convert = planned(field, cls.Meta.model) or (None, None)
                zoned = isinstance(convert, IsoDateTime)
                plan.append((field.field_name, read, convert, zoned))
            cls._planned = plan
        return plan

    def to_representation(self, instance) -> dict:
        return self.render(instance, active_zone())

    def render(self, instance, zone) -> dict:
        """The row's output, date-times shown in `zone` (the active timezone)."""
        row = {}
        for name, read, convert, zoned in self._plan():
            if read is None:
                self._render_as_drf(row, name, instance)
                continue
            try:
                value = read(instance)
            except (AttributeError, KeyError, ObjectDoesNotExist):
                # DRF's rules for a value that is not there: default, null or omitted.
                self._render_as_drf(row, name, instance)
                continue
            if value is None or convert is None:
                row[name] = value
            elif zoned:
                row[name] = convert(value, zone)
            else:
                row[name] = convert(value)
        return row

    def _render_as_drf(self, row: dict, name: str, instance) -> None:
        """One field exactly as DRF's Serializer.to_representation renders it."""
        field = self.fields[name]
        try:
            value = field.get_attribute(instance)
        except fields.SkipField:
            return
        present = value.pk if isinstance(value, relations.PKOnlyObject) else value
        row[name] = None if present is None else field.to_representation(value)
