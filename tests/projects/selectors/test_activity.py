"""Activity runs: the feeds show one person's consecutive changes under their name once."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from projects.models import ActivityEvent
from projects.selectors.activity import RUN_GAP, activity_runs
from projects.services import milestones as milestone_services

pytestmark = pytest.mark.django_db

T0 = timezone.now()


def event(actor, verb, target, minutes, data=None, name=None):
    """An unsaved event `minutes` before T0, about `target`."""
    return ActivityEvent(
        actor=actor,
        actor_name=name if name is not None else actor.get_full_name(),
        verb=verb,
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        target_repr=str(target),
        data=data or {},
        created_at=T0 - timedelta(minutes=minutes),
    )


def test_consecutive_events_of_one_person_make_one_run(plan, manager, member):
    film, launch = plan["film"], plan["launch"]
    events = [
        event(manager, "milestone.updated", film, 1),
        event(manager, "milestone.updated", film, 2),
        event(manager, "milestone.updated", film, 3),
        event(manager, "milestone.rescheduled", launch, 4, {"reason": "Venue"}),
        event(member, "milestone.updated", film, 5),
        event(manager, "milestone.updated", film, 6),
    ]

    runs = activity_runs(events)

    assert [(run.actor_name, run.size) for run in runs] == [
        (manager.get_full_name(), 4),
        (member.get_full_name(), 1),
        (manager.get_full_name(), 1),  # not consecutive: a run of its own
    ]
    first = runs[0]
    assert [(line.event.verb, line.times) for line in first.lines] == [
        ("milestone.updated", 3),  # three edits of the film read as one line
        ("milestone.rescheduled", 1),
    ]
    assert (first.latest, first.earliest) == (events[0].created_at, events[3].created_at)


def test_a_pause_or_another_name_starts_a_new_run(plan, manager):
    film = plan["film"]
    gap = RUN_GAP.total_seconds() / 60
    runs = activity_runs(
        [
            event(manager, "milestone.updated", film, 0),
            event(manager, "milestone.updated", film, gap + 1),  # more than RUN_GAP earlier
            event(None, "deliverable.approved", film, gap + 2, name="Dana (client)"),
            event(None, "deliverable.approved", film, gap + 3, name="Eli (client)"),
        ]
    )
    assert [run.size for run in runs] == [1, 1, 1, 1]


def test_events_with_details_are_never_folded(plan, manager):
    film = plan["film"]
    runs = activity_runs(
        [
            event(manager, "milestone.rescheduled", film, 1, {"reason": "Printer"}),
            event(manager, "milestone.rescheduled", film, 2, {"reason": "Venue"}),
        ]
    )
    assert [line.times for line in runs[0].lines] == [1, 1]


def test_the_project_page_feed_shows_each_run_under_one_name(signed_in, plan, manager):
    for title in ("Film v2", "Film v3", "Film v4"):
        milestone_services.milestone_update(
            milestone=plan["film"], actor=manager, data={"title": title}
        )
    client = signed_in(manager)
    for url in (
        reverse("projects:project_detail", args=[plan["project"].pk]),
        reverse("projects:project_activity", args=[plan["project"].pk]),
    ):
        page = client.get(url).content.decode()
        feed = page.split('<ol class="feed">')[1].split("</ol>")[0]
        # plan: manager created everything, then three edits of the film: one run.
        assert feed.count('<li class="feed__run">') == 1
        assert "(3 times)" in feed
        assert feed.count(f"<strong>{manager.get_full_name()}</strong>") == 1
