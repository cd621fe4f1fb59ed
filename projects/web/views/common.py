"""What every browser view shares: role-based controls, going back after a plain form post,
and turning a stale inline change into a message that says who changed what."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme

from projects.permissions import Action, can
from projects.selectors.activity import last_change


def allowed_actions(user, workspace) -> frozenset[str]:
    """The actions the user may take in the workspace; templates render controls from it."""
    return frozenset(action.value for action in Action if can(user, action, workspace))


def safe_next(request, fallback: str) -> str:
    """The page a plain (non-htmx) form post returns to."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


def conflict_message(current, shown_value: str) -> str:
    """“Ana Ruiz changed this to Approved at 25 Nov, 14:02 — reload to see the latest.”"""
    event = last_change(current)
    who = (event.actor_name or "Someone") if event else "Someone"
    when = date_format(timezone.localtime(event.created_at), "j M, H:i") if event else "just now"
    return f"{who} changed this to {shown_value} at {when} — reload to see the latest."


def posted_version(request, default: int | None = None) -> int | None:
    """The row version the form was rendered with (hidden field `version`)."""
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return default
