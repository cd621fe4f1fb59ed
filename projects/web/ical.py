"""iCalendar (RFC 5545) documents of due dates, for calendar apps to subscribe to.

Each due date is an all-day event (DTSTART;VALUE=DATE, DTEND the next day) with a UID
that stays the same across refreshes, so calendar apps update events instead of
duplicating them. DTSTAMP is the row's last change: feeds carry no METHOD of their own
scheduling, where RFC 5545 makes DTSTAMP the last-modified time."""

from collections.abc import Callable, Iterable
from datetime import timedelta

from icalendar import Calendar, Event

from projects.selectors.calendar import DELIVERABLE, MILESTONE, DueItem

PRODID = "-//Milestones//Campaign due dates//EN"
KIND_LABELS = {MILESTONE: "Milestone", DELIVERABLE: "Deliverable"}


def uid_for(item: DueItem, domain: str) -> str:
    return f"{item.kind}-{item.pk}@{domain}"


def due_dates_calendar(
    *,
    name: str,
    items: Iterable[DueItem],
    url_for: Callable[[DueItem], str],
    domain: str,
) -> bytes:
    """The feed as bytes; `url_for` gives each item's absolute page URL."""
    feed = Calendar()
    feed.add("prodid", PRODID)
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    feed.add("method", "PUBLISH")
    feed.add("x-wr-calname", name)
    for item in items:
        kind = KIND_LABELS[item.kind]
        event = Event()
        event.add("uid", uid_for(item, domain))
        event.add("dtstamp", item.updated_at)
        event.add("last-modified", item.updated_at)
        event.add("dtstart", item.due)
        event.add("dtend", item.due + timedelta(days=1))
        event.add("summary", f"{kind} due: {item.title} ({item.project_name})")
        event.add("description", f"{kind} of {item.project_name}. Status: {item.status_label}.")
        event.add("url", url_for(item))
        event.add("categories", [kind])
        event.add("transp", "TRANSPARENT")
        if item.is_cancelled:
            event.add("status", "CANCELLED")
        feed.add_component(event)
    return feed.to_ical()
