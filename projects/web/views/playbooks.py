"""Playbook pages: the gallery, a template's structure, planning it as a project (preview,
then create) and saving a project as a template."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from milestones_site.web.forms import add_service_errors
from projects import permissions
from projects.permissions import Action
from projects.playbooks.planning import Direction
from projects.playbooks.selectors import (
    TemplateOutline,
    plan_preview,
    playbook_gallery,
    template_outline,
)
from projects.playbooks.services import (
    template_instantiate,
    template_plan,
    template_save_from_project,
)
from projects.web.forms.playbooks import PlaybookUseForm, SaveAsTemplateForm
from projects.web.views.project import visible_project
from projects.web.workspaces import current_workspace


def _target_workspace(request, outline: TemplateOutline):
    """A workspace template is planned in its own workspace, a built-in one in the current."""
    return outline.template.workspace or current_workspace(request)


def _may_use(user, workspace) -> bool:
    return workspace is not None and permissions.can(user, Action.PROJECT_CREATE, workspace)


@login_required
def playbooks(request):
    workspace = current_workspace(request)
    if workspace is None:
        return render(request, "projects/no_workspace.html")
    return render(
        request,
        "projects/playbooks/gallery.html",
        {
            "gallery": playbook_gallery(user=request.user, workspace=workspace),
            "may_use": _may_use(request.user, workspace),
        },
    )


@login_required
def playbook_detail(request, pk: int):
    outline = template_outline(user=request.user, template_id=pk)
    return render(
        request,
        "projects/playbooks/detail.html",
        {
            "outline": outline,
            "template": outline.template,
            "may_use": _may_use(request.user, _target_workspace(request, outline)),
        },
    )


@login_required
def playbook_use(request, pk: int):
    """Preview every computed date (writes nothing), or create the project (all or nothing)."""
    outline = template_outline(user=request.user, template_id=pk)
    template = outline.template
    workspace = _target_workspace(request, outline)
    if not _may_use(request.user, workspace):
        raise PermissionDenied("Your role does not allow creating projects.")
    form = PlaybookUseForm(
        request.POST or None,
        template=template,
        workspace=workspace,
        initial={"direction": Direction.BACKWARD if outline.plans_backward else Direction.FORWARD},
    )
    plan = None
    if request.method == "POST" and form.is_valid():
        arguments = form.plan_arguments()
        try:
            if request.POST.get("intent") == "create":
                project = template_instantiate(
                    template=template,
                    workspace=workspace,
                    actor=request.user,
                    name=form.cleaned_data["name"],
                    client=form.cleaned_data["client"],
                    **arguments,
                )
                messages.success(
                    request, f"“{project.name}” is planned from the {template.name} playbook."
                )
                return redirect("projects:project_detail", pk=project.pk)
            plan = template_plan(template=template, workspace=workspace, **arguments)
        except ValidationError as error:
            add_service_errors(form, error)
    return render(
        request,
        "projects/playbooks/use.html",
        {
            "outline": outline,
            "template": template,
            "workspace": workspace,
            "form": form,
            "plan": plan,
            "preview": plan_preview(plan) if plan else None,
        },
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def project_save_as_template(request, pk: int):
    project = visible_project(request.user, pk)
    permissions.ensure(request.user, Action.PROJECT_CREATE, project.workspace)
    form = SaveAsTemplateForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("name", [])))
        return redirect("projects:project_detail", pk=project.pk)
    template = template_save_from_project(
        project=project, actor=request.user, name=form.cleaned_data["name"]
    )
    messages.success(request, f"Saved “{project.name}” as the template “{template.name}”.")
    return redirect("projects:playbook_detail", pk=template.pk)
