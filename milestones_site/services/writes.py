"""One declaration per kind of row of the services that create, update and delete it, so
that the admin and the REST API call the same services the same way:

- `create(actor=…, **fields)` returns the new row;
- `update(<model name>=row, actor=…, data={field: value}, expected_version=…)` returns the
  row as saved (`expected_version` is the caller's If-Match, or None);
- `delete(<model name>=row, actor=…)`.

A missing service means the operation does not exist for that kind of row. `editable` names
the fields an update may change where that is fewer than its form shows (the others are
fixed once the row exists); `row_arg` is the keyword the update and delete services take
the row by, when it is not the model's name."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class Writes:
    create: Callable[..., models.Model] | None = None
    update: Callable[..., models.Model] | None = None
    delete: Callable[..., None] | None = None
    editable: tuple[str, ...] | None = None
    row_arg: str = ""

    def row_kwarg(self, row: models.Model) -> dict:
        return {self.row_arg or row._meta.model_name: row}

    def create_row(self, *, actor, data: dict) -> models.Model:
        return self.create(actor=actor, **data)

    def update_row(self, row: models.Model, *, actor, data: dict, expected_version=None):
        return self.update(
            **self.row_kwarg(row),
            actor=actor,
            data=data,
            expected_version=expected_version,
        )

    def delete_row(self, row: models.Model, *, actor) -> None:
        self.delete(**self.row_kwarg(row), actor=actor)
