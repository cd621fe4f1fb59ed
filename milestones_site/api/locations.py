"""Where a row lives in the API, for the `Location` of a 201 answer: the detail route of
the resource that shows its model, as the routers registered it (milestones_site.api.urls)."""

from django.db import models
from django.urls import reverse

_BASENAMES: dict[type[models.Model], str] = {}


def register(model: type[models.Model], basename: str) -> None:
    """`basename`'s detail route (`<basename>-detail`) shows rows of `model`."""
    _BASENAMES.setdefault(model, basename)


def location_of(request, instance: models.Model) -> str:
    """The absolute URL of `instance`'s detail route."""
    path = reverse(f"api:{_BASENAMES[type(instance)]}-detail", args=[instance.pk])
    return request.build_absolute_uri(path)
