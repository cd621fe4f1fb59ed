"""The calendar page (a month of due dates) and the secret iCalendar feeds."""

import re
from datetime import date
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from milestones_site.web.conditional import conditional_page
from projects.activity import display_name
from projects.selectors.calendar import calendar_month, feed_items
from projects.services import access
from projects.web.ical import due_dates_calendar
from projects.web.workspaces import current_workspace

MONTH_PATTERN = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def month_from(value: str | None, today: date) -> date:
    """`YYYY-MM` from the query string; anything else means the current month."""
    match = MONTH_PATTERN.match(value or "")
    if match is None:
        return today.replace(day=1)
    return date(int(match[1]), int(match[2]), 1)


def project_id_from(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@login_required
@require_GET
@conditional_page
def calendar(request):
    workspace = current_workspace(request)
    if workspace is None:
        raise Http404("You are not a member of any workspace yet.")
    month = calendar_month(
        user=request.user,
        workspace=workspace,
        month=month_from(request.GET.get("month"), workspace.today()),
        project_id=project_id_from(request.GET.get("project")),
    )
    return render(request, "projects/calendar/month.html", {"calendar": month})


@require_GET
def calendar_feed(request, token: str):
    """An .ics document for calendar apps; the secret in the URL is the only credential."""
    feed = access.calendar_feed_for(token)
    if feed is None:
        raise Http404("No such calendar feed.")
    owner = display_name(feed.user)
    name = f"{feed.project.name} · Milestones" if feed.project else f"{owner} · My due dates"
    body = due_dates_calendar(
        name=name,
        items=feed_items(feed=feed, today=timezone.localdate()),
        url_for=lambda item: request.build_absolute_uri(item.path),
        domain=urlsplit(settings.SITE_URL).hostname or "milestones",
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="milestones.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
