"""CSV downloads of milestones and deliverables: one project, or the portfolio as the
dashboard filters it (same query-string filters)."""

import csv

from django.contrib.auth.decorators import login_required
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from projects.models import Project
from projects.selectors.portfolio import portfolio_overview
from projects.web.exports import (
    DELIVERABLE_COLUMNS,
    MILESTONE_COLUMNS,
    csv_rows,
    deliverables_for_export,
    milestones_for_export,
)
from projects.web.forms.project import PortfolioFilterForm
from projects.web.workspaces import current_workspace

EXPORTS = {
    "milestones": (milestones_for_export, MILESTONE_COLUMNS),
    "deliverables": (deliverables_for_export, DELIVERABLE_COLUMNS),
}


class _Echo:
    """csv.writer writes to a file; this 'file' hands each line back to the generator."""

    def write(self, value: str) -> str:
        return value


def _csv_response(kind: str, projects, *, today, name: str) -> StreamingHttpResponse:
    select, columns = EXPORTS[kind]
    writer = csv.writer(_Echo())
    lines = (
        writer.writerow(row) for row in csv_rows(columns, select(projects=projects, today=today))
    )
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    filename = f"{slugify(name) or 'export'}-{kind}-{today.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _export(request, kind: str, project_id: int | None) -> StreamingHttpResponse:
    if project_id is not None:
        project = get_object_or_404(
            Project.objects.visible_to(request.user).select_related("workspace"), pk=project_id
        )
        projects = Project.objects.filter(pk=project.pk)
        return _csv_response(kind, projects, today=project.workspace.today(), name=project.name)
    workspace = current_workspace(request)
    if workspace is None:
        raise Http404("You are not a member of any workspace yet.")
    today = workspace.today()
    overview = portfolio_overview(
        user=request.user,
        workspace=workspace,
        filters=PortfolioFilterForm(request.GET or None, workspace=workspace).filters(),
        today=today,
    )
    return _csv_response(kind, overview.projects, today=today, name=workspace.slug)


@login_required
@require_GET
def export_milestones(request, project_id: int | None = None):
    return _export(request, "milestones", project_id)


@login_required
@require_GET
def export_deliverables(request, project_id: int | None = None):
    return _export(request, "deliverables", project_id)
