"""The proofing API: versions uploaded as multipart and listed with their download URLs,
files downloaded after the permission checks, review rounds, comments with pins."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deliverables.services import versions as version_services
from tests.deliverables.proof_files import pdf, png, png_bytes
from tests.factories import DeliverableFactory, MilestoneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def banner(project, manager):
    milestone = MilestoneFactory(project=project, owner=manager, title="Creatives signed off")
    return DeliverableFactory(milestone=milestone, owner=manager, title="Hero banner")


def test_a_version_is_uploaded_as_multipart_and_downloaded_through_its_url(
    api_as, banner, member, outsider
):
    api = api_as(member)

    created = api.post(
        "/api/v1/versions/",
        {"deliverable": banner.pk, "files": [png(), pdf()], "summary": "First cut"},
        format="multipart",
    )

    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["number"], body["label"], body["summary"]) == (1, "v1", "First cut")
    image, brochure = body["files"]
    assert (image["name"], image["kind"], image["preview_state"]) == (
        "hero-banner.png",
        "image",
        "pending",
    )
    assert brochure["content_type"] == "application/pdf"
    assert image["download_url"] == f"/api/v1/proof-files/{image['id']}/download/"
    download = api.get(image["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == png_bytes()
    assert download["Content-Disposition"] == 'attachment; filename="hero-banner.png"'
    assert api_as(outsider).get(image["download_url"]).status_code == 404

    version_services.proof_file_make_previews(file_id=image["id"])
    listed = api.get(f"/api/v1/versions/?deliverable={banner.pk}").json()["results"]
    [file] = [f for f in listed[0]["files"] if f["id"] == image["id"]]
    assert file["preview_urls"] == [f"/api/v1/proof-files/{image['id']}/download/?variant=page-1"]
    preview = api.get(file["preview_urls"][0])
    assert (preview.status_code, preview["Content-Type"]) == (200, "image/webp")


def test_refusals_are_field_errors(api_as, banner, member, settings):
    settings.MILESTONES_UPLOAD_MAX_BYTES = 100

    refused = api_as(member).post(
        "/api/v1/versions/", {"deliverable": banner.pk, "files": [png()]}, format="multipart"
    )

    assert refused.status_code == 400
    [message] = refused.json()["errors"]["files"]
    assert message.endswith("files may be at most 100\xa0bytes.")


def test_review_rounds_and_pinned_comments_through_the_api(api_as, banner, member, manager):
    member_api, manager_api = api_as(member), api_as(manager)
    member_api.post(
        "/api/v1/versions/", {"deliverable": banner.pk, "files": [png()]}, format="multipart"
    )
    v2 = member_api.post(
        "/api/v1/versions/",
        {"deliverable": banner.pk, "files": [png(text="v2")]},
        format="multipart",
    ).json()
    member_api.post(f"/api/v1/deliverables/{banner.pk}/submit/", {})

    comment = manager_api.post(
        "/api/v1/proof-comments/",
        {
            "version": v2["id"],
            "body": "Logo larger",
            "file": v2["files"][0]["id"],
            "x": 0.2,
            "y": 0.8,
        },
    )
    stale = manager_api.post(
        f"/api/v1/deliverables/{banner.pk}/request-changes/", {"note": "Bigger", "version_seen": 1}
    )
    sent_back = manager_api.post(
        f"/api/v1/deliverables/{banner.pk}/request-changes/", {"note": "Bigger", "version_seen": 2}
    )

    assert comment.status_code == 201, comment.json()
    assert {key: comment.json()[key] for key in ("number", "version_number", "page", "x", "y")} == {
        "number": 1,
        "version_number": 2,
        "page": 1,
        "x": 0.2,
        "y": 0.8,
    }
    assert stale.status_code == 400
    assert stale.json()["errors"]["version_seen"] == [
        "You reviewed v1, but v2 is the latest: review that version first."
    ]
    assert sent_back.status_code == 200
    [review] = member_api.get(f"/api/v1/review-rounds/?deliverable={banner.pk}").json()["results"]
    assert {key: review[key] for key in ("number", "opened_on_version", "decision", "note")} == {
        "number": 1,
        "opened_on_version": 2,
        "decision": "changes_requested",
        "note": "Bigger",
    }
    assert (review["version_seen"], review["reviewer"], review["external"]) == (
        2,
        manager.pk,
        False,
    )
    resolved = member_api.patch(
        f"/api/v1/proof-comments/{comment.json()['id']}/", {"resolved": True}
    )
    assert resolved.json()["resolved"] is True


def test_the_versions_list_costs_a_constant_number_of_queries(api_as, banner, member):
    api = api_as(member)
    api.get("/api/v1/versions/")  # the token's first use records last_used_at once

    def queries_with(versions: int) -> int:
        for _ in range(versions):
            version_services.version_upload(deliverable=banner, actor=member, files=[png(), pdf()])
        with CaptureQueriesContext(connection) as captured:
            response = api.get("/api/v1/versions/?page_size=200")
        assert response.json()["count"] == banner.versions.count()
        return len(captured)

    assert queries_with(2) == queries_with(12)
