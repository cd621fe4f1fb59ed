"""The project page, its activity log, and the project, phase and status-update forms."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from milestones_site.web.conditional import conditional_page
from milestones_site.web.deleting import Deletion, confirm_delete, counted
from milestones_site.web.forms import Celebration, form_page, posted_version
from projects import permissions
from projects.models import ActivityEvent, Phase, Project
from projects.permissions import Action
from projects.selectors.activity import activity_runs
from projects.selectors.celebrations import project_reached
from projects.selectors.project_page import project_page
from projects.services import projects as project_services
from projects.web.forms.project import PhaseForm, ProjectForm, StatusUpdateForm
from projects.web.views.common import allowed_actions, delete_url
from projects.web.workspaces import current_workspace

ACTIVITY_PER_PAGE = 50


def visible_project(user, pk: int) -> Project:
    return get_object_or_404(Project.objects.visible_to(user).select_related("workspace"), pk=pk)


def visible_phase(user, pk: int) -> Phase:
    return get_object_or_404(
        Phase.objects.visible_to(user).select_related("project__workspace"), pk=pk
    )


@login_required
@conditional_page
def project_detail(request, pk: int):
    page = project_page(user=request.user, project_id=pk)
    return render(
        request,
        "projects/project_detail.html",
        {
            "page": page,
            "project": page.project,
            "detail": page.detail,
            "allowed": allowed_actions(request.user, page.project.workspace),
            "status_form": StatusUpdateForm(),
        },
    )


@login_required
@conditional_page
def project_activity(request, pk: int):
    project = visible_project(request.user, pk)
    events = ActivityEvent.objects.filter(project=project).select_related("actor")
    page = Paginator(events.order_by("-created_at", "-id"), ACTIVITY_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "projects/project_activity.html",
        {"project": project, "page_obj": page, "runs": activity_runs(page.object_list)},
    )


@login_required
def project_create(request):
    workspace = current_workspace(request)
    if workspace is None or not permissions.can(request.user, Action.PROJECT_CREATE, workspace):
        raise PermissionDenied("Your role does not allow creating projects.")
    form = ProjectForm(
        request.POST or None, workspace=workspace, initial={"owner": request.user.pk}
    )
    return form_page(
        request,
        "projects/project_form.html",
        form,
        lambda: project_services.project_create(
            workspace=workspace, actor=request.user, **form.cleaned_data
        ),
        then=lambda project: reverse("projects:project_detail", args=[project.pk]),
        done=lambda project: f"Project “{project.name}” created. Add its phases next.",
        context={"project": None},
    )


@login_required
def project_edit(request, pk: int):
    project = visible_project(request.user, pk)
    permissions.ensure(request.user, Action.PROJECT_UPDATE, project.workspace)
    was_completed = project.status == Project.Status.COMPLETED
    form = ProjectForm(request.POST or None, instance=project, workspace=project.workspace)
    version = posted_version(request, project.version)
    return form_page(
        request,
        "projects/project_form.html",
        form,
        lambda: project_services.project_update(
            project=project, actor=request.user, data=form.cleaned_data, expected_version=version
        ),
        then=reverse("projects:project_detail", args=[project.pk]),
        done=lambda saved: (
            Celebration(project_reached(saved))
            if saved.status == Project.Status.COMPLETED and not was_completed
            else "Project saved."
        ),
        context={
            "project": project,
            "version": version,
            "delete_url": delete_url(
                request.user,
                Action.PROJECT_DELETE,
                project.workspace,
                "projects:project_delete",
                project.pk,
            ),
        },
    )


@login_required
def project_delete(request, pk: int):
    project = visible_project(request.user, pk)
    permissions.ensure(request.user, Action.PROJECT_DELETE, project.workspace)
    contents = Project.objects.filter(pk=project.pk).aggregate(
        phase_count=Count("phases", distinct=True),
        milestone_count=Count("milestones", distinct=True),
        deliverable_count=Count("milestones__deliverables", distinct=True),
    )
    deletion = Deletion(
        noun="project",
        name=project.name,
        consequences=[
            f"Deleted with it: {counted(contents['phase_count'], 'phase')}, "
            f"{counted(contents['milestone_count'], 'milestone')} and "
            f"{counted(contents['deliverable_count'], 'deliverable')}, with their checklists, "
            "comments, status updates and activity.",
            "Its share links and calendar feeds stop working.",
        ],
        cancel_url=reverse("projects:project_edit", args=[project.pk]),
        done_url=reverse("projects:dashboard"),
        delete=lambda: project_services.project_delete(project=project, actor=request.user),
    )
    return confirm_delete(request, deletion, project=project)


@login_required
@require_POST
def status_update_post(request, pk: int):
    project = visible_project(request.user, pk)
    form = StatusUpdateForm(request.POST)
    return form_page(
        request,
        "projects/status_update_form.html",
        form,
        lambda: project_services.status_update_post(
            project=project, actor=request.user, **form.cleaned_data
        ),
        then=reverse("projects:project_detail", args=[project.pk]),
        done="Status update posted.",
        context={"project": project},
        status=422,
    )


@login_required
def phase_create(request, pk: int):
    project = visible_project(request.user, pk)
    permissions.ensure(request.user, Action.PHASE_EDIT, project.workspace)
    form = PhaseForm(request.POST or None)
    form.instance.project = project
    return form_page(
        request,
        "projects/phase_form.html",
        form,
        lambda: project_services.phase_create(
            project=project, actor=request.user, **form.cleaned_data
        ),
        then=reverse("projects:project_detail", args=[project.pk]),
        done=lambda phase: f"Phase “{phase.name}” added.",
        context={"project": project, "phase": None},
    )


@login_required
def phase_edit(request, pk: int):
    phase = visible_phase(request.user, pk)
    project = phase.project
    permissions.ensure(request.user, Action.PHASE_EDIT, project.workspace)
    form = PhaseForm(request.POST or None, instance=phase)
    return form_page(
        request,
        "projects/phase_form.html",
        form,
        lambda: project_services.phase_update(
            phase=phase, actor=request.user, data=form.cleaned_data
        ),
        then=reverse("projects:project_detail", args=[project.pk]),
        done="Phase saved.",
        context={
            "project": project,
            "phase": phase,
            "delete_url": delete_url(
                request.user,
                Action.PHASE_EDIT,
                project.workspace,
                "projects:phase_delete",
                phase.pk,
            ),
        },
    )


@login_required
def phase_delete(request, pk: int):
    phase = visible_phase(request.user, pk)
    project = phase.project
    permissions.ensure(request.user, Action.PHASE_EDIT, project.workspace)
    milestones = phase.milestones.count()
    deletion = Deletion(
        noun="phase",
        name=phase.name,
        consequences=[
            f"Kept in the project, without a phase: {counted(milestones, 'milestone')}."
            if milestones
            else "It holds no milestones."
        ],
        cancel_url=reverse("projects:phase_edit", args=[phase.pk]),
        done_url=reverse("projects:project_detail", args=[project.pk]),
        delete=lambda: project_services.phase_delete(phase=phase, actor=request.user),
    )
    return confirm_delete(request, deletion, project=project)
