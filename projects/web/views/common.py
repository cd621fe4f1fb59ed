"""What every browser view of the campaign plan shares: role-based controls and links, and
turning a stale change into a message that says who changed what."""

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from projects.permissions import Action, can
from projects.selectors.activity import last_change


def allowed_actions(user, workspace) -> frozenset[str]:
    """The actions the user may take in the workspace; templates render controls from it."""
    return frozenset(action.value for action in Action if can(user, action, workspace))


def conflict_message(current, shown_value: str) -> str:
    """“Ana Ruiz changed this to Approved at 25 Nov, 14:02 — reload to see the latest.”"""
    event = last_change(current)
    who = (event.actor_name or "Someone") if event else "Someone"
    when = date_format(timezone.localtime(event.created_at), "j M, H:i") if event else "just now"
    return f"{who} changed this to {shown_value} at {when} — reload to see the latest."


def stale_message(current) -> str:
    return conflict_message(current, "a newer version")


def delete_url(user, action: Action, workspace, url_name: str, pk: int) -> str | None:
    """Where an edit page links to delete its object, when the user's role allows it."""
    return reverse(url_name, args=[pk]) if can(user, action, workspace) else None
