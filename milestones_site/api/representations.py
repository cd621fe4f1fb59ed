"""An object exactly as the API's detail endpoint shows it, for use outside a request
(webhook payloads): the same viewset builds the row and renders it."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.test import RequestFactory
from rest_framework.request import Request

from milestones_site.api.viewsets import RetrieveMixin, ServiceViewSet


def viewset_for(model: type[models.Model]) -> type[ServiceViewSet] | None:
    from milestones_site.api.urls import router

    for _prefix, viewset, _basename in router.registry:
        if getattr(viewset, "model", None) is model and issubclass(viewset, RetrieveMixin):
            return viewset
    return None


def api_representation(target: models.Model, *, reader) -> dict | None:
    """`GET /api/v1/<resource>/<id>/` of `target` as `reader` would see it; None when no
    resource shows such objects or the reader cannot see this one."""
    viewset_class = viewset_for(type(target))
    if viewset_class is None:
        return None
    request = Request(RequestFactory().get("/"))
    request.user, request.auth = reader, None  # nothing left to authenticate
    view = viewset_class(request=request, action="retrieve", format_kwarg=None, kwargs={})
    row = view.get_queryset().filter(pk=target.pk).first()
    if row is None:
        return None
    return json.loads(json.dumps(view.get_serializer(row).data, cls=DjangoJSONEncoder))
