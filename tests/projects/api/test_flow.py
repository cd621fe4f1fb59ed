"""An integration's whole journey with only a token: plan a campaign, move its work
through its life, survive a conflict, page and filter."""

import pytest

API = "/api/v1"


def ok(response, status=200):
    assert response.status_code == status, response.content
    return response.json()


@pytest.mark.django_db
def test_campaign_from_plan_to_delivery(api_as, workspace, owner, manager, member):
    api = api_as(manager)
    project = ok(
        api.post(
            f"{API}/projects/",
            {
                "workspace": workspace.pk,
                "name": "Spring launch",
                "kind": "product_launch",
                "start_date": "2027-03-01",
                "target_date": "2027-05-31",
                "owner": member.pk,
            },
        ),
        201,
    )
    assert project["owner_name"] == member.get_full_name()
    assert project["milestones_total"] == 0 and project["health"] == "on_track"

    phase = ok(api.post(f"{API}/phases/", {"project": project["id"], "name": "Production"}), 201)
    assert phase["project_name"] == "Spring launch" and phase["order"] == 0
    # A phase placed at a taken order goes before it; the others move down the list.
    research = ok(
        api.post(f"{API}/phases/", {"project": project["id"], "name": "Research", "order": 0}),
        201,
    )
    assert research["order"] == 0
    assert ok(api.get(f"{API}/phases/{phase['id']}/"))["order"] == 1

    teaser = ok(
        api.post(
            f"{API}/milestones/",
            {
                "project": project["id"],
                "phase": phase["id"],
                "title": "Teaser live",
                "due_date": "2027-04-01",
                "category": "campaign_checkpoint",
            },
        ),
        201,
    )
    launch = ok(
        api.post(
            f"{API}/milestones/",
            {
                "project": project["id"],
                "title": "Launch day",
                "due_date": "2027-05-01",
                "category": "launch",
                "depends_on": [teaser["id"]],
                "owner": member.pk,
            },
        ),
        201,
    )
    assert launch["depends_on"] == [teaser["id"]] and launch["slip_days"] == 0

    video = ok(
        api.post(
            f"{API}/deliverables/",
            {"milestone": teaser["id"], "title": "Teaser video", "kind": "video"},
        ),
        201,
    )
    assert video["project_name"] == "Spring launch" and video["possible_moves"] == [
        "start",
        "submit",
    ]
    ok(api.post(f"{API}/checklist-items/", {"deliverable": video["id"], "text": "Subtitles"}), 201)

    # Completing is refused while the video is open, naming it.
    refused = api.post(f"{API}/milestones/{teaser['id']}/complete/", {})
    assert refused.status_code == 400
    assert "Teaser video" in refused.json()["errors"]["deliverables"][0]

    member_api = api_as(member)
    ok(member_api.post(f"{API}/deliverables/{video['id']}/submit/"))
    changes = ok(
        api.post(f"{API}/deliverables/{video['id']}/request-changes/", {"note": "Shorter cut"})
    )
    assert changes["status"] == "changes_requested"
    ok(member_api.post(f"{API}/deliverables/{video['id']}/submit/"))
    approved = ok(api.post(f"{API}/deliverables/{video['id']}/approve/"))
    assert approved["approver_name"] == manager.get_full_name()
    assert ok(api.post(f"{API}/deliverables/{video['id']}/deliver/"))["status"] == "delivered"

    moved = ok(
        member_api.post(
            f"{API}/milestones/{launch['id']}/reschedule/",
            {"due_date": "2027-05-08", "reason": "Retail partner asked for a week"},
        )
    )
    assert moved["slip_days"] == 7 and moved["baseline_due_date"] == "2027-05-01"
    assert ok(api.post(f"{API}/milestones/{launch['id']}/rebaseline/", {}))["slip_days"] == 0

    done = ok(member_api.post(f"{API}/milestones/{teaser['id']}/complete/", {}))
    assert done["status"] == "completed" and done["health"] == "completed"
    ok(api.post(f"{API}/milestones/{launch['id']}/complete/", {}))

    ok(
        api.post(
            f"{API}/status-updates/",
            {
                "project": project["id"],
                "health": "on_track",
                "summary": "Launched on the new date.",
            },
        ),
        201,
    )
    ok(
        member_api.post(
            f"{API}/comments/",
            {"target_type": "milestone", "target_id": launch["id"], "body": "Great work"},
        ),
        201,
    )

    final = ok(api.get(f"{API}/projects/{project['id']}/"))
    assert final["milestone_progress"] == 100 and final["deliverable_progress"] == 100
    verbs = [
        event["verb"]
        for event in ok(api.get(f"{API}/activity/?project={project['id']}"))["results"]
    ]
    assert "milestone.rescheduled" in verbs and "deliverable.approved" in verbs


@pytest.mark.django_db
def test_conflict_is_detected_and_resolved_with_the_current_version(api_as, project, manager):
    api = api_as(manager)
    url = f"{API}/projects/{project.pk}/"
    read = api.get(url)
    etag = read["ETag"]
    assert etag.startswith(f'"{project.pk}-{project.version}.')  # id, version, what it shows

    ok(api.patch(url, {"objective": "Grow sign-ups"}, HTTP_IF_MATCH=etag))
    stale = api.patch(url, {"name": "Renamed"}, HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    body = stale.json()
    assert body["current"]["objective"] == "Grow sign-ups"
    assert stale["ETag"].startswith(f'"{project.pk}-{project.version + 1}.')

    retried = ok(api.patch(url, {"name": "Renamed"}, HTTP_IF_MATCH=stale["ETag"]))
    assert retried["name"] == "Renamed" and retried["objective"] == "Grow sign-ups"


@pytest.mark.django_db
def test_lists_page_and_filter(api_as, project, manager):
    from tests.factories import MilestoneFactory

    MilestoneFactory.create_batch(5, project=project, status="blocked")
    MilestoneFactory.create_batch(3, project=project, status="planned")
    api = api_as(manager)

    first = ok(api.get(f"{API}/milestones/?status=blocked&page_size=2"))
    assert first["count"] == 5 and len(first["results"]) == 2 and first["next"]
    last = ok(api.get(f"{API}/milestones/?status=blocked&page_size=2&page=3"))
    assert len(last["results"]) == 1 and last["next"] is None
    assert ok(api.get(f"{API}/milestones/?health=at_risk"))["count"] == 5
    assert (
        ok(api.get(f"{API}/projects/?workspace={project.workspace_id}&status=active"))["count"] == 1
    )
    titles = [m["title"] for m in ok(api.get(f"{API}/milestones/?ordering=-title"))["results"]]
    assert titles == sorted(titles, reverse=True)
