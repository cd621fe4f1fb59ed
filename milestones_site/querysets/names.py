"""Database expressions for the names a row shows (API rows, the project page), so that a
page of rows needs no query per row.

They are subqueries on the named row's primary key rather than joins: PostgreSQL plans
the joins of a query together, at a cost that grows quickly with their number (the three
name joins of a milestone row took 1.7 ms to plan, more than the page took to run), while
it plans each such subquery on its own in microseconds."""

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import CharField, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Concat, NullIf, Trim


def row_at(path: str, model: type[models.Model]) -> models.QuerySet:
    # One row by primary key: the model's default ordering would only add joins.
    return model.objects.filter(pk=OuterRef(path)).order_by()


def name_of(path: str, model: type[models.Model]) -> Subquery:
    """The `name` of the `model` row the foreign key `path` refers to (NULL when none)."""
    return Subquery(row_at(path, model).values("name"))


def person_name(path: str) -> Subquery:
    """The full name of the user at `path`, else the username (NULL when no user)."""
    full = Trim(Concat(F("first_name"), Value(" "), F("last_name")))
    name = Coalesce(NullIf(full, Value("")), F("username"), output_field=CharField())
    return Subquery(row_at(path, get_user_model()).values(name=name))


def person_names(user_ids) -> dict[int, str]:
    """{user id: full name, else username} for these people, in one query: the names a page
    of rows shows, fetched once for the page."""
    ids = {pk for pk in user_ids if pk is not None}
    if not ids:
        return {}
    full = Trim(Concat(F("first_name"), Value(" "), F("last_name")))
    name = Coalesce(NullIf(full, Value("")), F("username"), output_field=CharField())
    users = get_user_model().objects.filter(pk__in=ids).order_by().annotate(shown=name)
    return dict(users.values_list("pk", "shown"))
