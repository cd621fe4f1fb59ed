"""Conditional reads: an ETag from the versions of what a response shows, and
`If-None-Match` answered 304 before the rows are read, on API reads and on pages."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deliverables.services import deliverables as deliverable_services
from milestones_site.api.concurrency import row_part
from notifications.models import Notification
from notifications.services import follow_set
from projects.services import milestones as milestone_services
from tests.factories import DeliverableFactory, MilestoneFactory, ProjectFactory, WorkspaceFactory

API = "/api/v1"


def revalidate(client, url: str, etag: str, **headers):
    return client.get(url, HTTP_IF_NONE_MATCH=etag, **headers)


@pytest.mark.django_db
def test_an_unchanged_api_list_is_304_without_reading_its_rows(
    api_as, project, manager, django_capture_on_commit_callbacks
):
    milestones = MilestoneFactory.create_batch(3, project=project)
    api = api_as(manager)
    url = f"{API}/milestones/?page_size=100"
    first = api.get(url)
    etag = first["ETag"]
    assert first.status_code == 200 and etag.startswith('"')
    assert {"private", "no-cache"} <= {part.strip() for part in first["Cache-Control"].split(",")}

    with CaptureQueriesContext(connection) as queries:
        again = revalidate(api, url, etag)
    assert (again.status_code, again.content, again["ETag"]) == (304, b"", etag)
    assert not [q["sql"] for q in queries if "projects_milestone" in q["sql"]]
    assert revalidate(api, f"{url}&status=planned", etag).status_code == 200  # another list

    with django_capture_on_commit_callbacks(execute=True):
        edit = api.patch(f"{API}/milestones/{milestones[0].pk}/", {"title": "Print run"})
        assert edit.status_code == 200
    changed = revalidate(api, url, etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert "Print run" in {row["title"] for row in changed.json()["results"]}
    assert revalidate(api, url, changed["ETag"]).status_code == 304


@pytest.mark.django_db
def test_a_detail_is_304_until_anything_it_shows_changes(
    api_as, project, manager, django_capture_on_commit_callbacks
):
    milestone = MilestoneFactory(project=project)
    DeliverableFactory(milestone=milestone)
    api = api_as(manager)
    url = f"{API}/milestones/{milestone.pk}/"
    etag = api.get(url)["ETag"]
    assert revalidate(api, url, etag).status_code == 304

    # A new deliverable moves the milestone's counts, not its own version.
    with django_capture_on_commit_callbacks(execute=True):
        deliverable_services.deliverable_create(milestone=milestone, actor=manager, title="Poster")
    fresh = revalidate(api, url, etag)
    assert fresh.status_code == 200 and fresh.json()["deliverables_total"] == 2
    assert row_part(fresh["ETag"]) == row_part(etag)
    # If-Match compares the row's version only: the old tag still writes.
    assert api.patch(url, {"title": "Launch"}, HTTP_IF_MATCH=etag).status_code == 200


@pytest.mark.django_db
def test_tags_differ_by_reader_and_by_day(api_as, project, manager, member):
    MilestoneFactory(project=project)
    url = f"{API}/milestones/"
    assert api_as(manager).get(url)["ETag"] != api_as(member).get(url)["ETag"]
    with time_machine.travel(timezone.now(), tick=False) as clock:
        api = api_as(manager)
        today = api.get(url)["ETag"]
        clock.shift(timedelta(days=1))  # overdue and health move at midnight
        assert revalidate(api, url, today).status_code == 200


@pytest.mark.django_db
def test_another_workspace_changing_leaves_the_tag_alone(
    api_as, project, manager, django_capture_on_commit_callbacks
):
    MilestoneFactory(project=project)
    api = api_as(manager)
    etag = api.get(f"{API}/milestones/")["ETag"]
    with django_capture_on_commit_callbacks(execute=True):
        MilestoneFactory(project=ProjectFactory(workspace=WorkspaceFactory()))
        deliverable_services.deliverable_create(
            milestone=MilestoneFactory(project=ProjectFactory(workspace=WorkspaceFactory())),
            actor=None,
            title="Elsewhere",
        )
    assert revalidate(api, f"{API}/milestones/", etag).status_code == 304


@pytest.mark.django_db
def test_reads_of_a_person_own_things_are_not_conditional(api_as, manager):
    api = api_as(manager)
    for route in ("notifications/", "tokens/"):
        response = api.get(f"{API}/{route}")
        assert response.status_code == 200 and "ETag" not in response
        assert revalidate(api, f"{API}/{route}", '"anything"').status_code == 200


PAGES = ("projects:dashboard", "projects:my_work", "projects:calendar")


# Committed for real: each change renews the workspace's version once it commits.
@pytest.mark.django_db(transaction=True)
def test_pages_are_304_until_their_workspace_changes(signed_in, project, manager):
    milestone = MilestoneFactory(project=project)
    browser = signed_in(manager)
    urls = [reverse(name) for name in PAGES] + [
        reverse("projects:project_detail", args=[project.pk]),
        reverse("projects:project_activity", args=[project.pk]),
        reverse("projects:milestone_detail", args=[milestone.pk]),
    ]
    tags = {}
    for url in urls:
        page = browser.get(url)
        assert page.status_code == 200 and page["ETag"].startswith('W/"'), url
        tags[url] = page["ETag"]
        assert revalidate(browser, url, tags[url]).status_code == 304, url
        # The same URL asked by htmx for a fragment is another response.
        assert revalidate(browser, url, tags[url], HTTP_HX_REQUEST="true").status_code == 200

    milestone_services.milestone_edit(milestone=milestone, actor=manager, data={"title": "X"})
    for url in urls:
        fresh = revalidate(browser, url, tags[url])
        assert fresh.status_code == 200, url
        tags[url] = fresh["ETag"]

    # Following shows on the project's pages: it renews them too.
    follow_set(user=manager, subject=project, following=True)
    for url in urls:
        assert revalidate(browser, url, tags[url]).status_code == 200, url


@pytest.mark.django_db
def test_the_bell_and_a_waiting_message_make_a_page_render(signed_in, project, manager):
    browser = signed_in(manager)
    url = reverse("projects:dashboard")
    etag = browser.get(url)["ETag"]
    Notification.objects.create(recipient=manager, kind="digest", key="k", title="Digest")
    page = revalidate(browser, url, etag)
    assert page.status_code == 200 and page["ETag"] != etag

    # A message shown once is never answered from the browser's copy.
    response = browser.post(reverse("projects:switch_workspace"), {"workspace": "0"})
    assert response.status_code == 302
    with_message = revalidate(browser, url, page["ETag"])
    assert with_message.status_code == 200 and "ETag" not in with_message
    assert "not a member of that workspace" in with_message.content.decode()
    assert revalidate(browser, url, page["ETag"]).status_code == 304
