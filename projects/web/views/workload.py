"""The workload page: who has what due per week across the workspace's open projects, the
overloaded weeks flagged, and the items behind any person's week."""

from datetime import date
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from projects.selectors.settings import workspace_projects
from projects.selectors.workload import workload, workload_items
from projects.web.forms.project import WorkloadFilterForm
from projects.web.workspaces import current_workspace


def _week_asked(request) -> date | None:
    try:
        return date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        return None


def _person_asked(request) -> int | None:
    person = request.GET.get("person", "")
    return int(person) if person.isdigit() else None


@login_required
@require_GET
def workload_page(request):
    workspace = current_workspace(request)
    if workspace is None:
        return render(request, "projects/no_workspace.html")
    projects = workspace_projects(user=request.user, workspace=workspace)
    form = WorkloadFilterForm(request.GET or None, workspace=workspace, projects=projects)
    asked = form.values()
    narrowing = {"client": asked["client"], "project": asked["project"]}
    load = workload(
        user=request.user,
        workspace=workspace,
        start=asked["start"] or workspace.today(),
        weeks=asked["weeks"],
        **narrowing,
    )
    person, week = _person_asked(request), _week_asked(request)
    items = (
        workload_items(
            user=request.user, workspace=workspace, person_id=person, start=week, **narrowing
        )
        if person and week
        else None
    )
    # The cells link to their items under the same filters.
    kept = {
        name: value
        for name, value in request.GET.items()
        if name in ("client", "project", "start", "weeks") and value
    }
    return render(
        request,
        "projects/workload.html",
        {
            "workspace": workspace,
            "form": form,
            "load": load,
            "items": items,
            "filter_query": urlencode(kept),
        },
    )
