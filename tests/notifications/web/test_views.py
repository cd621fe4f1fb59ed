"""Notification centre, preferences, follows and webhook pages in the browser."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone

from notifications.models import Follow, Notification, NotificationPreference, WebhookEndpoint
from notifications.web.context_processors import unread_notifications
from tests.factories import MilestoneFactory
from tests.milestones_site.web.test_navigation import HOSTILE_RETURN_ADDRESSES


def note(user, n: int, **fields) -> Notification:
    return Notification.objects.create(
        recipient=user,
        kind="milestone_completed",
        key=f"test:{n}",
        title=f"Launch checkpoint {n}",
        url="/somewhere/",
        **fields,
    )


@pytest.fixture
def browser(client, member):
    client.force_login(member)
    return client


def test_the_centre_lists_my_notifications_in_a_constant_number_of_queries(
    browser, member, manager, django_assert_max_num_queries
):
    note(manager, 0)
    browser.get("/notifications/")
    counts = []
    for total in (2, 20):
        for n in range(len(counts) * 2 + 1, total + 1):
            note(member, n)
        with django_assert_max_num_queries(30) as queries:
            response = browser.get("/notifications/")
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]
    page = response.content.decode()
    assert "Launch checkpoint 20" in page and "Launch checkpoint 0" not in page


def test_mark_read_opens_the_link_and_mark_all_clears_the_count(browser, member, manager):
    first, _ = note(member, 1), note(member, 2)

    def bell() -> int:  # as the next page shows it
        request = RequestFactory().get("/")
        request.user = member
        return unread_notifications(request)["unread_notifications"]

    assert bell() == 2
    response = browser.post(f"/notifications/{first.pk}/read/", {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/somewhere/"
    assert bell() == 1
    browser.post("/notifications/read-all/")
    assert bell() == 0
    someone_elses = note(manager, 3)
    assert browser.post(f"/notifications/{someone_elses.pk}/read/").status_code == 404
    assert browser.get(f"/notifications/{first.pk}/read/").status_code == 405


def test_preferences_page_saves_choices(browser, member):
    assert browser.get("/notifications/preferences/").status_code == 200
    response = browser.post(
        "/notifications/preferences/",
        {
            "timezone": "America/Los_Angeles",
            "email_reminders": "on",
            "digest": "weekly",
            "digest_weekday": "4",
            "digest_hour": "9",
        },
    )
    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=member)
    assert (preference.digest, preference.digest_weekday, preference.digest_hour) == (
        "weekly",
        4,
        9,
    )
    assert preference.email_reminders and not preference.email_events
    bad = browser.post("/notifications/preferences/", {"digest": "hourly", "digest_hour": "9"})
    assert bad.status_code == 200 and "hourly" in bad.content.decode()


def test_follow_and_unfollow_a_milestone(browser, member, project, outsider, client):
    milestone = MilestoneFactory(project=project)
    url = f"/notifications/follow/milestone/{milestone.pk}/"
    browser.post(url, {"follow": "1", "next": "/elsewhere/"})
    assert Follow.objects.filter(user=member, milestone=milestone).exists()
    browser.post(url, {"follow": "0"})
    assert not Follow.objects.filter(user=member, milestone=milestone).exists()
    client.force_login(outsider)
    assert client.post(url, {"follow": "1"}).status_code == 404


@pytest.mark.parametrize("target", HOSTILE_RETURN_ADDRESSES)
def test_following_returns_only_to_a_path_on_this_site(browser, project, target):
    url = f"/notifications/follow/project/{project.pk}/"
    assert browser.post(url, {"follow": "1", "next": target})["Location"] == "/notifications/"
    assert browser.post(url, {"follow": "1", "next": "/calendar/"})["Location"] == "/calendar/"


def test_owner_adds_a_webhook_and_sees_its_delivery_log(client, owner, workspace, settings):
    settings.MILESTONES_WEBHOOK_ALLOW_PRIVATE = True
    client.force_login(owner)
    response = client.post(
        "/notifications/webhooks/",
        {
            "workspace": workspace.pk,
            "url": "http://127.0.0.1:9/hook",
            "event_types": "milestone.completed, deliverable.approved",
        },
    )
    endpoint = WebhookEndpoint.objects.get()
    assert response["Location"] == f"/notifications/webhooks/{endpoint.pk}/"
    assert endpoint.event_types == ["milestone.completed", "deliverable.approved"]
    page = client.get(response["Location"]).content.decode()
    assert endpoint.secret in page and "Delivery log" in page
    client.post(response["Location"], {"action": "disable"})
    endpoint.refresh_from_db()
    assert not endpoint.active


def test_owner_makes_a_new_secret_and_the_page_says_how_long_the_old_one_signs(
    client, owner, workspace, settings
):
    settings.MILESTONES_WEBHOOK_ALLOW_PRIVATE = True
    client.force_login(owner)
    endpoint = WebhookEndpoint.objects.create(
        workspace=workspace, url="http://127.0.0.1:9/hook", secret="old-secret-value"
    )
    path = f"/notifications/webhooks/{endpoint.pk}/"
    assert "Previous secret" not in client.get(path).content.decode()
    assert client.post(path, {"action": "rotate"})["Location"] == path
    endpoint.refresh_from_db()
    assert endpoint.secret != "old-secret-value" and endpoint.previous_secret == "old-secret-value"
    page = client.get(path).content.decode()
    assert endpoint.secret in page and "old-secret-value" not in page
    until = timezone.localtime(endpoint.previous_secret_expires_at)
    assert f"still signs deliveries until {until:%Y-%m-%d %H:%M}" in page


def test_members_cannot_reach_webhooks_of_their_workspace(browser, owner, workspace, settings):
    settings.MILESTONES_WEBHOOK_ALLOW_PRIVATE = True
    endpoint = WebhookEndpoint.objects.create(
        workspace=workspace, url="http://127.0.0.1:9/hook", secret="s3cret-value"
    )
    assert browser.get(f"/notifications/webhooks/{endpoint.pk}/").status_code == 404
    page = browser.get("/notifications/webhooks/").content.decode()
    assert "s3cret-value" not in page and "Only workspace owners" in page


def test_follow_button_shows_the_current_state(rf, member, project):
    request = rf.get(f"/projects/{project.pk}/")
    request.user = member
    template = Template("{% load notification_tags %}{% follow_button project %}")
    html = template.render(Context({"request": request, "project": project}))
    assert f'action="/notifications/follow/project/{project.pk}/"' in html and ">Follow<" in html
    Follow.objects.create(user=member, project=project)
    assert ">Unfollow<" in template.render(Context({"request": request, "project": project}))
