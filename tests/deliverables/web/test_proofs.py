"""The deliverable page and the files in the browser: uploading, pinned comments, review
history, the standing change request, the client's proofs on a share link, the headers
files are served with, and query counts that do not grow with the number of versions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deliverables.models import ProofComment
from deliverables.services import deliverables as deliverable_services
from deliverables.services import proofs as proof_services
from deliverables.services import versions as version_services
from projects.services import sharing
from tests.deliverables.proof_files import png, upload
from tests.factories import DeliverableFactory, MilestoneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def banner(project, manager):
    milestone = MilestoneFactory(project=project, owner=manager, title="Creatives signed off")
    return DeliverableFactory(milestone=milestone, owner=manager, title="Hero banner")


def upload_version(banner, actor, text="v1"):
    version = version_services.version_upload(
        deliverable=banner, actor=actor, files=[png(text=text)], summary=f"{text} cut"
    )
    for file in version.files.all():
        version_services.proof_file_make_previews(file_id=file.pk)
    return version


def submit(banner, actor):
    banner.refresh_from_db()
    return deliverable_services.deliverable_submit(deliverable=banner, actor=actor)


def test_a_member_uploads_a_version_from_the_deliverable_page(client, banner, member):
    client.force_login(member)

    response = client.post(
        f"/deliverables/{banner.pk}/versions/",
        {"files": [png(), upload("notes.txt", b"Alt text: runner")], "summary": "First cut"},
    )

    assert response.status_code == 302
    assert response["Location"] == f"/deliverables/{banner.pk}/#version-1"
    version = banner.versions.get()
    assert [f.name for f in version.files.order_by("position")] == ["hero-banner.png", "notes.txt"]
    page = client.get(f"/deliverables/{banner.pk}/").content.decode()
    assert "Latest version: v1" in page
    assert "Preview of “hero-banner.png” is being made" in page


def test_a_refused_upload_shows_why_on_the_page(client, banner, member, settings):
    settings.MILESTONES_UPLOAD_MAX_BYTES = 100
    client.force_login(member)

    response = client.post(f"/deliverables/{banner.pk}/versions/", {"files": [png()]})

    assert response.status_code == 422
    assert "files may be at most 100\xa0bytes" in response.content.decode()
    assert not banner.versions.exists()


def test_the_page_shows_pins_rounds_and_the_standing_change_request(
    client, banner, manager, member
):
    v1 = upload_version(banner, member)
    submit(banner, member)
    image = v1.files.get()
    proof_services.proof_comment_post(
        version=v1, actor=manager, body="Logo larger", file=image, page=1, x=0.25, y=0.75
    )
    banner.refresh_from_db()
    deliverable_services.deliverable_request_changes(
        deliverable=banner, actor=manager, note="Warmer colours", version_seen=1
    )
    client.force_login(member)

    page = client.get(f"/deliverables/{banner.pk}/").content.decode()

    assert 'data-x="0.250000" data-y="0.750000"' in page
    assert "Logo larger" in page
    assert "Changes requested</strong> by" in page
    assert "“Warmer colours”" in page
    assert "This stands until the next version is uploaded." in page
    milestone_page = client.get(f"/milestones/{banner.milestone_id}/").content.decode()
    assert "Review rounds (1)" in milestone_page
    assert "“Warmer colours”" in milestone_page

    upload_version(banner, member, text="v2")
    page = client.get(f"/deliverables/{banner.pk}/").content.decode()
    assert "This stands until the next version is uploaded." not in page
    assert "Latest version: v2" in page
    assert "Round 1" in page and "“Warmer colours”" in page  # the history stays
    compared = client.get(f"/deliverables/{banner.pk}/?compare=1&with=2").content.decode()
    assert "v1 and v2 side by side" in compared


def test_members_pin_comments_and_resolve_them(client, banner, member):
    version = upload_version(banner, member)
    image = version.files.get()
    client.force_login(member)
    prefix = f"v{version.pk}-"

    response = client.post(
        f"/versions/{version.pk}/comments/",
        {f"{prefix}body": "Crop tighter", f"{prefix}file": image.pk, f"{prefix}page": 1}
        | {f"{prefix}x": "0.5", f"{prefix}y": "0.25"},
    )

    comment = ProofComment.objects.get()
    assert response["Location"] == f"/deliverables/{banner.pk}/#comment-{comment.pk}"
    assert (comment.file, comment.page, comment.x, comment.y) == (image, 1, 0.5, 0.25)
    client.post(f"/proof-comments/{comment.pk}/resolve/", {"resolved": "1"})
    comment.refresh_from_db()
    assert comment.resolved_by == member


def test_another_workspaces_files_and_pages_are_404(client, banner, member, outsider):
    version = upload_version(banner, member)
    image = version.files.get()
    client.force_login(outsider)

    for path in (
        f"/deliverables/{banner.pk}/",
        f"/files/{image.pk}/original/",
        f"/files/{image.pk}/page-1/",
    ):
        assert client.get(path).status_code == 404, path
    assert client.post(f"/versions/{version.pk}/comments/", {}).status_code == 404
    client.logout()
    assert client.get(f"/files/{image.pk}/original/").status_code == 302  # to sign in


def test_active_content_is_served_as_an_attachment_that_runs_nothing(client, banner, member):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'
    version = version_services.version_upload(
        deliverable=banner,
        actor=member,
        files=[upload("logo.svg", svg, "image/svg+xml"), png()],
    )
    logo, image = version.files.order_by("position")
    client.force_login(member)

    served = client.get(f"/files/{logo.pk}/original/")
    shown = client.get(f"/files/{image.pk}/original/")

    assert served["Content-Type"] == "image/svg+xml"
    assert served["Content-Disposition"] == 'attachment; filename="logo.svg"'
    assert shown["Content-Disposition"] == 'inline; filename="hero-banner.png"'
    for response in (served, shown):
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response["Content-Security-Policy"]
        assert response["Content-Security-Policy"].startswith("default-src 'none'")


def test_the_client_proofs_on_the_share_link_giving_their_name_once(client, banner, manager):
    version = upload_version(banner, manager)
    submit(banner, manager)
    image = version.files.get()
    _, token = sharing.share_link_create(
        project=banner.milestone.project, actor=manager, allow_signoff=True
    )
    prefix = f"v{version.pk}-"

    page = client.get(f"/share/{token}/").content.decode()
    assert f"/share/{token}/files/{image.pk}/page-1/" in page
    assert client.get(f"/share/{token}/files/{image.pk}/page-1/").status_code == 200
    first = client.post(
        f"/share/{token}/versions/{version.pk}/comments/",
        {f"{prefix}name": "Dana", f"{prefix}email": "dana@client.example"}
        | {f"{prefix}body": "Logo larger", f"{prefix}file": image.pk, f"{prefix}page": 1}
        | {f"{prefix}x": "0.3", f"{prefix}y": "0.4"},
    )
    second = client.post(
        f"/share/{token}/versions/{version.pk}/comments/", {f"{prefix}body": "And brighter"}
    )

    assert first.status_code == second.status_code == 302
    assert [(c.author_name, c.author_email, c.is_pinned) for c in ProofComment.objects.all()] == [
        ("Dana", "dana@client.example", True),
        ("Dana", "dana@client.example", False),
    ]
    page = client.get(f"/share/{token}/").content.decode()
    assert "Reviewing as Dana (dana@client.example)." in page
    assert "Your name" not in page, "asked once per visit, not once per form"
    banner.refresh_from_db()
    approved = client.post(
        f"/share/{token}/deliverables/{banner.pk}/signoff/",
        {f"d{banner.pk}-decision": "approve", f"d{banner.pk}-version_seen": 1}
        | {f"d{banner.pk}-version": banner.version},
    )
    assert approved.status_code == 302
    banner.refresh_from_db()
    assert (banner.status, banner.approved_by_name) == ("approved", "Dana")
    assert banner.review_rounds.get().version_seen == version


def test_a_share_link_reaches_only_its_own_projects_files(client, banner, manager, project):
    version = upload_version(banner, manager)
    other = DeliverableFactory(milestone=MilestoneFactory(project=project))
    other_file = upload_version(other, manager).files.get()
    elsewhere = DeliverableFactory()  # another workspace's
    foreign = version_services.version_upload(
        deliverable=elsewhere, actor=None, files=[png()]
    ).files.get()
    _, token = sharing.share_link_create(project=project, actor=manager, allow_signoff=False)

    assert client.get(f"/share/{token}/files/{version.files.get().pk}/original/").status_code == 200
    assert client.get(f"/share/{token}/files/{other_file.pk}/original/").status_code == 200
    assert client.get(f"/share/{token}/files/{foreign.pk}/original/").status_code == 404
    assert client.get(f"/share/not-a-link/files/{other_file.pk}/original/").status_code == 404


def queries_of(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries)


def add_reviewed_versions(banner, manager, member, count: int) -> None:
    """`count` more versions, each commented on (pinned) and sent back in a round."""
    for _ in range(count):
        version = upload_version(banner, member)
        submit(banner, member)
        proof_services.proof_comment_post(
            version=version, actor=manager, body="Again", file=version.files.get(), x=0.5, y=0.5
        )
        banner.refresh_from_db()
        deliverable_services.deliverable_request_changes(
            deliverable=banner, actor=manager, note="More"
        )


def test_pages_with_many_versions_cost_a_constant_number_of_queries(
    client, banner, manager, member
):
    client.force_login(member)
    add_reviewed_versions(banner, manager, member, 2)
    few = {
        "deliverable": queries_of(client, f"/deliverables/{banner.pk}/"),
        "milestone": queries_of(client, f"/milestones/{banner.milestone_id}/"),
    }
    add_reviewed_versions(banner, manager, member, 10)
    many = {
        "deliverable": queries_of(client, f"/deliverables/{banner.pk}/"),
        "milestone": queries_of(client, f"/milestones/{banner.milestone_id}/"),
    }
    assert banner.versions.count() == 12
    assert many == few


def test_the_share_page_costs_a_constant_number_of_queries_with_many_versions(
    client, banner, manager, member
):
    _, token = sharing.share_link_create(
        project=banner.milestone.project, actor=manager, allow_signoff=True
    )
    client.get(f"/share/{token}/")  # stamps the link as viewed once

    def queries_with(versions: int) -> int:
        add_reviewed_versions(banner, manager, member, versions)
        submit(banner, member)
        count = queries_of(client, f"/share/{token}/")
        banner.refresh_from_db()
        deliverable_services.deliverable_request_changes(
            deliverable=banner, actor=manager, note="Once more"
        )
        return count

    assert queries_with(2) == queries_with(10)
