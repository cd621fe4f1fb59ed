"""Operations the browser had and the API lacked: editing and deleting comments and status
updates, rewording and reordering checklist items, a milestone's reschedule history,
following, share links and calendar feeds. Another workspace's rows are a 404."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deliverables.models import ChecklistItem
from deliverables.services import checklists as checklist_services
from notifications.models import Follow
from notifications.selectors import following
from projects.models import ActivityEvent, CalendarFeed, Comment, ShareLink, StatusUpdate
from projects.services import milestones as milestone_services
from projects.services import projects as project_services
from projects.services.comments import comment_post
from tests.factories import MembershipFactory, ProjectFactory

API = "/api/v1"


@pytest.fixture
def comment(plan, member):
    return comment_post(target=plan["film"], actor=member, body="Music cleared?")


@pytest.fixture
def foreign(outsider):
    """A project, milestone and comment of a workspace the test's users are not in."""
    project = ProjectFactory(workspace=outsider.memberships.get().workspace)
    milestone = milestone_services.milestone_create(
        project=project, actor=outsider, title="Elsewhere", due_date=project.start_date
    )
    return {
        "project": project,
        "milestone": milestone,
        "comment": comment_post(target=milestone, actor=outsider, body="Not yours"),
        "update": project_services.status_update_post(
            project=project, actor=outsider, health="on_track", summary="Fine"
        ),
    }


# Comments -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_author_edits_and_deletes_a_comment(api_as, comment, member):
    api = api_as(member)
    response = api.patch(f"{API}/comments/{comment.pk}/", {"body": "  Music cleared.  "})
    assert response.status_code == 200
    assert response.json()["body"] == "Music cleared."
    event = ActivityEvent.objects.filter(verb="comment.edited").get()
    assert event.changes == {"body": ["Music cleared?", "Music cleared."]}
    assert api.patch(f"{API}/comments/{comment.pk}/", {"body": ""}).status_code == 400
    assert api.delete(f"{API}/comments/{comment.pk}/").status_code == 204
    assert not Comment.objects.exists()
    assert ActivityEvent.objects.filter(verb="comment.deleted").count() == 1


@pytest.mark.django_db
def test_a_manager_moderates_comments_other_members_may_not(api_as, comment, manager, workspace):
    other_member = MembershipFactory(workspace=workspace, role="member").user
    refused = api_as(other_member).patch(f"{API}/comments/{comment.pk}/", {"body": "Mine now"})
    assert refused.status_code == 403
    assert api_as(other_member).delete(f"{API}/comments/{comment.pk}/").status_code == 403
    assert (
        api_as(manager).patch(f"{API}/comments/{comment.pk}/", {"body": "Tidied"}).json()["body"]
        == "Tidied"
    )
    assert api_as(manager).delete(f"{API}/comments/{comment.pk}/").status_code == 204


