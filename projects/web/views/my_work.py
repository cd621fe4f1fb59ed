"""“My work”: what the signed-in user owns, grouped by when it is due, a page at a time."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from milestones_site.web.conditional import conditional_page
from projects.selectors.my_work import my_work as my_work_read
from projects.web.views.common import allowed_actions
from projects.web.workspaces import current_workspace


@login_required
@conditional_page
def my_work(request):
    workspace = current_workspace(request)
    if workspace is None:
        return render(request, "projects/no_workspace.html")
    # The reader's day (their own timezone when set, else the workspace's: the middlewares)
    # decides what is overdue and which calendar week is "this week".
    work = my_work_read(
        user=request.user,
        workspace=workspace,
        page=request.GET.get("page"),
        today=timezone.localdate(),
    )
    return render(
        request,
        "projects/my_work.html",
        {"work": work, "page_obj": work.page, "allowed": allowed_actions(request.user, workspace)},
    )
