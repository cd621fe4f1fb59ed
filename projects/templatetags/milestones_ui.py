"""Presentation helpers for the browser templates: sortable headers, query strings, row
links, status badges in the palette's tones, progress bars and people's names."""

from datetime import date
from functools import lru_cache

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import get_language

from deliverables.models import DeliverableStatus
from milestones_site.web.id_urls import id_url as reverse_id_url
from projects.activity import display_name
from projects.models import MilestoneHealth, MilestoneStatus, ProjectStatus
from projects.selectors.activity import describe
from projects.selectors.celebrations import is_celebration

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_header(context, key: str, label: str):
    """A column header whose link toggles the sort on `key`, keeping the other filters; the
    sorted column says so on the header cell (`aria-sort` belongs there, not on the link)."""
    request = context["request"]
    current = context["filters"].ordering
    query = request.GET.copy()
    query.pop("page", None)
    query["sort"] = f"-{key}" if current == key else key
    direction = {key: "ascending", f"-{key}": "descending"}.get(current)
    arrow = {"ascending": " ▲", "descending": " ▼"}.get(direction, "")
    if direction:
        return format_html(
            '<th scope="col" aria-sort="{}"><a href="?{}">{}{}</a></th>',
            direction,
            query.urlencode(),
            label,
            arrow,
        )
    return format_html('<th scope="col"><a href="?{}">{}</a></th>', query.urlencode(), label)


@register.simple_tag(takes_context=True)
def query_without_page(context) -> str:
    query = context["request"].GET.copy()
    query.pop("page", None)
    return query.urlencode()


@lru_cache(maxsize=4096)
def formatted_day(day: date, format_string: str, language: str) -> str:
    """`date_format` in the active language, which `language` names for the cache's key."""
    return date_format(day, format_string)


@register.filter
def calendar_date(day: date | None, format_string: str) -> str:
    """`{{ milestone.due_date|calendar_date:"j M Y" }}`: the `date` filter for calendar dates
    (no time zone involved). Django formats a date in ~20 µs; a page of rows shows the same
    few dates hundreds of times, so each is formatted once per language."""
    if not day:
        return ""
    return formatted_day(day, format_string, get_language())


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


@register.filter(name="is_celebration")
def is_celebration_filter(event) -> bool:
    return is_celebration(event)


@register.filter
def id_url(pk: int, name: str) -> str:
    """`{{ milestone.pk|id_url:"projects:milestone_detail" }}`: `{% url %}` for the many rows
    of a page, without matching the URL pattern again for each (see projects.id_urls)."""
    return reverse_id_url(name, pk)


# The status palette: each status (of projects, milestones, deliverables, review rounds and
# health) is shown in the tone of what it means, and each tone means one thing. The colours
# of the tones are CSS variables in static/css/app.css ("Status palette"); no template
# names a status colour itself.
STATUS_TONES = {
    # not begun yet
    "planning": "idle",
    "planned": "idle",
    "not_started": "idle",
    "on_hold": "idle",
    "none": "idle",
    # under way
    "active": "progress",
    "in_progress": "progress",
    # waiting for a reviewer
    "in_review": "review",
    # someone has to act
    "changes_requested": "attention",
    "at_risk": "attention",
    "blocked": "attention",
    "switched_off": "attention",
    # late: past due, or later than the baseline
    "off_track": "late",
    "overdue": "late",
    "slip": "late",
    # on course
    "on_track": "good",
    "ahead": "good",
    "valid": "good",
    # finished
    "completed": "done",
    "approved": "done",
    "delivered": "done",
    # history: a slip of a milestone that is closed
    "slipped": "idle",
    # called off or no longer valid
    "cancelled": "cancelled",
    "revoked": "cancelled",
    "expired": "cancelled",
}
STATUS_LABELS = {
    **dict(ProjectStatus.choices),
    **dict(MilestoneStatus.choices),
    **dict(DeliverableStatus.choices),
    **dict(MilestoneHealth.choices),
    "none": "No data",
    "overdue": "Overdue",
}


@register.filter
def status_tone(status: str) -> str:
    """`{{ item.status|status_tone }}`: the class of the status's tone, e.g. `tone-review`."""
    return f"tone-{STATUS_TONES[status or 'none']}"


@register.filter
def status_badge(status: str, label: str = "") -> str:
    """`{{ deliverable.status|status_badge }}`: a badge in the status's tone, labelled with
    the status's name (or `label`)."""
    status = status or "none"
    return format_html(
        '<span class="badge {}" data-status="{}">{}</span>',
        status_tone(status),
        status,
        label or STATUS_LABELS[status],
    )


@register.filter
def health_badge(health: str):
    """A project's or milestone's health as a badge."""
    return status_badge(health)


@register.filter
def slip_badge(milestone):
    """`{{ milestone|slip_badge }}`: “+5d slip” against the baseline, red while the milestone
    is open (it is late) and grey once it is closed (it was); “2d ahead”; nothing when on
    the baseline."""
    slip_days = milestone.slip_days
    if not slip_days:
        return ""
    if slip_days < 0:
        status, label = "ahead", f"{-slip_days}d ahead"
    else:
        status, label = "slipped" if milestone.is_closed else "slip", f"+{slip_days}d slip"
    return format_html(
        '<span class="badge {}" data-status="{}" title="{}">{}</span>',
        status_tone(status),
        status,
        f"Baseline {milestone.baseline_due_date:%d %b %Y}",
        label,
    )


@register.simple_tag
def progress_bar(value: int | None, label: str, *, wide: bool = False, text: bool = True):
    """A labelled percentage bar, red past 100 %, with its figure unless `text` is off.

    Built in Python, not included from a partial: with two bars on every dashboard row, an
    include took a third of the projects table's render time. The bar is an SVG rectangle
    whose width is an attribute: a style attribute would break the Content-Security-Policy."""
    value = value or 0
    bar = format_html(
        '<div class="progress{}" role="progressbar" aria-valuemin="0" aria-valuemax="100"'
        ' aria-valuenow="{}" aria-label="{}">'
        '<svg class="progress__track" viewBox="0 0 100 1" preserveAspectRatio="none"'
        ' aria-hidden="true"><rect class="progress__bar{}" width="{}" height="1"/></svg>'
        "</div>\n",
        " progress--wide" if wide else "",
        value,
        label,
        " progress__bar--over" if value > 100 else "",
        min(value, 100),
    )
    if not text:
        return bar
    return bar + format_html('<span class="progress__text">{}%</span>\n', value)
