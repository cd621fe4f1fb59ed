"""Workspace settings, a page per section: members and roles, reminder defaults, clients,
share links, API tokens and calendar feeds. Owners manage members and defaults, managers
clients and share links; everyone manages their own tokens and feeds. A new secret is shown
once, in the response that created it, and never again."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from milestones_site.web.deleting import Deletion, confirm_delete, counted
from milestones_site.web.forms import form_page, save_form
from projects import permissions
from projects.models import ApiToken, CalendarFeed, Client, Membership, ShareLink
from projects.permissions import Action
from projects.selectors.settings import workspace_projects, workspace_settings
from projects.services import access, sharing
from projects.services import workspaces as workspace_services
from projects.web import settings_tables as tables
from projects.web.forms.settings import (
    ApiTokenForm,
    CalendarFeedForm,
    ClientForm,
    MemberAddForm,
    MemberRoleForm,
    ReminderDefaultsForm,
    ShareLinkForm,
    end_of_day,
)
from projects.web.workspaces import current_workspace


def _workspace(request):
    workspace = current_workspace(request)
    if workspace is None:
        raise Http404("You are not a member of any workspace yet.")
    return workspace


def _ensure(request, action: Action, workspace) -> None:
    if not permissions.can(request.user, action, workspace):
        raise PermissionDenied(f"Your role in {workspace.name} does not allow this.")


# The sections of settings, each a page of its own: (slug, title in the navigation).
# Webhooks, in notifications, are listed beside them (templates/partials/settings_nav.html).
SECTIONS = {
    "members": "Members",
    "reminders": "Reminders",
    "clients": "Clients",
    "share-links": "Share links",
    "api-tokens": "API tokens",
    "calendar-feeds": "Calendar feeds",
}


def _table(section: str, page: tables.Page, settings, user, workspace) -> tables.Section:
    """The one table a section page shows (reminders has a form instead)."""
    if section == "members":
        can_manage = permissions.can(user, Action.MEMBERSHIP_MANAGE, workspace)
        return tables.members(page, settings.memberships, can_manage=can_manage)
    if section == "clients":
        can_edit = permissions.can(user, Action.CLIENT_EDIT, workspace)
        return tables.clients(page, settings.clients, can_edit=can_edit)
    if section == "share-links":
        can_share = permissions.can(user, sharing.SHARE_LINK_ACTION, workspace)
        return tables.share_links(page, settings.share_links, can_share=can_share)
    if section == "api-tokens":
        return tables.api_tokens(page, settings.api_tokens)
    return tables.calendar_feeds(page, settings.calendar_feeds)


def _page(request, section: str, *, status: int = 200, **context):
    """A section of settings; `context` replaces its default form (bound, with errors) or
    adds the secret just created."""
    workspace = _workspace(request)
    user = request.user
    projects = workspace_projects(user=user, workspace=workspace)
    forms = {
        "members": lambda: {"member_form": MemberAddForm()},
        "reminders": lambda: {"workspace_form": ReminderDefaultsForm.for_workspace(workspace)},
        "clients": lambda: {"client_form": ClientForm()},
        "share-links": lambda: {
            "share_form": ShareLinkForm(
                projects=projects, initial={"project": request.GET.get("project")}
            )
        },
        "api-tokens": lambda: {"token_form": ApiTokenForm()},
        "calendar-feeds": lambda: {"feed_form": CalendarFeedForm(projects=projects)},
    }
    context = {**forms[section](), **context}
    settings = workspace_settings(user=user, workspace=workspace)
    table = (
        None
        if section == "reminders"
        else _table(section, tables.Page(user=user, context=context), settings, user, workspace)
    )
    return render(
        request,
        "projects/settings/workspace.html",
        {
            **context,
            "settings": settings,
            "section": section,
            "sections": SECTIONS.items(),
            "heading": SECTIONS[section],
            "table": table,
            "roles": MemberRoleForm.base_fields["role"].choices,
            "can_edit_workspace": permissions.can(user, Action.WORKSPACE_UPDATE, workspace),
        },
        status=status,
    )


def _back(section: str):
    return redirect("projects:settings_section", section=section)


def settings_action(view):
    @wraps(view)
    @login_required
    @require_POST
    def wrapper(request, *args, **kwargs):
        return view(request, _workspace(request), *args, **kwargs)

    return wrapper


@login_required
@require_GET
def workspace_settings_page(request):
    """Settings open on their first section."""
    _workspace(request)
    return _back("members")


@login_required
@require_GET
def settings_section(request, section: str):
    if section not in SECTIONS:
        raise Http404("No such section of settings.")
    return _page(request, section)


# Members ----------------------------------------------------------------------------------


@settings_action
def member_add(request, workspace):
    _ensure(request, Action.MEMBERSHIP_MANAGE, workspace)
    form = MemberAddForm(request.POST)
    added = save_form(
        request,
        form,
        lambda: workspace_services.membership_add(
            workspace=workspace, actor=request.user, **form.cleaned_data
        ),
        done=lambda membership: f"{membership.user} joined as {membership.get_role_display()}.",
    )
    if added:
        return _back("members")
    return _page(request, "members", member_form=form, status=400)


def _membership(workspace, membership_id: int) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("user", "workspace"),
        pk=membership_id,
        workspace=workspace,
    )


@settings_action
def member_change_role(request, workspace, membership_id: int):
    membership = _membership(workspace, membership_id)
    _ensure(request, Action.MEMBERSHIP_MANAGE, workspace)
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        return _page(request, "members", members_errors=form.errors["role"], status=400)
    try:
        membership = workspace_services.membership_update(
            membership=membership, actor=request.user, data={"role": form.cleaned_data["role"]}
        )
    except ValidationError as error:
        return _page(request, "members", members_errors=error.messages, status=400)
    messages.success(request, f"{membership.user} is now {membership.get_role_display()}.")
    return _back("members")


@settings_action
def member_remove(request, workspace, membership_id: int):
    membership = _membership(workspace, membership_id)
    _ensure(request, Action.MEMBERSHIP_MANAGE, workspace)
    try:
        workspace_services.membership_remove(membership=membership, actor=request.user)
    except ValidationError as error:
        return _page(request, "members", members_errors=error.messages, status=400)
    messages.success(request, f"{membership.user} no longer has access to {workspace}.")
    return _back("members")


# Workspace defaults -----------------------------------------------------------------------


@settings_action
def workspace_update(request, workspace):
    _ensure(request, Action.WORKSPACE_UPDATE, workspace)
    form = ReminderDefaultsForm.for_workspace(workspace, data=request.POST)
    saved = save_form(
        request,
        form,
        lambda: workspace_services.workspace_update(
            workspace=workspace, actor=request.user, data=form.cleaned_data
        ),
        done="Workspace settings saved.",
    )
    if saved:
        return _back("reminders")
    return _page(request, "reminders", workspace_form=form, status=400)


# Clients ----------------------------------------------------------------------------------


def _client(request, client_id: int) -> Client:
    """A client of the current workspace that the user's role may edit."""
    workspace = _workspace(request)
    client = get_object_or_404(
        Client.objects.select_related("workspace"), pk=client_id, workspace=workspace
    )
    _ensure(request, Action.CLIENT_EDIT, workspace)
    return client


