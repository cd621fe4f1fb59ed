"""Presentation helpers for the browser templates: sortable headers, query strings, row
links, badges, progress bars and people's names."""

from datetime import date
from functools import lru_cache

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import get_language

from milestones_site.web.id_urls import id_url as reverse_id_url
from projects.activity import display_name
from projects.selectors.activity import describe
from projects.selectors.celebrations import is_celebration

register = template.Library()


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
