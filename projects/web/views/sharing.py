"""The public share page of a project and client sign-off through it (no login)."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from deliverables.models import Deliverable
from deliverables.services import deliverables as deliverable_services
from deliverables.services.deliverables import APPROVE
from milestones_site.services.errors import StaleVersion
from milestones_site.web.forms import add_service_errors
from projects.models import ShareLink
from projects.selectors.share import shared_project
from projects.services import sharing
from projects.web.forms.sharing import SignoffForm

SIGNOFF_ERROR_FIELDS = {"reviewer_name": "name", "reviewer_email": "email"}


def remembered_reviewer(request, link: ShareLink) -> dict | None:
    """The name and email this browser gave on the link's page during this visit."""
    return request.session.get(f"share-reviewer-{link.pk}")


def remember_reviewer(request, link: ShareLink, name: str, email: str) -> None:
    """Keep who the visitor is (in their session) so that they tell it once per visit."""
    request.session[f"share-reviewer-{link.pk}"] = {"name": name, "email": email}


def share_page(view):
    """No indexing, no caching, and the secret URL never leaves as a Referer to another
    site; a dead link is a 404 page that says so, never a hint of what was behind it.

    The policy is `same-origin`, not `no-referrer`: under `no-referrer` browsers send
    `Origin: null` with the sign-off form's POST, which Django's CSRF check refuses."""

    @wraps(view)
    @never_cache
    def wrapper(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            response = render(request, "projects/share/unavailable.html", status=404)
        except PermissionDenied:
            response = render(request, "projects/share/signoff_closed.html", status=403)
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "same-origin"
        return response

    return wrapper


def active_link(token: str) -> ShareLink:
    link = sharing.share_link_for(token)
    if link is None:
        raise Http404("This share link does not exist, was revoked or has expired.")
    return link


def _render(request, link: ShareLink, *, token: str, forms=None, status: int = 200):
    shared = shared_project(link=link)
    forms = forms or {}
    reviewer = remembered_reviewer(request, link)
    signoff = [
        (
            deliverable,
            forms.pop(deliverable.pk)
            if deliverable.pk in forms
            else _blank_form(deliverable, shared.versions_of(deliverable), reviewer),
            shared.versions_of(deliverable),
        )
        for deliverable in shared.awaiting_signoff
    ]
    # A form whose deliverable left review meanwhile has no place on the page any more.
    errors = [error for form in forms.values() for error in form.errors.get("__all__", [])]
    return render(
        request,
        "projects/share/project.html",
        {
            "shared": shared,
            "project": shared.project,
            "signoff": signoff,
            "token": token,
            "errors": errors,
            "reviewer": reviewer,
        },
        status=status,
    )


def _blank_form(deliverable: Deliverable, versions: list, reviewer: dict | None) -> SignoffForm:
    latest = versions[0].number if versions else None
    return SignoffForm(
        prefix=f"d{deliverable.pk}",
        initial={"version": deliverable.version, "version_seen": latest},
        reviewer=reviewer,
    )


@require_GET
@share_page
def share_project(request, token: str):
    return _render(request, active_link(token), token=token)


@require_POST
@share_page
def share_signoff(request, token: str, deliverable_id: int):
    """Approve or request changes on a deliverable in review, as a named external reviewer."""
    link = active_link(token)
    deliverable = get_object_or_404(
        Deliverable.objects.select_related("milestone__project__workspace"), pk=deliverable_id
    )
    form = SignoffForm(
        request.POST, prefix=f"d{deliverable.pk}", reviewer=remembered_reviewer(request, link)
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            deliverable_services.deliverable_client_signoff(
                link=link,
                deliverable=deliverable,
                decision=data["decision"],
                reviewer_name=data["name"],
                reviewer_email=data["email"],
                note=data["note"],
                expected_version=data["version"],
                version_seen=data["version_seen"],
            )
        except Deliverable.DoesNotExist:
            raise Http404("There is no such deliverable on this link.") from None
        except ValidationError as error:
            add_service_errors(form, error, SIGNOFF_ERROR_FIELDS)
        except StaleVersion:
            form.add_error(
                None,
                "The team changed this deliverable while you were reading. "
                "Reload the page to see its current state.",
            )
        else:
            remember_reviewer(request, link, data["name"], data["email"])
            if data["decision"] == APPROVE:
                done = f"Thank you, {data['name']}: “{deliverable.title}” is approved."
            else:
                done = f"Thank you, {data['name']}: the team will rework “{deliverable.title}”."
            messages.success(request, done)
            return redirect("projects:share", token=token)
    return _render(request, link, token=token, forms={deliverable.pk: form}, status=400)
