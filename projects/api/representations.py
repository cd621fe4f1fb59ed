"""Annotated rows that more than one endpoint renders."""

from datetime import date

from django.db.models import F

from milestones_site.api_concurrency import etag_for
from projects.models import Project

from .names import person_name
from .serializers import ProjectSerializer


def project_rows(user, today: date):
    """Projects the user may read, with everything ProjectSerializer shows."""
    return (
        Project.objects.visible_to(user)
        .with_overview(today=today)
        .annotate(client_name=F("client__name"), owner_name=person_name("owner"))
    )


def project_representation(project_id: int, user, today: date) -> tuple[dict, str]:
    row = project_rows(user, today).get(pk=project_id)
    return ProjectSerializer(row).data, etag_for(row)