@settings_action
def client_create(request, workspace):
    _ensure(request, Action.CLIENT_EDIT, workspace)
    form = ClientForm(request.POST)
    client = save_form(
        request,
        form,
        lambda: workspace_services.client_create(
            workspace=workspace, actor=request.user, **form.cleaned_data
        ),
        done=lambda client: f"Client “{client.name}” added.",
    )
    if client:
        return _back("clients")
    return _page(request, "clients", client_form=form, status=400)


@login_required
def client_edit(request, client_id: int):
    client = _client(request, client_id)
    form = ClientForm(request.POST or None, instance=client)
    return form_page(
        request,
        "projects/settings/client_form.html",
        form,
        lambda: workspace_services.client_update(
            client=client, actor=request.user, data=form.cleaned_data
        ),
        then=reverse("projects:settings_section", args=["clients"]),
        done="Client saved.",
        context={
            "client": client,
            "delete_url": reverse("projects:client_delete", args=[client.pk]),
        },
    )


@login_required
def client_delete(request, client_id: int):
    client = _client(request, client_id)
    projects = client.projects.count()
    deletion = Deletion(
        noun="client",
        name=client.name,
        consequences=[
            f"Kept, without a client: {counted(projects, 'project')}."
            if projects
            else "No project is for this client."
        ],
        cancel_url=reverse("projects:client_edit", args=[client.pk]),
        done_url=reverse("projects:settings_section", args=["clients"]),
        delete=lambda: workspace_services.client_delete(client=client, actor=request.user),
    )
    return confirm_delete(request, deletion)


