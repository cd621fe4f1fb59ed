"""The milestone page, its forms (edit, reschedule, complete, comment) and the inline status
change used on the project, milestone and my-work pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from milestones_site.services.errors import StaleVersion
from milestones_site.web.conditional import conditional_page
from milestones_site.web.deleting import Deletion, confirm_delete, counted
from milestones_site.web.forms import (
    Celebration,
    flash_done,
    form_page,
    posted_version,
    save_form,
)
from milestones_site.web.navigation import safe_next
from projects import permissions
from projects.models import Milestone
from projects.permissions import Action
from projects.selectors.celebrations import milestone_reached
from projects.selectors.milestone import milestone_detail as milestone_detail_read
from projects.services import comments as comment_services
from projects.services import milestones as milestone_services
from projects.web.forms.project import (
    CommentForm,
    CompleteForm,
    MilestoneForm,
    MilestoneStatusForm,
    RescheduleForm,
)
from projects.web.views.common import allowed_actions, conflict_message, delete_url, stale_message
from projects.web.views.project import visible_project


def visible_milestone(user, pk: int) -> Milestone:
    return get_object_or_404(
        Milestone.objects.visible_to(user).select_related("project__workspace"), pk=pk
    )


def milestone_page(request, pk: int, *, status: int = 200, **forms):
    detail = milestone_detail_read(user=request.user, milestone_id=pk)
    milestone = detail.milestone
    initial = {"version": milestone.version}
    context = {
        "detail": detail,
        "milestone": milestone,
        "project": milestone.project,
        "allowed": allowed_actions(request.user, milestone.project.workspace),
        "reschedule_form": RescheduleForm(initial={**initial, "new_date": milestone.due_date}),
        "complete_form": CompleteForm(initial=initial),
        "comment_form": CommentForm(),
        **forms,
    }
    return render(request, "projects/milestone_detail.html", context, status=status)


@login_required
@conditional_page
def milestone_detail(request, pk: int):
    return milestone_page(request, pk)


@login_required
def milestone_create(request, pk: int):
    project = visible_project(request.user, pk)
    permissions.ensure(request.user, Action.MILESTONE_CREATE, project.workspace)
    form = MilestoneForm(
        request.POST or None,
        project=project,
        initial={"phase": request.GET.get("phase"), "owner": request.user.pk},
    )
    form.instance.project = project
    return form_page(
        request,
        "projects/milestone_form.html",
        form,
        lambda: milestone_services.milestone_create(
            project=project,
            actor=request.user,
            due_date=form.cleaned_data["due_date"],
            depends_on=form.cleaned_data["depends_on"],
            **form.details(),
        ),
        then=reverse("projects:project_detail", args=[project.pk]),
        done=lambda milestone: f"Milestone “{milestone.title}” added.",
        context={"project": project, "milestone": None},
    )


@login_required
def milestone_edit(request, pk: int):
    milestone = visible_milestone(request.user, pk)
    project = milestone.project
    permissions.ensure(request.user, Action.MILESTONE_UPDATE, project.workspace)
    version = posted_version(request, milestone.version)
    form = MilestoneForm(request.POST or None, instance=milestone, project=project)
    return form_page(
        request,
        "projects/milestone_form.html",
        form,
        lambda: milestone_services.milestone_edit(
            milestone=milestone,
            actor=request.user,
            data={**form.details(), "depends_on": form.cleaned_data["depends_on"]},
            expected_version=version,
        ),
        then=reverse("projects:milestone_detail", args=[milestone.pk]),
        done="Milestone saved.",
        stale=stale_message,
        context={
            "project": project,
            "milestone": milestone,
            "version": version,
            "delete_url": delete_url(
                request.user,
                Action.MILESTONE_DELETE,
                project.workspace,
                "projects:milestone_delete",
                milestone.pk,
            ),
        },
    )


@login_required
def milestone_delete(request, pk: int):
    milestone = visible_milestone(request.user, pk)
    project = milestone.project
    permissions.ensure(request.user, Action.MILESTONE_DELETE, project.workspace)
    deliverables = milestone.deliverables.count()
    dependents = milestone.dependents.count()
    consequences = [
        f"Deleted with it: {counted(deliverables, 'deliverable')}, and the checklists of the "
        "milestone and its deliverables."
        if deliverables
        else "It has no deliverables; its checklist is deleted with it."
    ]
    if dependents:
        consequences.append(f"No longer waiting for it: {counted(dependents, 'milestone')}.")
    deletion = Deletion(
        noun="milestone",
        name=milestone.title,
        consequences=consequences,
        cancel_url=reverse("projects:milestone_detail", args=[milestone.pk]),
        done_url=reverse("projects:project_detail", args=[project.pk]),
        delete=lambda: milestone_services.milestone_delete(milestone=milestone, actor=request.user),
    )
    return confirm_delete(request, deletion, project=project)


@login_required
@require_POST
def milestone_reschedule(request, pk: int):
    milestone = visible_milestone(request.user, pk)
    permissions.ensure(request.user, Action.MILESTONE_RESCHEDULE, milestone.project.workspace)
    form = RescheduleForm(request.POST)
    moved = save_form(
        request,
        form,
        lambda: milestone_services.milestone_reschedule(
            milestone=milestone,
            new_date=form.cleaned_data["new_date"],
            reason=form.cleaned_data["reason"],
            actor=request.user,
            expected_version=form.cleaned_data["version"],
        ),
        done=lambda moved: f"Rescheduled to {moved.due_date:%d %b %Y}.",
        rename={"due_date": "new_date"},
        stale=lambda current: conflict_message(current, f"{current.due_date:%d %b %Y}"),
    )
    if moved:
        return redirect("projects:milestone_detail", pk=milestone.pk)
    return milestone_page(request, pk, status=422, reschedule_form=form)


@login_required
@require_POST
def milestone_complete(request, pk: int):
    milestone = visible_milestone(request.user, pk)
    permissions.ensure(request.user, Action.MILESTONE_COMPLETE, milestone.project.workspace)
    form = CompleteForm(request.POST)
    completed = save_form(
        request,
        form,
        lambda: milestone_services.milestone_complete(
            milestone=milestone,
            actor=request.user,
            force=form.cleaned_data["force"],
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        ),
        done=lambda completed: Celebration(milestone_reached(completed)),
        stale=lambda current: conflict_message(current, current.get_status_display()),
    )
    if completed:
        return redirect("projects:milestone_detail", pk=milestone.pk)
    return milestone_page(request, pk, status=422, complete_form=form)


@login_required
@require_POST
def milestone_rebaseline(request, pk: int):
    """Accept the current due date as the plan (managers): the slip goes back to zero."""
    milestone = visible_milestone(request.user, pk)
    try:
        milestone_services.milestone_rebaseline(
            milestone=milestone,
            actor=request.user,
            expected_version=posted_version(request),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except StaleVersion as stale:
        messages.error(request, conflict_message(stale.current, "a newer version"))
    else:
        messages.success(request, "Baseline moved to the current due date.")
    return redirect("projects:milestone_detail", pk=pk)


@login_required
@require_POST
def milestone_comment(request, pk: int):
    milestone = visible_milestone(request.user, pk)
    form = CommentForm(request.POST)
    posted = save_form(
        request,
        form,
        lambda: comment_services.comment_post(
            target=milestone, actor=request.user, **form.cleaned_data
        ),
        done="Comment posted.",
    )
    if posted:
        return redirect(reverse("projects:milestone_detail", args=[pk]) + "#comments")
    return milestone_page(request, pk, status=422, comment_form=form)


@login_required
@require_POST
def milestone_status(request, pk: int):
    """Inline status change. htmx gets the control back (with a conflict or an error);
    a plain form post goes back to the page it came from with a message."""
    milestone = visible_milestone(request.user, pk)
    form = MilestoneStatusForm(request.POST)
    error = conflict = reached = ""
    before = milestone.status
    if not form.is_valid():
        error = "Choose one of the listed statuses."
    else:
        try:
            milestone = milestone_services.milestone_set_status(
                milestone=milestone,
                status=form.cleaned_data["status"],
                actor=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except StaleVersion as stale:
            milestone = stale.current
            conflict = conflict_message(milestone, milestone.get_status_display())
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            if before != milestone.status == Milestone.Status.COMPLETED:
                reached = milestone_reached(milestone)
    back = safe_next(request, reverse("projects:milestone_detail", args=[pk]))
    if not request.htmx:
        if conflict or error:
            messages.error(request, conflict or error)
        elif reached:
            flash_done(request, Celebration(reached))
        else:
            messages.success(
                request, f"“{milestone.title}” is now {milestone.get_status_display()}."
            )
        return redirect(back)
    return render(
        request,
        "projects/partials/milestone_status.html",
        {
            "milestone": milestone,
            "allowed": allowed_actions(request.user, milestone.project.workspace),
            "error": error,
            "conflict": conflict,
            "next_url": back,
            # A completion is said aloud; any other change only to screen readers.
            "saved": reached or not (error or conflict),
        },
        status=409 if conflict else 422 if error else 200,
    )
