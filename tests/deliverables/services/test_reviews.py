"""Review rounds opened by submit and closed by the decision with the version seen, client
sign-off closing the round, comments pinned to a version, and who hears of them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from deliverables.models import ProofComment, ReviewRound
from deliverables.services import deliverables as deliverable_services
from deliverables.services import proofs as proof_services
from deliverables.services import versions as version_services
from notifications.events import process_events
from notifications.models import Kind, Notification, WebhookDelivery, WebhookEndpoint
from projects.models import ActivityEvent
from tests.deliverables.proof_files import pdf, png
from tests.factories import DeliverableFactory, MilestoneFactory, ShareLinkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def banner(project, manager, member):
    milestone = MilestoneFactory(project=project, owner=manager, title="Creatives signed off")
    return DeliverableFactory(milestone=milestone, owner=manager, title="Hero banner")


def upload(banner, actor, **options):
    return version_services.version_upload(deliverable=banner, actor=actor, files=[png(**options)])


def submit(banner, actor):
    banner.refresh_from_db()
    return deliverable_services.deliverable_submit(deliverable=banner, actor=actor)


def test_submit_opens_a_round_on_the_latest_version_and_the_decision_closes_it(
    banner, manager, member
):
    upload(banner, member)
    v2 = upload(banner, member, text="v2")
    submit(banner, member)
    [opened] = ReviewRound.objects.all()
    assert (opened.number, opened.opened_on, opened.opened_by, opened.is_open) == (
        1,
        v2,
        member,
        True,
    )

    deliverable_services.deliverable_request_changes(
        deliverable=banner, actor=manager, note="Logo larger", version_seen=2
    )

    closed = ReviewRound.objects.get()
    assert closed.decision == ReviewRound.Decision.CHANGES_REQUESTED
    assert (closed.reviewer, closed.note, closed.version_seen) == (manager, "Logo larger", v2)
    assert closed.closed_at is not None
    event = ActivityEvent.objects.get(verb="deliverable.changes_requested")
    assert event.data == {
        "note": "Logo larger",
        "round": 1,
        "version": 2,
        "decision": "changes_requested",
    }


def test_approving_an_older_version_than_the_latest_is_refused(banner, manager, member):
    upload(banner, member)
    submit(banner, member)
    upload(banner, member, text="v2")  # arrives while v1 is in review
    banner.refresh_from_db()

    with pytest.raises(ValidationError) as refused:
        deliverable_services.deliverable_approve(deliverable=banner, actor=manager, version_seen=1)

    assert refused.value.message_dict == {
        "version_seen": ["You reviewed v1, but v2 is the latest: review that version first."]
    }
    banner.refresh_from_db()
    assert banner.status == "in_review"
    assert ReviewRound.objects.get().is_open
    approved = deliverable_services.deliverable_approve(
        deliverable=banner, actor=manager, version_seen=2
    )
    assert approved.status == "approved"
    assert ReviewRound.objects.get().version_seen.number == 2


def test_a_client_decision_through_the_link_closes_the_round_with_the_version_seen(banner, member):
    upload(banner, member)
    submit(banner, member)
    link = ShareLinkFactory(project=banner.milestone.project)

    deliverable_services.deliverable_client_signoff(
        link=link,
        deliverable=banner,
        decision="request_changes",
        reviewer_name="Dana Whitfield",
        reviewer_email="dana@northwind.example",
        note="Warmer colours",
        version_seen=1,
    )

    review = ReviewRound.objects.get()
    assert (review.reviewer, review.reviewer_name, review.reviewer_email) == (
        None,
        "Dana Whitfield",
        "dana@northwind.example",
    )
    assert (review.decision, review.note, review.version_seen.number) == (
        "changes_requested",
        "Warmer colours",
        1,
    )
    assert review.reviewer_display == "Dana Whitfield"


def test_comments_are_numbered_per_version_and_pins_are_checked(banner, member, manager):
    version = version_services.version_upload(
        deliverable=banner, actor=member, files=[png(), pdf(pages=2)]
    )
    image, brochure = version.files.order_by("position")
    version_services.proof_file_make_previews(file_id=brochure.pk)
    brochure.refresh_from_db()

    pinned = proof_services.proof_comment_post(
        version=version, actor=manager, body="Logo larger", file=image, page=1, x=0.25, y=0.5
    )
    on_page_two = proof_services.proof_comment_post(
        version=version, actor=manager, body="Typo", file=brochure, page=2, x=0.1, y=0.9
    )
    loose = proof_services.proof_comment_post(version=version, actor=member, body=" Thanks ")

    assert [c.number for c in (pinned, on_page_two, loose)] == [1, 2, 3]
    assert (pinned.is_pinned, pinned.x, pinned.y, on_page_two.page) == (True, 0.25, 0.5, 2)
    assert (loose.is_pinned, loose.body) == (False, "Thanks")
    for pin, message in [
        (
            {"file": brochure, "page": 3, "x": 0.5, "y": 0.5},
            {"page": ["“brochure.pdf” has 2 page(s)."]},
        ),
        (
            {"file": image, "page": 1, "x": 1.5, "y": 0.5},
            {"x": ["A pin's x and y are fractions of the preview, from 0 to 1."]},
        ),
        ({"x": 0.5, "y": 0.5}, {"file": ["Say which file the point is on."]}),
    ]:
        with pytest.raises(ValidationError) as refused:
            proof_services.proof_comment_post(version=version, actor=manager, body="?", **pin)
        assert refused.value.message_dict == message
    assert ProofComment.objects.count() == 3


def test_clients_comment_through_the_link_only_while_it_awaits_their_signoff(banner, member):
    version = upload(banner, member)
    link = ShareLinkFactory(project=banner.milestone.project)
    arguments = {"link": link, "version": version, "reviewer_name": "Dana", "body": "Lovely"}
    with pytest.raises(ValidationError, match="awaits your sign-off"):
        proof_services.proof_comment_post_by_client(**arguments)
    submit(banner, member)
    version.refresh_from_db()

    comment = proof_services.proof_comment_post_by_client(**arguments)

    assert (comment.author, comment.author_name, comment.author_display) == (None, "Dana", "Dana")
    link.allow_signoff = False
    with pytest.raises(PermissionDenied):
        proof_services.proof_comment_post_by_client(**arguments)


def test_the_uploader_hears_of_comments_and_reviews_carry_the_round_and_version(
    banner, member, manager, owner
):
    WebhookEndpoint.objects.create(
        workspace=banner.milestone.project.workspace,
        url="https://93.184.216.34/in",
        secret="s",
        event_types=["deliverable.approved"],
    )
    banner.owner = member
    banner.save()
    # The workspace owner uploads: they own nothing here, so only the upload concerns them.
    version = upload(banner, owner)
    submit(banner, member)
    proof_services.proof_comment_post(
        version=version, actor=manager, body="Logo larger", file=version.files.get(), x=0.5, y=0.5
    )
    banner.refresh_from_db()
    deliverable_services.deliverable_approve(deliverable=banner, actor=manager, version_seen=1)

    process_events(list(ActivityEvent.objects.values_list("pk", flat=True)))

    comment_note = Notification.objects.get(kind=Kind.PROOF_COMMENT_POSTED, recipient=owner)
    assert comment_note.title.endswith("commented on “Hero banner” (v1)")
    assert comment_note.body == "Logo larger"
    approved = Notification.objects.get(kind=Kind.DELIVERABLE_APPROVED, recipient=member)
    assert approved.title.endswith("approved “Hero banner” (v1)")
    assert (approved.data["version"], approved.data["round"], approved.data["decision"]) == (
        1,
        1,
        "approved",
    )
    [delivery] = WebhookDelivery.objects.all()
    assert delivery.payload["type"] == "deliverable.approved"
    assert delivery.payload["data"] == {"round": 1, "version": 1, "decision": "approved"}
