"""The portfolio dashboard (home page), the lists its headline cards open (milestones due
soon, overdue or at risk; deliverables awaiting review), and the workspace switcher."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from milestones_site.web.conditional import conditional_page
from milestones_site.web.navigation import safe_next
from projects.selectors.portfolio import (
    MILESTONE_LISTS,
    portfolio_milestones,
    portfolio_overview,
    portfolio_reviews,
)
from projects.web.forms.project import PortfolioFilterForm, filter_params
from projects.web.views.common import allowed_actions
from projects.web.workspaces import current_workspace, switch_workspace


def card_links(params: dict[str, str]) -> dict[str, str]:
    """Where each headline card leads: the list of what it counts, under the same filters."""
    milestones = reverse("projects:portfolio_milestones")

    def to(url: str, **extra) -> str:
        query = urlencode({**params, **extra})
        return f"{url}?{query}" if query else url

    return {
        "active_projects": to(reverse("projects:dashboard"), status="active"),
        "due_next_7_days": to(milestones, when="due_soon"),
        "overdue": to(milestones, when="overdue"),
        "at_risk": to(milestones, when="at_risk"),
        "awaiting_review": to(reverse("projects:portfolio_reviews")),
    }


def portfolio_context(request, workspace) -> dict:
    """The filters of the dashboard and of the lists its cards open (read from the query
    string so a view can be bookmarked)."""
    form = PortfolioFilterForm(request.GET or None, workspace=workspace)
    filters = form.filters()
    params = filter_params(filters)
    return {
        "form": form,
        "filters": filters,
        "filtered": bool(params),
        "filter_query": urlencode(params),
        "cards": card_links(params),
        "allowed": allowed_actions(request.user, workspace),
        "workspace": workspace,
    }


@login_required
@conditional_page
def dashboard(request):
    workspace = current_workspace(request)
    if workspace is None:
        return render(request, "projects/no_workspace.html")
    context = portfolio_context(request, workspace)
    overview = portfolio_overview(
        user=request.user,
        workspace=workspace,
        filters=context["filters"],
        page=request.GET.get("page"),
    )
    return render(
        request,
        "projects/dashboard.html",
        {**context, "overview": overview, "page_obj": overview.page},
    )


@login_required
@require_GET
def milestone_list(request):
    """The open milestones a headline card counts (`?when=`), in the filtered projects."""
    workspace = current_workspace(request)
    if workspace is None:
        return render(request, "projects/no_workspace.html")
    context = portfolio_context(request, workspace)
    when = request.GET.get("when", "open")
    when = when if when in MILESTONE_LISTS else "open"
    page = portfolio_milestones(
        user=request.user,
        workspace=workspace,
        filters=context["filters"],
        when=when,
        page=request.GET.get("page"),
    )
    return render(
        request,
        "projects/portfolio_milestones.html",
        {
            **context,
            "page_obj": page,
            "when": when,
            "heading": MILESTONE_LISTS[when],
            "lists": MILESTONE_LISTS.items(),
        },
    )


@login_required
@require_GET
def review_list(request):
    """The deliverables awaiting review in the filtered projects."""
    workspace = current_workspace(request)
    if workspace is None:
        return render(request, "projects/no_workspace.html")
    context = portfolio_context(request, workspace)
    page = portfolio_reviews(
        user=request.user,
        workspace=workspace,
        filters=context["filters"],
        page=request.GET.get("page"),
    )
    return render(request, "projects/portfolio_reviews.html", {**context, "page_obj": page})


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
