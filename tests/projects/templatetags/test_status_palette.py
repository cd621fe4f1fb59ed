"""The status palette: every status has the tone of what it means, each tone means one
thing, and the templates take status colours from the palette only."""

import re
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.template import Context, Template

from deliverables.models import DeliverableStatus, ReviewDecision
from projects.models import Health, MilestoneHealth, MilestoneStatus, ProjectStatus
from projects.templatetags.milestones_ui import STATUS_TONES, status_badge, status_tone

EVERY_STATUS = {
    *ProjectStatus.values,
    *MilestoneStatus.values,
    *MilestoneHealth.values,
    *Health.values,
    *DeliverableStatus.values,
    *ReviewDecision.values,
}


def test_every_status_of_every_model_has_a_tone_and_a_label():
    for status in EVERY_STATUS:
        badge = status_badge(status)
        assert f'class="badge {status_tone(status)}"' in badge
        assert f'data-status="{status}"' in badge
        assert f">{status}<" not in badge  # labelled in words, not by its value


def test_the_review_cycle_has_three_colours():
    tones = {status_tone(s) for s in ("in_review", "changes_requested", "approved")}
    assert tones == {"tone-review", "tone-attention", "tone-done"}


def test_red_means_late_and_nothing_else():
    late = {status for status, tone in STATUS_TONES.items() if tone == "late"}
    assert late == {"overdue", "slip", "off_track"}


def test_finished_work_looks_finished_whatever_it_is():
    for status in ("completed", "delivered", "approved"):
        assert status_tone(status) == "tone-done"
    assert status_tone("in_progress") != status_tone("completed")  # they used to share blue


def milestone(slip_days: int, *, closed: bool = False) -> SimpleNamespace:
    return SimpleNamespace(
        slip_days=slip_days, baseline_due_date=date(2026, 3, 1), is_closed=closed
    )


def test_badges_in_templates():
    page = Template(
        '{% load milestones_ui %}{{ "in_review"|status_badge }}|{{ "overdue"|status_badge:3 }}|'
        "{{ late|slip_badge }}|{{ done_late|slip_badge }}|{{ early|slip_badge }}|"
        "{{ on_time|slip_badge }}|{{ none|health_badge }}"
    )
    review, overdue, slip, slipped, ahead, on_time, no_data = page.render(
        Context(
            {
                "late": milestone(4),
                "done_late": milestone(4, closed=True),
                "early": milestone(-2),
                "on_time": milestone(0),
                "none": None,
            }
        )
    ).split("|")
    assert review == '<span class="badge tone-review" data-status="in_review">In review</span>'
    assert overdue == '<span class="badge tone-late" data-status="overdue">3</span>'
    assert slip == (
        '<span class="badge tone-late" data-status="slip" title="Baseline 01 Mar 2026">'
        "+4d slip</span>"
    )
    # Red only while it is late: a closed milestone's slip is history.
    assert 'class="badge tone-idle" data-status="slipped"' in slipped and "+4d slip" in slipped
    assert 'class="badge tone-good" data-status="ahead"' in ahead and "2d ahead" in ahead
    assert on_time == ""
    assert no_data == '<span class="badge tone-idle" data-status="none">No data</span>'


def template_sources():
    roots = [Path(settings.BASE_DIR) / "templates"] + [
        Path(settings.BASE_DIR) / app / "templates"
        for app in ("projects", "deliverables", "notifications")
    ]
    return [path for root in roots for path in root.rglob("*.html")]


@pytest.mark.parametrize(
    "path", template_sources(), ids=lambda path: str(path.relative_to(settings.BASE_DIR))
)
def test_templates_take_status_colours_from_the_palette(path):
    """A status colour written by hand (`badge--approved`, `diamond--on_track`, `stat--red`)
    would bypass the palette: only the role badge and the calendar's kinds of item, which
    are no statuses, have classes of their own."""
    source = path.read_text()
    by_hand = r"(?:badge|diamond|chip|stat)--(?!role\b|milestone\b|deliverable\b)\w+"
    assert re.findall(by_hand, source) == []
