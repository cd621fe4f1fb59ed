"""Presentation helpers for the browser templates: sortable headers, query strings, the
review-cycle buttons a role may press, and people's names."""

from django import template
from django.utils.html import format_html

from deliverables.services import TRANSITIONS, possible_moves

from ..activity import display_name
from ..activity_feed import describe

register = template.Library()

MOVE_LABELS = {
    "start": "Start",
    "submit": "Submit for review",
    "approve": "Approve",
    "request_changes": "Request changes",
    "deliver": "Mark delivered",
}


@register.simple_tag(takes_context=True)
def sort_link(context, key: str, label: str):
    """A column header link toggling the sort on `key`, keeping the other filters."""
    request = context["request"]
    current = context["filters"].ordering
    query = request.GET.copy()
    query.pop("page", None)
    query["sort"] = f"-{key}" if current == key else key
    direction = {key: "ascending", f"-{key}": "descending"}.get(current)
    arrow = {"ascending": " ▲", "descending": " ▼"}.get(direction, "")
    if direction:
        return format_html(
            '<a href="?{}" aria-sort="{}">{}{}</a>', query.urlencode(), direction, label, arrow
        )
    return format_html('<a href="?{}">{}</a>', query.urlencode(), label)


@register.simple_tag(takes_context=True)
def query_without_page(context) -> str:
    query = context["request"].GET.copy()
    query.pop("page", None)
    return query.urlencode()


@register.filter
def person(user) -> str:
    return display_name(user) or "Unassigned"


@register.filter
def initials(name: str) -> str:
    parts = [part for part in (name or "?").replace(".", " ").split() if part]
    return "".join(part[0] for part in parts[:2]).upper() or "?"


@register.filter
def event_phrase(event) -> str:
    return describe(event)


@register.filter
def deliverable_moves(deliverable, allowed) -> list[dict]:
    """The review-cycle moves from the deliverable's status that the viewer's role allows."""
    return [
        {"name": name, "label": MOVE_LABELS[name], "needs_note": name == "request_changes"}
        for name in possible_moves(deliverable.status)
        if TRANSITIONS[name].action.value in allowed
    ]


HEALTH_LABELS = {
    "on_track": "On track",
    "at_risk": "At risk",
    "off_track": "Off track",
    "completed": "Completed",
    "cancelled": "Cancelled",
}


@register.filter
def health_badge(health: str):
    """A coloured badge for a project's or milestone's health."""
    return format_html(
        '<span class="badge badge--{}">{}</span>',
        health or "none",
        HEALTH_LABELS.get(health, "No data"),
    )


@register.filter
def slip_badge(slip_days: int, baseline):
    """“+5d slip” (late against the baseline) or “2d ahead”; nothing when on the baseline."""
    if not slip_days:
        return ""
    title = f"Baseline {baseline:%d %b %Y}"
    if slip_days > 0:
        return format_html(
            '<span class="badge badge--slip" title="{}">+{}d slip</span>', title, slip_days
        )
    return format_html(
        '<span class="badge badge--ahead" title="{}">{}d ahead</span>', title, -slip_days
    )
