"""Uploading versions: numbering, the checks made before anything is stored (size, quota,
type from the content), sanitised names, no orphan on failure, files gone with their rows."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from deliverables.files import proof_storage
from deliverables.models import Deliverable, DeliverableVersion, PreviewState, ProofFile
from deliverables.services import deliverables as deliverable_services
from deliverables.services import versions as version_services
from projects.models import ActivityEvent
from projects.services import milestones as milestone_services
from tests.audit import table_counts
from tests.deliverables.proof_files import pdf, png, png_bytes, upload
from tests.deliverables.storages import DiskFullOnSecondSave
from tests.factories import DeliverableFactory, MilestoneFactory, forced

pytestmark = pytest.mark.django_db


@pytest.fixture
def banner(project, member):
    milestone = MilestoneFactory(project=project, title="Creatives signed off")
    return DeliverableFactory(milestone=milestone, owner=member, title="Hero banner")


def stored_names(location) -> list[str]:
    return sorted(path.name for path in location.rglob("*") if path.is_file())


def refusal(banner, actor, files) -> list[str]:
    with pytest.raises(ValidationError) as error:
        version_services.version_upload(deliverable=banner, actor=actor, files=files)
    return error.value.message_dict["files"]


def test_files_upload_as_numbered_versions_with_their_type_read_from_the_content(
    banner, member, proof_storage
):
    first = version_services.version_upload(
        deliverable=banner, actor=member, files=[png(), pdf()], summary=" First cut "
    )
    second = version_services.version_upload(
        deliverable=banner, actor=member, files=[png(text="v2")], summary="Logo larger"
    )

    assert (first.number, first.summary, first.uploaded_by) == (1, "First cut", member)
    assert (second.number, second.label) == (2, "v2")
    image, document = first.files.order_by("position")
    assert (image.name, image.kind, image.content_type) == ("hero-banner.png", "image", "image/png")
    assert (document.kind, document.content_type) == ("pdf", "application/pdf")
    assert image.preview_state == document.preview_state == PreviewState.PENDING
    assert image.workspace == banner.milestone.project.workspace
    with proof_storage_open(image) as stored:
        assert stored.read() == png_bytes()
    assert stored_names(proof_storage) == ["brochure.pdf", "hero-banner.png", "hero-banner.png"]
    event = ActivityEvent.objects.filter(verb="deliverable.version_uploaded").latest("id")
    assert event.data == {"version": 2, "files": ["hero-banner.png"], "summary": "Logo larger"}
    banner.refresh_from_db()
    assert banner.version == 3, "each upload is a change of the deliverable (stale forms)"


def proof_storage_open(file: ProofFile):
    return proof_storage().open(file.storage_key, "rb")


def test_video_audio_and_other_files_need_no_preview(banner, member):
    mp4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64
    version = version_services.version_upload(
        deliverable=banner,
        actor=member,
        files=[upload("teaser.mp4", mp4), upload("copy deck.txt", b"Headline: Go further")],
    )
    video, text = version.files.order_by("position")
    assert (video.kind, video.content_type, video.preview_state) == ("video", "video/mp4", "none")
    assert (text.kind, text.content_type, text.name) == ("other", "text/plain", "copy_deck.txt")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "banner.png",
            b"<!doctype html><script>alert(1)</script>",
            "“banner.png” is named like image file but its content is text/html.",
        ),
        (
            "brochure.pdf",
            png_bytes(),
            "“brochure.pdf” is named like pdf file but its content is image/png.",
        ),
        (
            "invoice.doc",
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64,
            "“invoice.doc” is a program (application/x-msdownload); programs cannot be uploaded.",
        ),
    ],
    ids=["html named .png", "png named .pdf", "windows program"],
)
def test_the_type_is_checked_from_the_content_not_the_name(
    banner, member, proof_storage, name, content, message
):
    before = table_counts(DeliverableVersion, ProofFile)

    assert refusal(banner, member, [png(), upload(name, content, "image/png")]) == [message]
    assert table_counts(DeliverableVersion, ProofFile) == before
    assert stored_names(proof_storage) == []


def test_svg_and_html_are_kept_as_active_content(banner, member):
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>'
    version = version_services.version_upload(
        deliverable=banner, actor=member, files=[upload("logo.svg", svg, "image/svg+xml")]
    )
    [logo] = version.files.all()
    assert (logo.kind, logo.content_type, logo.preview_state) == (
        "active",
        "image/svg+xml",
        "none",
    )


def test_a_file_over_the_size_limit_is_refused_before_anything_is_stored(
    banner, member, settings, proof_storage
):
    settings.MILESTONES_UPLOAD_MAX_BYTES = 1000

    messages = refusal(banner, member, [png(), upload("notes.txt", b"ok")])

    size = filesizeformat(len(png_bytes()))
    assert messages == [f"“hero-banner.png” is {size}; files may be at most 1000\xa0bytes."]
    assert not DeliverableVersion.objects.exists()
    assert stored_names(proof_storage) == []


def test_the_workspace_quota_counts_every_file_of_the_workspace(
    banner, member, settings, proof_storage
):
    version_services.version_upload(deliverable=banner, actor=member, files=[png()])
    used = ProofFile.objects.get().size
    settings.MILESTONES_WORKSPACE_QUOTA_BYTES = used + 100

    messages = refusal(banner, member, [png(text="v2")])

    workspace = banner.milestone.project.workspace
    assert messages == [
        f"{workspace.name} has 100\xa0bytes of its {filesizeformat(used + 100)} of file "
        f"storage left; these files need {filesizeformat(len(png_bytes(text='v2')))}. "
        "Delete old deliverables or ask for more room."
    ]
    assert DeliverableVersion.objects.count() == 1
    assert len(stored_names(proof_storage)) == 1


def test_file_names_are_sanitised(banner, member):
    version = version_services.version_upload(
        deliverable=banner,
        actor=member,
        files=[
            upload("../../etc/passwd", b"root:x:0:0"),
            upload('C:\\Users\\ana\\"Hero"; rm -rf.png', png_bytes(), "image/png"),
            upload("\u202egnp.exe" + "x" * 300 + ".txt", b"plain"),
        ],
    )
    names = [file.name for file in version.files.order_by("position")]
    assert names[0] == "passwd"
    assert names[1] == "Hero_rm_-rf.png"
    assert names[2].startswith("gnp.exe") and names[2].endswith(".txt")
    assert len(names[2]) == 150
    assert all("/" not in file.storage_key.rsplit("/", 1)[1] for file in version.files.all())


def test_a_failed_upload_leaves_no_orphan_file_and_no_half_made_version(
    banner, member, settings, tmp_path
):
    store = tmp_path / "full-disk"
    settings.STORAGES = {
        **settings.STORAGES,
        "proofs": {
            "BACKEND": "tests.deliverables.storages.DiskFullOnSecondSave",
            "OPTIONS": {"location": str(store)},
        },
    }
    DiskFullOnSecondSave.saved = 0

    with pytest.raises(OSError, match="No space left"):
        version_services.version_upload(
            deliverable=banner, actor=member, files=[png(), pdf()], summary="Both"
        )

    assert table_counts(DeliverableVersion, ProofFile) == {"DeliverableVersion": 0, "ProofFile": 0}
    assert stored_names(store) == [], "the first file, stored before the failure, is removed"
    assert not ActivityEvent.objects.filter(verb="deliverable.version_uploaded").exists()


def test_viewers_cannot_upload_and_done_deliverables_take_no_versions(banner, member, viewer):
    with pytest.raises(PermissionDenied):
        version_services.version_upload(deliverable=banner, actor=viewer, files=[png()])
    forced(Deliverable.objects.filter(pk=banner.pk), status="delivered", approved_at=timezone.now())
    banner.refresh_from_db()
    assert refusal(banner, member, [png()]) == [
        "“Hero banner” is delivered; it takes no new versions."
    ]
    assert refusal(banner, member, []) == ["Choose at least one file."]


@pytest.mark.parametrize("remove", ["deliverable", "milestone"])
def test_deleting_removes_the_files_from_storage_after_commit(
    banner, member, manager, proof_storage, django_capture_on_commit_callbacks, remove
):
    version = version_services.version_upload(deliverable=banner, actor=member, files=[png()])
    [file] = version.files.all()
    version_services.proof_file_make_previews(file_id=file.pk)
    assert len(stored_names(proof_storage)) == 3  # the original, a thumbnail, one page

    with django_capture_on_commit_callbacks() as pending:
        if remove == "deliverable":
            deliverable_services.deliverable_delete(deliverable=banner, actor=manager)
        else:
            milestone_services.milestone_delete(milestone=banner.milestone, actor=manager)
        assert len(stored_names(proof_storage)) == 3, "kept until the deletion commits"
    for callback in pending:
        callback()

    assert stored_names(proof_storage) == []
    assert not ProofFile.objects.exists()
