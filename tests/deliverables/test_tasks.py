"""Previews made by a real Celery worker after an upload commits, and files served through
the permission checks: on the local file system, and on a real S3-compatible server (moto's
standalone server on 127.0.0.1) through signed URLs that expire."""

import io
import os
import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from moto.server import ThreadedMotoServer
from PIL import Image

from deliverables.files import proof_storage
from deliverables.models import PreviewState, ProofFile
from deliverables.services import deliverables as deliverable_services
from deliverables.services import versions as version_services
from milestones_site import settings as site_settings
from tests.deliverables.proof_files import pdf, png
from tests.factories import DeliverableFactory, MilestoneFactory
from tests.notifications.conftest import broker, smtp_inbox, start_worker, wait_for  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

BUCKET = "milestones-proofs-test"
URL_LIFETIME = 30


@pytest.fixture
def banner(project, member):
    milestone = MilestoneFactory(project=project, title="Creatives signed off")
    return DeliverableFactory(milestone=milestone, owner=member, title="Hero banner")


@pytest.fixture
def s3_server(settings, monkeypatch):
    """moto's S3 server on loopback, and the app (and any worker it starts) configured
    for it through the environment, as production is."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    for name, value in {
        "MILESTONES_FILE_STORAGE": "s3",
        "MILESTONES_S3_ENDPOINT_URL": endpoint,
        "MILESTONES_S3_BUCKET": BUCKET,
        "MILESTONES_S3_ACCESS_KEY_ID": "test-key",
        "MILESTONES_S3_SECRET_ACCESS_KEY": "test-secret",
        "MILESTONES_S3_URL_EXPIRES": str(URL_LIFETIME),
    }.items():
        monkeypatch.setenv(name, value)
    settings.STORAGES = {**settings.STORAGES, "proofs": site_settings.proof_storage()}
    bucket = boto3.resource(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test-key",
        aws_secret_access_key="test-secret",
    ).create_bucket(Bucket=BUCKET)
    yield bucket
    server.stop()


def upload_and_wait_for_previews(banner, member):
    version = version_services.version_upload(
        deliverable=banner, actor=member, files=[png(), pdf(pages=2)]
    )
    wait_for(
        lambda: not ProofFile.objects.filter(preview_state=PreviewState.PENDING).exists(),
        timeout=30,
        what="the worker's previews",
    )
    return version.files.order_by("position")


def webp_size(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "WEBP"
        return image.size


def test_a_real_worker_makes_previews_served_to_members_only(
    banner,
    member,
    outsider,
    client,
    start_worker,  # noqa: F811
):
    start_worker()
    image, brochure = upload_and_wait_for_previews(banner, member)

    assert (image.preview_state, image.page_count, image.width) == ("ready", 1, 640)
    assert (brochure.preview_state, brochure.page_count) == ("ready", 2)
    client.force_login(member)
    page = client.get(f"/files/{brochure.pk}/page-2/")
    assert page.status_code == 200
    assert webp_size(b"".join(page.streaming_content))[1] == 1600
    original = client.get(f"/files/{image.pk}/original/?download=1")
    assert original["Content-Disposition"] == 'attachment; filename="hero-banner.png"'
    assert b"".join(original.streaming_content) == png().read()

    client.force_login(outsider)
    assert client.get(f"/files/{image.pk}/original/").status_code == 404


def test_on_an_s3_server_files_are_stored_previewed_and_served_through_signed_urls(
    s3_server,
    banner,
    member,
    manager,
    outsider,
    client,
    start_worker,  # noqa: F811
):
    start_worker()
    image, _ = upload_and_wait_for_previews(banner, member)
    stored = sorted(item.key.rsplit("/", 1)[1] for item in s3_server.objects.all())
    assert stored == [
        "brochure.pdf",
        "hero-banner.png",
        "page-1.webp",
        "page-1.webp",
        "page-2.webp",
        "thumbnail.webp",
        "thumbnail.webp",
    ]

    client.force_login(member)
    redirect = client.get(f"/files/{image.pk}/page-1/")
    assert redirect.status_code == 302
    signed = redirect["Location"]
    query = parse_qs(urlsplit(signed).query)
    assert signed.startswith(f"{os.environ['MILESTONES_S3_ENDPOINT_URL']}/{BUCKET}/")
    assert query["X-Amz-Expires"] == [str(URL_LIFETIME)]
    assert query["response-content-type"] == ["image/webp"]
    with urllib.request.urlopen(signed) as response:
        assert webp_size(response.read()) == (640, 360)
    # Without its signature the object store refuses the same object.
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(signed.split("?", 1)[0])
    assert refused.value.code == 403

    client.force_login(outsider)
    assert client.get(f"/files/{image.pk}/page-1/").status_code == 404

    deliverable_services.deliverable_delete(deliverable=banner, actor=manager)
    assert list(s3_server.objects.all()) == [], "removed from the bucket after the commit"
    assert proof_storage().exists(image.storage_key) is False
