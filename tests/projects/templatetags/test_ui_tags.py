"""Template helpers of the row-heavy pages: dates and inline controls by role."""

from datetime import date

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from projects.templatetags.inline_controls import markup
from projects.web.views.common import allowed_actions
from tests.factories import DeliverableFactory, MilestoneFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("format_string", ["j M Y", "j M", "D j M", "Y-m-d"])
def test_calendar_date_is_the_date_filter(format_string):
    page = Template(
        "{% load milestones_ui %}{{ day|date:format }}|{{ day|calendar_date:format }}|"
        "{{ none|calendar_date:format }}"
    )
    for day in (date(2026, 1, 5), date(2027, 11, 30)):
        shown, fast, empty = page.render(
            Context({"day": day, "none": None, "format": format_string})
        ).split("|")
        assert fast == shown and empty == ""


def test_calendar_date_follows_the_language():
    page = Template('{% load milestones_ui %}{{ day|calendar_date:"j F" }}')
    with translation.override("de"):
        assert page.render(Context({"day": date(2026, 3, 5)})) == "5 März"
    assert page.render(Context({"day": date(2026, 3, 5)})) == "5 March"


def render_cells(user, workspace, **objects) -> str:
    request = RequestFactory().get("/projects/1/")
    request.user = user
    page = Template(
        "{% load inline_controls %}"
        "{% milestone_status_cell milestone %}{% deliverable_status_cell deliverable %}"
    )
    return page.render(
        Context(
            {
                "request": request,
                "csrf_token": "token123",
                "allowed": allowed_actions(user, workspace),
                **objects,
            }
        )
    )


def test_editors_get_the_controls_and_viewers_only_the_status(project, workspace, manager, viewer):
    milestone = MilestoneFactory(project=project, title="Launch <day>", status="blocked")
    deliverable = DeliverableFactory(milestone=milestone, title="Cut", status="in_review")
    objects = {"milestone": milestone, "deliverable": deliverable}

    managed = render_cells(manager, workspace, **objects)
    assert f'action="/milestones/{milestone.pk}/status/"' in managed
    assert '<option value="blocked" selected>Blocked</option>' in managed
    assert managed.count(" selected") == 1
    assert 'class="status-select tone-attention"' in managed  # the palette's tone of blocked
    assert "Status of Launch &lt;day&gt;" in managed  # titles are escaped
    assert 'name="csrfmiddlewaretoken" value="token123"' in managed
    assert 'name="next" value="/projects/1/"' in managed
    assert f'name="version" value="{deliverable.version}"' in managed
    assert 'aria-label="Approve: Cut"' in managed and 'value="request_changes"' in managed

    read_only = render_cells(viewer, workspace, **objects)
    assert '<span class="badge tone-attention" data-status="blocked">Blocked</span>' in read_only
    assert 'data-status="in_review">In review</span>' in read_only
    for control in ("<form", "<select", "<button", "csrfmiddlewaretoken"):
        assert control not in read_only


def test_markup_escapes_text_and_keeps_numbers_and_safe_markup():
    shown = markup(
        "<b>{text}</b>{number}{safe}", text='"Tom" & <Jerry>', number=7, safe=mark_safe("<i>")
    )
    assert shown == "<b>&quot;Tom&quot; &amp; &lt;Jerry&gt;</b>7<i>"
    assert isinstance(shown, SafeString)
