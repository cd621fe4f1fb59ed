"""Resource behaviour beyond the flow: members and roles, filters of activity and
deliverables, names and counts in representations."""

from datetime import date, timedelta
from datetime import timezone as dt_timezone
from urllib.parse import quote

import pytest
from django.utils import timezone

from projects.models import ActivityEvent, Membership, Milestone
from tests.factories import DeliverableFactory, MilestoneFactory, UserFactory, made_in_bulk

API = "/api/v1"


def ok(response, status=200):
    assert response.status_code == status, response.content
    return response.json() if response.content else None


@pytest.mark.django_db
def test_owners_manage_members_and_a_workspace_keeps_an_owner(api_as, workspace, owner, viewer):
    api = api_as(owner)
    newcomer = UserFactory(username="copywriter")
    added = ok(
        api.post(
            f"{API}/members/",
            {"workspace": workspace.pk, "username": "copywriter", "role": "member"},
        ),
        201,
    )
    assert added["username"] == "copywriter" and added["name"] == newcomer.get_full_name()
    assert ok(api.patch(f"{API}/members/{added['id']}/", {"role": "manager"}))["role"] == "manager"

    own = Membership.objects.get(user=owner, workspace=workspace)
    refused = api.patch(f"{API}/members/{own.pk}/", {"role": "viewer"})
    assert refused.status_code == 400 and "owner" in refused.json()["errors"]["role"][0]

    unknown = api.post(f"{API}/members/", {"workspace": workspace.pk, "username": "nobody"})
    assert "nobody" in unknown.json()["errors"]["username"][0]

    ok(api.delete(f"{API}/members/{added['id']}/"), 204)
    assert not Membership.objects.filter(pk=added["id"]).exists()
    workspace_row = ok(api_as(viewer).get(f"{API}/workspaces/{workspace.pk}/"))
    assert workspace_row["role"] == "viewer" and workspace_row["members_count"] == 2


@pytest.mark.django_db
def test_activity_filters_by_project_target_actor_and_time(api_as, project, manager, member):
    milestone = MilestoneFactory(project=project)
    api = api_as(manager)
    ok(api.patch(f"{API}/milestones/{milestone.pk}/", {"title": "Renamed"}))
    ok(api_as(member).post(f"{API}/milestones/{milestone.pk}/complete/", {}))
    ActivityEvent.objects.filter(verb="milestone.updated").update(
        created_at=timezone.now() - timedelta(days=2)
    )

    def verbs(query: str) -> list[str]:
        return [e["verb"] for e in ok(api.get(f"{API}/activity/?{query}"))["results"]]

    target = f"target_type=milestone&target_id={milestone.pk}"
    assert verbs(target) == ["milestone.completed", "milestone.updated"]
    assert verbs(f"{target}&actor={member.pk}") == ["milestone.completed"]
    since = (timezone.now() - timedelta(days=1)).isoformat().replace("+00:00", "Z")
    assert verbs(f"project={project.pk}&since={since}") == ["milestone.completed"]
    assert verbs(f"project={project.pk + 1000}") == []
    # An offset beyond PostgreSQL's ±15:59 is still a valid ISO 8601 instant.
    far_east = (timezone.now() - timedelta(days=1)).astimezone(
        dt_timezone(timedelta(hours=16, minutes=14))
    )
    assert verbs(f"project={project.pk}&since={quote(far_east.isoformat())}") == [
        "milestone.completed"
    ]
    too_early = api.get(f"{API}/activity/?since={quote('0001-01-01T00:00:00+16:14')}")
    assert too_early.status_code == 400 and "since" in too_early.json()["errors"]


@pytest.mark.django_db
def test_deliverable_filters_and_derived_values(api_as, project, member):
    milestone = MilestoneFactory(project=project)
    today = date.today()
    late = DeliverableFactory(milestone=milestone, due_date=today - timedelta(days=5))
    DeliverableFactory(milestone=milestone, due_date=today + timedelta(days=20), kind="email")
    DeliverableFactory(milestone=milestone, due_date=None)
    api = api_as(member)

    overdue = ok(api.get(f"{API}/deliverables/?overdue=true"))["results"]
    assert [d["id"] for d in overdue] == [late.pk] and overdue[0]["is_overdue"] is True
    window = f"due_after={today.isoformat()}&due_before={(today + timedelta(days=30)).isoformat()}"
    assert ok(api.get(f"{API}/deliverables/?{window}"))["count"] == 1
    assert ok(api.get(f"{API}/deliverables/?kind=email&project={project.pk}"))["count"] == 1
    no_date = ok(api.get(f"{API}/deliverables/?search=&ordering=due_date"))["results"]
    assert {d["is_overdue"] for d in no_date} == {True, False}

    row = ok(api.get(f"{API}/milestones/{milestone.pk}/"))
    assert (row["deliverables_total"], row["deliverables_done"]) == (3, 0)
    assert row["project_name"] == project.name


@pytest.mark.django_db
def test_page_size_is_capped_at_200(api_as, project, member):
    due = date(2027, 1, 1)
    Milestone.objects.bulk_create(
        Milestone(project=project, title=f"M{n}", due_date=due, baseline_due_date=due)
        for n in range(205)
    )
    made_in_bulk()
    page = ok(api_as(member).get(f"{API}/milestones/?page_size=1000"))
    assert page["count"] == 205 and len(page["results"]) == 200


@pytest.mark.django_db
def test_only_managers_force_completion_and_must_say_why(api_as, project, manager, member):
    milestone = MilestoneFactory(project=project)
    DeliverableFactory(milestone=milestone, title="Press kit")
    url = f"{API}/milestones/{milestone.pk}/complete/"
    assert api_as(member).post(url, {"force": True, "reason": "Ship it"}).status_code == 403
    no_reason = api_as(manager).post(url, {"force": True})
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["errors"]
    done = ok(api_as(manager).post(url, {"force": True, "reason": "Client signed off by phone"}))
    assert done["status"] == "completed"
    event = ActivityEvent.objects.get(verb="milestone.completed", target_id=milestone.pk)
    assert event.data["forced"] is True and event.data["reason"] == "Client signed off by phone"
