"""Deliverable forms, inline review-cycle moves and checklist ticks in the browser."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from deliverables.models import ChecklistItem, Deliverable
from deliverables.services import checklists as checklist_services
from deliverables.services import deliverables as deliverable_services
from deliverables.web.forms import ChecklistItemForm, DeliverableForm, DeliverableMoveForm
from milestones_site.services.errors import StaleVersion
from milestones_site.web.deleting import Deletion, confirm_delete, counted
from milestones_site.web.forms import form_page, posted_version
from milestones_site.web.navigation import safe_next
from projects import permissions
from projects.permissions import Action
from projects.web.views.common import allowed_actions, conflict_message, delete_url, stale_message
from projects.web.views.milestone import visible_milestone

MOVES = {
    "start": deliverable_services.deliverable_start,
    "submit": deliverable_services.deliverable_submit,
    "approve": deliverable_services.deliverable_approve,
    "deliver": deliverable_services.deliverable_deliver,
}


def visible_deliverable(user, pk: int) -> Deliverable:
    return get_object_or_404(
        Deliverable.objects.visible_to(user).select_related("milestone__project__workspace"),
        pk=pk,
    )


def milestone_url(milestone_id: int) -> str:
    return reverse("projects:milestone_detail", args=[milestone_id])


@login_required
def deliverable_create(request, milestone_pk: int):
    milestone = visible_milestone(request.user, milestone_pk)
    workspace = milestone.project.workspace
    permissions.ensure(request.user, Action.DELIVERABLE_EDIT, workspace)
    form = DeliverableForm(
        request.POST or None, workspace=workspace, initial={"owner": request.user.pk}
    )
    return form_page(
        request,
        "deliverables/deliverable_form.html",
        form,
        lambda: deliverable_services.deliverable_create(
            milestone=milestone, actor=request.user, **form.cleaned_data
        ),
        then=safe_next(request, milestone_url(milestone.pk)),
        done=lambda deliverable: f"Deliverable “{deliverable.title}” added.",
        context={"milestone": milestone, "project": milestone.project, "deliverable": None},
    )


@login_required
def deliverable_edit(request, pk: int):
    deliverable = visible_deliverable(request.user, pk)
    milestone = deliverable.milestone
    workspace = milestone.project.workspace
    permissions.ensure(request.user, Action.DELIVERABLE_EDIT, workspace)
    version = posted_version(request, deliverable.version)
    form = DeliverableForm(request.POST or None, instance=deliverable, workspace=workspace)
    return form_page(
        request,
        "deliverables/deliverable_form.html",
        form,
        lambda: deliverable_services.deliverable_update(
            deliverable=deliverable,
            actor=request.user,
            data=form.cleaned_data,
            expected_version=version,
        ),
        then=milestone_url(milestone.pk),
        done="Deliverable saved.",
        stale=stale_message,
        context={
            "milestone": milestone,
            "project": milestone.project,
            "deliverable": deliverable,
            "version": version,
            "delete_url": delete_url(
                request.user,
                Action.DELIVERABLE_DELETE,
                workspace,
                "deliverables:deliverable_delete",
                deliverable.pk,
            ),
        },
    )


@login_required
def deliverable_delete(request, pk: int):
    deliverable = visible_deliverable(request.user, pk)
    milestone = deliverable.milestone
    permissions.ensure(request.user, Action.DELIVERABLE_DELETE, milestone.project.workspace)
    items = deliverable.checklist.count()
    deletion = Deletion(
        noun="deliverable",
        name=deliverable.title,
        consequences=[
            f"Deleted with it: its checklist of {counted(items, 'item')}."
            if items
            else "It has no checklist."
        ],
        cancel_url=reverse("deliverables:deliverable_edit", args=[deliverable.pk]),
        done_url=milestone_url(milestone.pk),
        delete=lambda: deliverable_services.deliverable_delete(
            deliverable=deliverable, actor=request.user
        ),
    )
    return confirm_delete(request, deletion, project=milestone.project)


def apply_move(deliverable: Deliverable, actor, move: str, version: int, note: str):
    if move == "request_changes":
        return deliverable_services.deliverable_request_changes(
            deliverable=deliverable, actor=actor, note=note, expected_version=version
        )
    return MOVES[move](deliverable=deliverable, actor=actor, expected_version=version)


@login_required
@require_POST
def deliverable_move(request, pk: int):
    """Inline review-cycle move (start, submit, approve, request changes, deliver)."""
    deliverable = visible_deliverable(request.user, pk)
    workspace = deliverable.milestone.project.workspace
    form = DeliverableMoveForm(request.POST)
    error = conflict = ""
    if not form.is_valid():
        error = "That move is not available."
    else:
        data = form.cleaned_data
        try:
            deliverable = apply_move(
                deliverable, request.user, data["move"], data["version"], data["note"]
            )
        except StaleVersion as stale:
            deliverable = stale.current
            conflict = conflict_message(deliverable, deliverable.get_status_display())
        except ValidationError as exc:
            error = " ".join(exc.messages)
    back = safe_next(request, milestone_url(deliverable.milestone_id))
    if not request.htmx:
        if conflict or error:
            messages.error(request, conflict or error)
        else:
            messages.success(
                request, f"“{deliverable.title}” is now {deliverable.get_status_display()}."
            )
        return redirect(back)
    return render(
        request,
        "deliverables/partials/deliverable_status.html",
        {
            "deliverable": deliverable,
            "allowed": allowed_actions(request.user, workspace),
            "error": error,
            "conflict": conflict,
            "next_url": back,
            "menu": request.POST.get("layout") == "menu",
        },
        status=409 if conflict else 422 if error else 200,
    )


@login_required
@require_POST
def checklist_add(request, pk: int):
    deliverable = visible_deliverable(request.user, pk)
    form = ChecklistItemForm(request.POST)
    back = safe_next(request, milestone_url(deliverable.milestone_id))
    if form.is_valid():
        try:
            checklist_services.checklist_item_add(
                parent=deliverable, actor=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Checklist item added.")
    else:
        messages.error(request, "Write the checklist item first.")
    return redirect(back)


@login_required
@require_POST
def checklist_toggle(request, pk: int):
    item = get_object_or_404(
        ChecklistItem.objects.visible_to(request.user).select_related(
            "deliverable__milestone__project__workspace", "milestone__project__workspace"
        ),
        pk=pk,
    )
    workspace = item.project.workspace
    milestone_id = item.deliverable.milestone_id if item.deliverable_id else item.milestone_id
    back = safe_next(request, milestone_url(milestone_id))
    item = checklist_services.checklist_item_toggle(
        item=item, done=request.POST.get("done") == "1", actor=request.user
    )
    if not request.htmx:
        return redirect(back)
    return render(
        request,
        "deliverables/partials/checklist_item.html",
        {"item": item, "allowed": allowed_actions(request.user, workspace), "next_url": back},
    )
