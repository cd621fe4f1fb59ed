"""External ids: an integration's own id for a project, milestone or deliverable (its CRM
record, its ad campaign), unique in the workspace among rows of the same kind. The row
keeps it in `external_id`, and in `external_key` with its workspace, which the database
keeps unique (projects.models.external_key_field)."""

from django.db import models

from milestones_site.services.errors import invalid

# What the API may set besides the fields the forms show.
EXTERNAL_ID = "external_id"


def keep_external_key(row: models.Model, workspace_id: int) -> None:
    """Set `external_key` from `external_id`; an id another row of this kind in the
    workspace has is refused with a field message (two writers at once: the unique key)."""
    row.external_key = f"{workspace_id}:{row.external_id}" if row.external_id else None
    if row.external_key is None:
        return
    others = type(row)._base_manager.filter(external_key=row.external_key).exclude(pk=row.pk)
    if others.exists():
        kind = row._meta.verbose_name
        raise invalid(
            external_id=f"Another {kind} of this workspace has the external id "
            f"“{row.external_id}”; external ids are unique per workspace."
        )
