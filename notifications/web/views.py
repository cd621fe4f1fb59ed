"""Notification centre, preferences, follows and webhook pages: thin views over services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from milestones_site.web.forms import add_service_errors
from milestones_site.web.navigation import safe_next
from notifications import selectors, services
from notifications.preferences import preference_for
from notifications.web.forms import PreferenceForm, WebhookEndpointForm
from projects.models import Milestone, Project, Workspace

PAGE_SIZE = 50


@login_required
def centre(request):
    page = Paginator(selectors.notifications_of(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/centre.html", {"page": page})


@login_required
@require_POST
def mark_read(request, pk: int):
    notification = get_object_or_404(selectors.notifications_of(request.user), pk=pk)
    services.notification_mark_read(notification=notification, user=request.user)
    if request.POST.get("open") and notification.url:
        return redirect(notification.url)
    return redirect("notifications:centre")


@login_required
@require_POST
def mark_all_read(request):
    count = services.notification_mark_all_read(user=request.user)
    messages.success(request, f"Marked {count} notification{'s' if count != 1 else ''} read.")
    return redirect("notifications:centre")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    preference = preference_for(request.user)
    form = PreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        try:
            services.preference_update(user=request.user, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your notification preferences are saved.")
            return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@login_required
@require_POST
def follow(request, model: str, pk: int):
    queryset = Project.objects if model == "project" else Milestone.objects
    subject = get_object_or_404(queryset.visible_to(request.user), pk=pk)
    following = request.POST.get("follow", "1") == "1"
    services.follow_set(user=request.user, subject=subject, following=following)
    messages.success(request, f"{'Following' if following else 'No longer following'} {subject}.")
    return redirect(safe_next(request, "notifications:centre"))


@login_required
@require_http_methods(["GET", "POST"])
def webhooks(request):
    workspaces = Workspace.objects.filter(
        pk__in=[w.pk for w in selectors.manageable_workspaces(request.user)]
    )
    form = WebhookEndpointForm(request.POST or None, workspaces=workspaces)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint = services.webhook_endpoint_create(
                workspace=form.cleaned_data["workspace"],
                actor=request.user,
                url=form.cleaned_data["url"],
                event_types=form.cleaned_data["event_types"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Webhook added. Copy its secret from the page below.")
            return redirect("notifications:webhook", pk=endpoint.pk)
    endpoints = selectors.webhook_endpoints_of(request.user)
    return render(
        request,
        "notifications/webhooks.html",
        {"form": form, "endpoints": endpoints, "can_manage": workspaces.exists()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def webhook(request, pk: int):
    endpoint = get_object_or_404(selectors.webhook_endpoints_of(request.user), pk=pk)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "delete":
            services.webhook_endpoint_delete(endpoint=endpoint, actor=request.user)
            messages.success(request, "Webhook removed.")
            return redirect("notifications:webhooks")
        if action == "rotate":
            services.webhook_endpoint_rotate_secret(endpoint=endpoint, actor=request.user)
            messages.success(
                request,
                "New secret below. Deliveries are signed with the previous one too for "
                f"{services.SECRET_OVERLAP_HOURS} hours: switch your receiver over meanwhile.",
            )
            return redirect("notifications:webhook", pk=endpoint.pk)
        try:
            services.webhook_endpoint_update(
                endpoint=endpoint, actor=request.user, data={"active": action == "enable"}
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("notifications:webhook", pk=endpoint.pk)
    page = Paginator(selectors.delivery_log(endpoint), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/webhook.html",
        {
            "endpoint": endpoint,
            "page": page,
            "previous_secret_until": endpoint.previous_secret_valid_until(now=timezone.now()),
        },
    )
