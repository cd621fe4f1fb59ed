"""Database expressions for the names an API row shows, so that a page of rows needs no
query per row."""

from django.db.models import CharField, F, Value
from django.db.models.functions import Coalesce, Concat, NullIf, Trim


def person_name(path: str) -> Coalesce:
    """The full name of the user at `path`, else the username (NULL when no user)."""
    full = Trim(Concat(F(f"{path}__first_name"), Value(" "), F(f"{path}__last_name")))
    return Coalesce(NullIf(full, Value("")), F(f"{path}__username"), output_field=CharField())
