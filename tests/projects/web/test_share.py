"""The public share page and client sign-off through it."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deliverables.models import Deliverable
from projects.models import ActivityEvent, ShareLink
from projects.services import sharing
from tests.factories import (
    DeliverableFactory,
    MilestoneFactory,
    PhaseFactory,
    ProjectFactory,
    WorkspaceFactory,
)

pytestmark = pytest.mark.django_db

REVIEWER = {"name": "Dana Client", "email": "dana@client.example"}


@pytest.fixture
def in_review(project, manager):
    milestone = MilestoneFactory(project=project, owner=manager, title="Holiday landing page live")
    return DeliverableFactory(
        milestone=milestone,
        owner=manager,
        title="Hero banner set",
        status=Deliverable.Status.IN_REVIEW,
        link="https://assets.example/hero",
    )


def make_link(project, manager, **options) -> str:
    _, plain = sharing.share_link_create(project=project, actor=manager, **options)
    return plain


def share_url(token: str) -> str:
    return reverse("projects:share", args=[token])


def signoff_url(token: str, deliverable) -> str:
    return reverse("projects:share_signoff", args=[token, deliverable.pk])


def signoff_data(deliverable, decision="approve", **fields) -> dict:
    data = {**REVIEWER, "decision": decision, "version": deliverable.version, **fields}
    return {f"d{deliverable.pk}-{key}": value for key, value in data.items()}


def test_share_page_opens_without_login_and_shows_only_the_project(
    client, project, manager, in_review
):
    other = ProjectFactory(workspace=project.workspace, name="Secret spring campaign")
    MilestoneFactory(project=other, title="Unannounced product reveal")
    token = make_link(project, manager, allow_signoff=True)

    response = client.get(share_url(token))

    assert response.status_code == 200
    page = response.content.decode()
    assert project.name in page
    assert "Holiday landing page live" in page
    assert "Hero banner set" in page
    assert "Approve" in page  # the sign-off form for the deliverable in review
    assert "Secret spring campaign" not in page
    assert "Unannounced product reveal" not in page
    assert manager.email not in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "same-origin"


def test_read_only_link_shows_no_signoff_form(client, project, manager, in_review):
    token = make_link(project, manager, allow_signoff=False)

    response = client.get(share_url(token))

    assert response.status_code == 200
    assert "Hero banner set" in response.content.decode()
    assert signoff_url(token, in_review) not in response.content.decode()


@pytest.mark.parametrize("state", ["revoked", "expired", "unknown"])
def test_dead_link_is_a_404_page(client, project, manager, state):
    token = make_link(project, manager)
    link = ShareLink.objects.get()
    if state == "revoked":
        sharing.share_link_revoke(link=link, actor=manager)
    elif state == "expired":
        ShareLink.objects.filter(pk=link.pk).update(
            expires_at=timezone.now() - timedelta(minutes=1)
        )
    else:
        token = token[:-4] + "abcd"

    response = client.get(share_url(token))

    assert response.status_code == 404
    assert "This link is not available" in response.content.decode()
    assert project.name not in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "same-origin"


def test_client_approves_a_deliverable_as_external_reviewer(client, project, manager, in_review):
    token = make_link(project, manager, allow_signoff=True)

    response = client.post(signoff_url(token, in_review), signoff_data(in_review))

    assert response.status_code == 302
    assert response["Location"] == share_url(token)
    in_review.refresh_from_db()
    assert in_review.status == Deliverable.Status.APPROVED
    assert in_review.approved_by is None
    assert (in_review.approved_by_name, in_review.approved_by_email) == (
        "Dana Client",
        "dana@client.example",
    )
    event = ActivityEvent.objects.get(verb="deliverable.approved")
    assert event.actor is None
    assert event.actor_name == "Dana Client"
    assert event.data["reviewer_email"] == "dana@client.example"
    assert event.data["external"] is True
    followed = client.get(response["Location"])
    assert "is approved" in followed.content.decode()
    assert "signed off by Dana Client" in followed.content.decode()


def test_client_requests_changes_with_a_note(client, project, manager, in_review):
    token = make_link(project, manager, allow_signoff=True)

    response = client.post(
        signoff_url(token, in_review),
        signoff_data(in_review, "request_changes", note="Logo must be larger."),
    )

    assert response.status_code == 302
    in_review.refresh_from_db()
    assert in_review.status == Deliverable.Status.CHANGES_REQUESTED
    event = ActivityEvent.objects.get(verb="deliverable.changes_requested")
    assert (event.actor_name, event.data["note"]) == ("Dana Client", "Logo must be larger.")


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"decision": "request_changes", "note": "  "}, "note", "Say what needs to change."),
        ({"name": ""}, "name", "This field is required."),
        ({"email": "not-an-email"}, "email", "Enter a valid email address."),
        ({"decision": ""}, "decision", "Choose approve or request changes."),
    ],
)
def test_signoff_form_errors_are_shown_and_nothing_changes(
    client, project, manager, in_review, fields, field, message
):
    token = make_link(project, manager, allow_signoff=True)

    response = client.post(signoff_url(token, in_review), signoff_data(in_review, **fields))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert response.context["signoff"][0][1].errors[field] == [message]
    in_review.refresh_from_db()
    assert in_review.status == Deliverable.Status.IN_REVIEW
    assert not ActivityEvent.objects.filter(verb__startswith="deliverable.").exists()


def test_deliverable_no_longer_in_review_is_explained(client, project, manager, in_review):
    token = make_link(project, manager, allow_signoff=True)
    Deliverable.objects.filter(pk=in_review.pk).update(status=Deliverable.Status.IN_PROGRESS)

    response = client.post(signoff_url(token, in_review), signoff_data(in_review))

    assert response.status_code == 400
    assert "Cannot approve a deliverable that is in progress" in response.content.decode()


def test_stale_page_gets_a_conflict_message(client, project, manager, in_review):
    token = make_link(project, manager, allow_signoff=True)
    Deliverable.objects.filter(pk=in_review.pk).update(version=in_review.version + 1)

    response = client.post(signoff_url(token, in_review), signoff_data(in_review))

    assert response.status_code == 400
    assert "changed this deliverable while you were reading" in response.content.decode()
    in_review.refresh_from_db()
    assert in_review.status == Deliverable.Status.IN_REVIEW


def test_read_only_link_refuses_signoff(client, project, manager, in_review):
    token = make_link(project, manager, allow_signoff=False)

    response = client.post(signoff_url(token, in_review), signoff_data(in_review))

    assert response.status_code == 403
    in_review.refresh_from_db()
    assert in_review.status == Deliverable.Status.IN_REVIEW


def test_signoff_on_another_projects_deliverable_is_404(client, project, manager, in_review):
    elsewhere = DeliverableFactory(
        milestone=MilestoneFactory(project=ProjectFactory(workspace=WorkspaceFactory())),
        status=Deliverable.Status.IN_REVIEW,
    )
    token = make_link(project, manager, allow_signoff=True)

    response = client.post(signoff_url(token, elsewhere), signoff_data(elsewhere))

    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.status == Deliverable.Status.IN_REVIEW


def test_signoff_through_revoked_link_is_404(client, project, manager, in_review):
    token = make_link(project, manager, allow_signoff=True)
    sharing.share_link_revoke(link=ShareLink.objects.get(), actor=manager)

    response = client.post(signoff_url(token, in_review), signoff_data(in_review))

    assert response.status_code == 404
    in_review.refresh_from_db()
    assert in_review.status == Deliverable.Status.IN_REVIEW


def test_signoff_is_csrf_protected_and_the_page_carries_the_token(project, manager, in_review):
    browser = Client(enforce_csrf_checks=True)
    token = make_link(project, manager, allow_signoff=True)
    page = browser.get(share_url(token)).content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]

    refused = browser.post(signoff_url(token, in_review), signoff_data(in_review))
    accepted = browser.post(
        signoff_url(token, in_review), {**signoff_data(in_review), "csrfmiddlewaretoken": csrf}
    )

    assert (refused.status_code, accepted.status_code) == (403, 302)
    in_review.refresh_from_db()
    assert in_review.status == Deliverable.Status.APPROVED


def test_share_page_query_count_does_not_grow_with_milestones(client, project, manager):
    token = make_link(project, manager, allow_signoff=True)
    client.get(share_url(token))  # stamps the link as viewed; the next minute's views do not

    def queries_for(milestones: int) -> int:
        for _ in range(milestones):
            milestone = MilestoneFactory(project=project, phase=PhaseFactory(project=project))
            DeliverableFactory(milestone=milestone, status=Deliverable.Status.IN_REVIEW)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(share_url(token))
        assert len(response.context["signoff"]) == Deliverable.objects.count()
        return len(captured.captured_queries)

    assert queries_for(3) == queries_for(30)
