"""The portfolio dashboard (home page) and the workspace switcher."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from milestones_site.web.conditional import conditional_page
from milestones_site.web.navigation import safe_next
from projects.selectors.portfolio import portfolio_overview
from projects.web.forms.project import PortfolioFilterForm
from projects.web.views.common import allowed_actions
from projects.web.workspaces import current_workspace, switch_workspace


@login_required
@conditional_page
def dashboard(request):
    workspace = current_workspace(request)
    if workspace is None:
        return render(request, "projects/no_workspace.html")
    form = PortfolioFilterForm(request.GET or None, workspace=workspace)
    filters = form.filters()
    overview = portfolio_overview(
        user=request.user, workspace=workspace, filters=filters, page=request.GET.get("page")
    )
    return render(
        request,
        "projects/dashboard.html",
        {
            "overview": overview,
            "form": form,
            "filters": filters,
            "page_obj": overview.page,
            "filtered": any([filters.client, filters.status, filters.owner, filters.health]),
            "allowed": allowed_actions(request.user, workspace),
        },
    )


@login_required
@require_POST
def switch(request):
    try:
        workspace = switch_workspace(request, int(request.POST.get("workspace", "")))
    except ValueError:
        workspace = None
    if workspace is None:
        messages.error(request, "You are not a member of that workspace.")
    else:
        messages.success(request, f"Switched to {workspace.name}.")
    return redirect(safe_next(request, "projects:dashboard"))
