"""Objects exactly as the REST API shows them, for use outside a request (webhook payloads).

Each app registers, in its `api/outputs.py`, how the API shows one of its models: the
selector of the rows a reader may read and how a list of them is rendered (its output
serializer's `serialized`, or the resource's plain output function). Django's module
autodiscovery loads those modules on first use, as the admin does for `admin.py`, so this
module imports no app."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.module_loading import autodiscover_modules

_SHOWN: dict[type[models.Model], tuple] = {}
_discovered = False


def register(model: type[models.Model], *, rows, render) -> None:
    """`rows(reader)` is a queryset of the `model` rows `reader` may read; `render(rows,
    reader=…)` their output, as the resource's endpoints render it for that reader."""
    _SHOWN[model] = (rows, render)


def serialized(serializer_class):
    """Rendering with an output serializer."""
    return lambda rows, reader: serializer_class(rows, many=True).data


def representation(target: models.Model, *, reader) -> dict | None:
    """`GET /api/v1/<resource>/<id>/` of `target` as `reader` would see it, as JSON values;
    None when no resource shows such objects or the reader cannot see this one."""
    global _discovered
    if not _discovered:
        autodiscover_modules("api.outputs")
        _discovered = True
    shown = _SHOWN.get(type(target))
    if shown is None:
        return None
    rows, render = shown
    row = rows(reader).filter(pk=target.pk).first()
    if row is None:
        return None
    return json.loads(json.dumps(render([row], reader=reader)[0], cls=DjangoJSONEncoder))