# API tokens -------------------------------------------------------------------------------


def _secret_page(request, section: str, form_name: str, form, create, shown):
    """Make a secret through `create()`: its section of settings showing it once
    (`shown(row, plain)` says how), or the section again with the form's errors."""
    created = save_form(request, form, create, rename={"expires_at": "expires_on"})
    if created:
        return _page(request, section, new_secret=shown(*created), status=201)
    return _page(request, section, **{form_name: form}, status=400)


def _expiry(form) -> dict:
    expires_on = form.cleaned_data["expires_on"]
    return {"expires_at": end_of_day(expires_on) if expires_on else None}


@settings_action
def api_token_create(request, workspace):
    form = ApiTokenForm(request.POST)
    return _secret_page(
        request,
        "api-tokens",
        "token_form",
        form,
        lambda: access.api_token_create(
            user=request.user,
            name=form.cleaned_data["name"],
            read_only=form.cleaned_data["read_only"],
            **_expiry(form),
        ),
        lambda token, plain: {
            "title": f"API token “{token.name}”",
            "value": plain,
            "hint": "Send it as “Authorization: Bearer <token>”.",
        },
    )


@settings_action
def api_token_revoke(request, workspace, token_id: int):
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    access.api_token_revoke(token=token, actor=request.user)
    messages.success(request, f"API token “{token.name}” revoked.")
    return _back("api-tokens")


# Share links ------------------------------------------------------------------------------


@settings_action
def share_link_create(request, workspace):
    _ensure(request, sharing.SHARE_LINK_ACTION, workspace)
    form = ShareLinkForm(
        request.POST, projects=workspace_projects(user=request.user, workspace=workspace)
    )
    return _secret_page(
        request,
        "share-links",
        "share_form",
        form,
        lambda: sharing.share_link_create(
            project=form.cleaned_data["project"],
            actor=request.user,
            label=form.cleaned_data["label"],
            allow_signoff=form.cleaned_data["allow_signoff"],
            **_expiry(form),
        ),
        lambda link, plain: {
            "title": f"Share link for {link.project.name}",
            "value": request.build_absolute_uri(reverse("projects:share", args=[plain])),
            "hint": "Anyone with this link can see the project without signing in.",
        },
    )


@settings_action
def share_link_revoke(request, workspace, link_id: int):
    link = get_object_or_404(
        ShareLink.objects.select_related("project__workspace"),
        pk=link_id,
        project__in=workspace_projects(user=request.user, workspace=workspace),
    )
    _ensure(request, sharing.SHARE_LINK_ACTION, workspace)
    sharing.share_link_revoke(link=link, actor=request.user)
    messages.success(request, f"“{link}” revoked: the link no longer opens.")
    return _back("share-links")


# Calendar feeds ---------------------------------------------------------------------------


@settings_action
def calendar_feed_create(request, workspace):
    form = CalendarFeedForm(
        request.POST, projects=workspace_projects(user=request.user, workspace=workspace)
    )
    return _secret_page(
        request,
        "calendar-feeds",
        "feed_form",
        form,
        lambda: access.calendar_feed_create(
            user=request.user, project=form.cleaned_data["project"]
        ),
        lambda feed, plain: {
            "title": f"Calendar feed: {feed.project or 'my work'}",
            "value": request.build_absolute_uri(reverse("projects:calendar_feed", args=[plain])),
            "hint": "Subscribe to this URL in your calendar app (“add calendar from URL”).",
        },
    )


@settings_action
def calendar_feed_revoke(request, workspace, feed_id: int):
    feed = get_object_or_404(CalendarFeed, pk=feed_id, user=request.user)
    access.calendar_feed_revoke(feed=feed, actor=request.user)
    messages.success(request, "Calendar feed revoked: calendar apps stop receiving updates.")
    return _back("calendar-feeds")
