"""Signed URLs of the object store expire: checked on s3rver, an S3 server that verifies the
signature and the expiry of a signed URL as S3 does (moto's S3 server accepts an expired
one, so the other S3 tests cannot show this)."""

import subprocess
import time
import urllib.error
import urllib.request

import pytest
from django.conf import settings as django_settings

from deliverables.services import versions as version_services
from milestones_site import settings as site_settings
from tests.deliverables.proof_files import png, png_bytes
from tests.factories import DeliverableFactory, MilestoneFactory
from tests.notifications.conftest import free_port, wait_for

pytestmark = pytest.mark.django_db

BUCKET = "milestones-proofs-expiry"
S3RVER = django_settings.BASE_DIR / "node_modules" / ".bin" / "s3rver"
# Signatures are dated to the second, so a URL may lose up to a second of its lifetime: long
# enough to be read once under load, short enough to wait out.
URL_LIFETIME = 3


def answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=1)
    except urllib.error.HTTPError:
        return True  # it speaks HTTP: up
    except OSError:
        return False
    return True


@pytest.fixture
def s3rver(tmp_path, settings, monkeypatch):
    port = free_port()
    options = ["--silent", "--no-vhost-buckets", "--configure-bucket", BUCKET]
    process = subprocess.Popen(
        [str(S3RVER), "-d", str(tmp_path / "s3rver"), "-a", "127.0.0.1", "-p", str(port), *options],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    wait_for(lambda: answers(endpoint), timeout=20, what="s3rver to listen")
    for name, value in {
        "MILESTONES_FILE_STORAGE": "s3",
        "MILESTONES_S3_ENDPOINT_URL": endpoint,
        "MILESTONES_S3_BUCKET": BUCKET,
        # s3rver's fixed credentials.
        "MILESTONES_S3_ACCESS_KEY_ID": "S3RVER",
        "MILESTONES_S3_SECRET_ACCESS_KEY": "S3RVER",
        "MILESTONES_S3_URL_EXPIRES": str(URL_LIFETIME),
    }.items():
        monkeypatch.setenv(name, value)
    settings.STORAGES = {**settings.STORAGES, "proofs": site_settings.proof_storage()}
    yield endpoint
    process.terminate()
    process.wait(10)


def test_an_expired_signed_url_is_refused(s3rver, project, member, client):
    banner = DeliverableFactory(milestone=MilestoneFactory(project=project), owner=member)
    version = version_services.version_upload(deliverable=banner, actor=member, files=[png()])
    client.force_login(member)

    signed = client.get(f"/files/{version.files.get().pk}/original/")["Location"]
    with urllib.request.urlopen(signed) as fresh:
        assert fresh.read() == png_bytes()
    time.sleep(URL_LIFETIME + 1.2)

    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(signed)
    assert refused.value.code == 403
    assert b"Request has expired" in refused.value.read()