@pytest.mark.django_db
def test_a_stale_if_match_on_a_comment_is_412(api_as, comment, member):
    api = api_as(member)
    etag = api.get(f"{API}/comments/{comment.pk}/")["ETag"]
    assert api.patch(f"{API}/comments/{comment.pk}/", {"body": "One"}, HTTP_IF_MATCH=etag)
    stale = api.patch(f"{API}/comments/{comment.pk}/", {"body": "Two"}, HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert stale.json()["current"]["body"] == "One"


@pytest.mark.django_db
def test_another_workspaces_comment_is_a_404(api_as, foreign, manager):
    api, pk = api_as(manager), foreign["comment"].pk
    assert api.patch(f"{API}/comments/{pk}/", {"body": "x"}).status_code == 404
    assert api.delete(f"{API}/comments/{pk}/").status_code == 404


# Status updates -------------------------------------------------------------------------


@pytest.mark.django_db
def test_status_updates_are_corrected_and_deleted_and_health_follows(
    api_as, plan, manager, member, owner
):
    project = plan["project"]
    first = project_services.status_update_post(
        project=project, actor=manager, health="on_track", summary="Fine"
    )
    latest = project_services.status_update_post(
        project=project, actor=manager, health="at_risk", summary="Printer late"
    )
    api = api_as(manager)
    assert api.get(f"{API}/projects/{project.pk}/").json()["health"] == "at_risk"
    response = api.patch(f"{API}/status-updates/{latest.pk}/", {"health": "off_track"})
    assert response.status_code == 200 and response.json()["health"] == "off_track"
    assert api.get(f"{API}/projects/{project.pk}/").json()["health"] == "off_track"
    assert (
        api_as(member).patch(f"{API}/status-updates/{latest.pk}/", {"summary": "x"}).status_code
        == 403
    )
    assert api_as(member).delete(f"{API}/status-updates/{latest.pk}/").status_code == 403
    # Another manager (the owner) may remove it; the post before it speaks for the project.
    assert api_as(owner).delete(f"{API}/status-updates/{latest.pk}/").status_code == 204
    assert list(StatusUpdate.objects.filter(project=project)) == [first]
    assert api.get(f"{API}/projects/{project.pk}/").json()["health"] == "on_track"


@pytest.mark.django_db
def test_another_workspaces_status_update_is_a_404(api_as, foreign, manager):
    api, pk = api_as(manager), foreign["update"].pk
    assert api.patch(f"{API}/status-updates/{pk}/", {"summary": "x"}).status_code == 404
    assert api.delete(f"{API}/status-updates/{pk}/").status_code == 404


# Checklist items ------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_checklist_item_is_reworded_reordered_and_ticked(api_as, plan, member, viewer):
    cut = plan["cut"]
    for text in ("Subtitles", "Colour grade"):
        checklist_services.checklist_item_add(parent=cut, actor=member, text=text)
    music, _subtitles, grade = ChecklistItem.objects.filter(deliverable=cut).order_by("order")
    api = api_as(member)
    response = api.patch(f"{API}/checklist-items/{grade.pk}/", {"text": "Grade", "order": 0})
    assert response.status_code == 200
    assert response.json()["text"] == "Grade" and response.json()["order"] == 0
    rows = ChecklistItem.objects.filter(deliverable=cut).order_by("order")
    assert [(item.text, item.order) for item in rows] == [
        ("Grade", 0),
        ("Music licensed", 1),
        ("Subtitles", 2),
    ]
    # Past the end is last; ticking in the same edit.
    response = api.patch(f"{API}/checklist-items/{grade.pk}/", {"order": 9, "done": True})
    assert response.json()["order"] == 2 and response.json()["done"] is True
    assert {e.verb for e in ActivityEvent.objects.filter(verb__startswith="checklist_item.")} >= {
        "checklist_item.edited",
        "checklist_item.moved",
        "checklist_item.checked",
    }
    assert api.patch(f"{API}/checklist-items/{music.pk}/", {"text": ""}).status_code == 400
    assert api.patch(f"{API}/checklist-items/{music.pk}/", {"order": -1}).status_code == 400
    assert (
        api_as(viewer).patch(f"{API}/checklist-items/{music.pk}/", {"text": "x"}).status_code == 403
    )


@pytest.mark.django_db
def test_another_workspaces_checklist_item_is_a_404(api_as, foreign, outsider, manager):
    item = checklist_services.checklist_item_add(
        parent=foreign["milestone"], actor=outsider, text="Theirs"
    )
    assert (
        api_as(manager).patch(f"{API}/checklist-items/{item.pk}/", {"order": 0}).status_code == 404
    )


# Reschedule history ----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_milestones_reschedule_history_newest_first(api_as, plan, member, foreign):
    film, api = plan["film"], api_as(member)
    due = film.due_date
    for days, reason in ((3, "Studio booked"), (5, "Talent ill")):
        body = {"due_date": (due + timedelta(days=days)).isoformat(), "reason": reason}
        assert api.post(f"{API}/milestones/{film.pk}/reschedule/", body).status_code == 200
    response = api.get(f"{API}/milestones/{film.pk}/reschedules/")
    assert response.status_code == 200
    page = response.json()
    assert page["count"] == 2
    newest, oldest = page["results"]
    assert newest["reason"] == "Talent ill" and newest["slip_days"] == 2
    assert newest["old_date"] == (due + timedelta(days=3)).isoformat()
    assert oldest["old_date"] == due.isoformat() and oldest["slip_days"] == 3
    assert newest["changed_by"] == member.pk and newest["changed_by_name"]
    assert api.get(f"{API}/milestones/{foreign['milestone'].pk}/reschedules/").status_code == 404


@pytest.mark.django_db
def test_the_reschedule_history_costs_the_same_queries_for_more_moves(api_as, plan, member):
    film, api = plan["film"], api_as(member)
    url = f"{API}/milestones/{film.pk}/reschedules/"

    def move(times):
        for _ in range(times):
            milestone = type(film).objects.get(pk=film.pk)
            milestone_services.milestone_reschedule(
                milestone=milestone,
                new_date=milestone.due_date + timedelta(days=1),
                reason="Again",
                actor=member,
            )

    api.get(url)  # the token is marked used once a minute
    move(1)
    with CaptureQueriesContext(connection) as few:
        assert api.get(url).json()["count"] == 1
    move(6)
    with CaptureQueriesContext(connection) as many:
        assert api.get(url).json()["count"] == 7
    assert len(many) == len(few)


# Follows ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_follow_and_unfollow_as_the_follow_buttons_do(api_as, plan, viewer, foreign, outsider):
    api, project, film = api_as(viewer), plan["project"], plan["film"]
    response = api.post(f"{API}/follows/", {"project": project.pk})
    assert response.status_code == 201
    follow = response.json()
    assert response["Location"].endswith(f"/api/v1/follows/{follow['id']}/")
    assert following(viewer, project)
    # Following again is no change (and no second row).
    assert api.post(f"{API}/follows/", {"project": project.pk}).status_code == 200
    assert api.post(f"{API}/follows/", {"milestone": film.pk}).status_code == 201
    listed = api.get(f"{API}/follows/").json()["results"]
    assert {(row["project"], row["milestone"]) for row in listed} == {
        (project.pk, None),
        (None, film.pk),
    }
    assert api.delete(f"{API}/follows/{follow['id']}/").status_code == 204
    assert not following(viewer, project) and following(viewer, film)
    both = api.post(f"{API}/follows/", {"project": project.pk, "milestone": film.pk})
    assert both.status_code == 400
    # Another workspace's subject cannot be named; another person's follow is not there.
    assert api.post(f"{API}/follows/", {"project": foreign["project"].pk}).status_code == 400
    theirs = Follow.objects.create(user=outsider, project=foreign["project"])
    assert api.get(f"{API}/follows/{theirs.pk}/").status_code == 404
    assert api.delete(f"{API}/follows/{theirs.pk}/").status_code == 404
    assert Follow.objects.filter(pk=theirs.pk).exists()


# Share links ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_share_links_are_made_listed_and_revoked(api_as, plan, manager, viewer, client, foreign):
    api, project = api_as(manager), plan["project"]
    response = api.post(
        f"{API}/share-links/", {"project": project.pk, "label": "Client", "allow_signoff": True}
    )
    assert response.status_code == 201
    created = response.json()
    assert response["Location"].endswith(f"/api/v1/share-links/{created['id']}/")
    assert created["url"].startswith("http://testserver/share/sh_")
    assert client.get(created["url"]).status_code == 200
    listed = api_as(viewer).get(f"{API}/share-links/").json()["results"]
    assert [row["id"] for row in listed] == [created["id"]]
    assert "url" not in listed[0] and listed[0]["is_active"] is True
    assert api_as(viewer).delete(f"{API}/share-links/{created['id']}/").status_code == 403
    assert api_as(viewer).post(f"{API}/share-links/", {"project": project.pk}).status_code == 403
    assert api.delete(f"{API}/share-links/{created['id']}/").status_code == 204
    assert api.get(f"{API}/share-links/{created['id']}/").json()["is_active"] is False
    assert client.get(created["url"]).status_code == 404
    assert api.post(f"{API}/share-links/", {"project": foreign["project"].pk}).status_code == 400
    theirs = ShareLink.objects.create(
        project=foreign["project"], prefix="sh_theirs", secret_hash="f" * 64
    )
    assert api.get(f"{API}/share-links/{theirs.pk}/").status_code == 404
    assert api.delete(f"{API}/share-links/{theirs.pk}/").status_code == 404


# Calendar feeds ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_calendar_feeds_are_made_listed_and_revoked(api_as, plan, member, manager, client, foreign):
    api = api_as(member)
    personal = api.post(f"{API}/calendar-feeds/", {})
    assert personal.status_code == 201
    feed = personal.json()
    assert feed["project"] is None and feed["url"].endswith(".ics")
    assert client.get(feed["url"]).status_code == 200
    of_project = api.post(f"{API}/calendar-feeds/", {"project": plan["project"].pk})
    assert of_project.status_code == 201 and of_project.json()["project_name"] == "Ridgeback launch"
    assert [row["id"] for row in api.get(f"{API}/calendar-feeds/").json()["results"]] == [
        of_project.json()["id"],
        feed["id"],
    ]
    # Feeds are personal: another member sees none of them.
    assert api_as(manager).get(f"{API}/calendar-feeds/").json()["count"] == 0
    assert api_as(manager).delete(f"{API}/calendar-feeds/{feed['id']}/").status_code == 404
    assert api.delete(f"{API}/calendar-feeds/{feed['id']}/").status_code == 204
    assert client.get(feed["url"]).status_code == 404
    assert CalendarFeed.objects.get(pk=feed["id"]).revoked_at is not None
    refused = api.post(f"{API}/calendar-feeds/", {"project": foreign["project"].pk})
    assert refused.status_code == 400 and "project" in refused.json()["errors"]
