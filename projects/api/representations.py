"""Annotated rows that more than one endpoint renders."""

from datetime import date

from django.db.models import F, QuerySet

from milestones_site.api.concurrency import etag_for
from milestones_site.querysets.names import person_name
from projects.api.outputs import ProjectSerializer
from projects.models import Project


def project_overview_rows(today: date) -> QuerySet:
    """Every project with everything ProjectSerializer shows, derived for `today`."""
    return Project.objects.with_overview(today=today).annotate(
        client_name=F("client__name"), owner_name=person_name("owner")
    )


def project_rows(user, today: date) -> QuerySet:
    """Projects the user may read, with everything ProjectSerializer shows."""
    return project_overview_rows(today).visible_to(user)


def project_representation(project_id: int, user, today: date) -> tuple[dict, str]:
    row = project_rows(user, today).get(pk=project_id)
    return ProjectSerializer(row).data, etag_for(row)
