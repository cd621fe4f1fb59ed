"""Versions of a deliverable: one or more files uploaded together as v1, v2, …, and the
previews a worker makes of them.

Every file is checked before anything is stored: its size, the workspace's quota, and its
type, read from its content. Should storing or saving fail half-way, what was stored is
removed again, so a failed upload leaves neither an orphan file nor a half-made version.
"""

import logging

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.db.models import Max
from django.dispatch import Signal
from django.template.defaultfilters import filesizeformat

from deliverables import previews
from deliverables.files import (
    HEAD_BYTES,
    RefusedType,
    Sniffed,
    checked_type,
    delete_stored,
    file_folder,
    preview_key,
    proof_storage,
    sanitised_name,
)
from deliverables.models import Deliverable, DeliverableVersion, PreviewState, ProofFile
from milestones_site.services.editing import save_changes
from milestones_site.services.errors import invalid
from milestones_site.services.writes import Writes
from projects import activity, permissions
from projects.models import Workspace
from projects.permissions import Action

logger = logging.getLogger(__name__)

MAX_FILES_PER_VERSION = 20

# Sent inside the upload's transaction with the ids of files that want previews; the
# tasks module listens (deliverables.apps) and publishes the work once the upload commits.
previews_wanted = Signal()


def _checked_files(files: list) -> list[tuple[File, str, Sniffed]]:
    """(file, sanitised name, sniffed type) for each file, or field errors naming every
    refused one."""
    limit = settings.MILESTONES_UPLOAD_MAX_BYTES
    checked, errors = [], []
    for upload in files:
        name = sanitised_name(upload.name)
        if upload.size > limit:
            errors.append(
                f"“{name}” is {filesizeformat(upload.size)}; files may be at most "
                f"{filesizeformat(limit)}."
            )
            continue
        upload.seek(0)
        head = upload.read(HEAD_BYTES)
        upload.seek(0)
        try:
            checked.append((upload, name, checked_type(name, head)))
        except RefusedType as refusal:
            errors.append(str(refusal))
    if errors:
        raise invalid(files=errors)
    return checked


def _ensure_quota(workspace: Workspace, adding: int) -> None:
    quota = settings.MILESTONES_WORKSPACE_QUOTA_BYTES
    used = ProofFile.objects.filter(workspace=workspace).stored_bytes()
    if used + adding > quota:
        raise invalid(
            files=f"{workspace.name} has {filesizeformat(max(quota - used, 0))} of its "
            f"{filesizeformat(quota)} of file storage left; these files need "
            f"{filesizeformat(adding)}. Delete old deliverables or ask for more room."
        )


@transaction.atomic
def version_upload(
    *, deliverable: Deliverable, actor, files: list, summary: str = ""
) -> DeliverableVersion:
    """Files uploaded as the deliverable's next version. Members upload; an approved or
    delivered deliverable takes no new version; each file is at most the upload limit, all
    of them fit the workspace's quota, and none is a program or other than its name says."""
    workspace = deliverable.milestone.project.workspace
    permissions.ensure(actor, Action.DELIVERABLE_EDIT, workspace)
    if not files:
        raise invalid(files="Choose at least one file.")
    if len(files) > MAX_FILES_PER_VERSION:
        raise invalid(files=f"Upload at most {MAX_FILES_PER_VERSION} files as one version.")
    # The workspace row is the lock that serialises uploads: quota and numbering hold.
    Workspace.objects.select_for_update().filter(pk=workspace.pk).exists()
    deliverable = Deliverable.objects.select_for_update().get(pk=deliverable.pk)
    if deliverable.status in Deliverable.DONE_STATUSES:
        raise invalid(
            files=f"“{deliverable}” is {deliverable.get_status_display().lower()}; "
            "it takes no new versions."
        )
    checked = _checked_files(files)
    _ensure_quota(workspace, sum(upload.size for upload, _, _ in checked))
    number = (deliverable.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    stored: list[str] = []
    try:
        version = DeliverableVersion.objects.create(
            deliverable=deliverable, number=number, summary=summary.strip(), uploaded_by=actor
        )
        rows = []
        for position, (upload, name, sniffed) in enumerate(checked):
            folder = file_folder(
                workspace_id=workspace.pk, deliverable_id=deliverable.pk, number=number
            )
            key = proof_storage().save(f"{folder}/{name}", upload)
            stored.append(key)
            rows.append(
                ProofFile(
                    version=version,
                    workspace=workspace,
                    position=position,
                    name=name,
                    storage_key=key,
                    size=upload.size,
                    content_type=sniffed.content_type,
                    kind=sniffed.kind,
                    preview_state=PreviewState.PENDING
                    if previews.has_previews(sniffed.kind)
                    else PreviewState.NONE,
                )
            )
        ProofFile.objects.bulk_create(rows)
        # A new version changes what a reviewer signs off: forms rendered before it (an
        # approve button, a client's sign-off) now carry a stale version and are refused.
        save_changes(deliverable, {"proof_version": (number - 1, number)})
        activity.record(
            actor=actor,
            verb="deliverable.version_uploaded",
            target=deliverable,
            data={
                "version": number,
                "files": [row.name for row in rows],
                "summary": version.summary,
            },
        )
    except BaseException:
        delete_stored(stored)
        raise
    waiting = [row.pk for row in rows if row.preview_state == PreviewState.PENDING]
    if waiting:
        previews_wanted.send(sender=ProofFile, file_ids=waiting)
    return version


VERSION_WRITES = Writes(create=version_upload)


def proof_file_make_previews(*, file_id: int) -> str:
    """Make the thumbnail and page images of a file whose previews are pending; returns
    the file's preview state. Safe to run twice: a file that is no longer pending (or is
    gone) is left as it is. A file that cannot be read is marked failed, not retried."""
    file = ProofFile.objects.filter(pk=file_id).first()
    if file is None or file.preview_state != PreviewState.PENDING:
        return file.preview_state if file else "gone"
    storage = proof_storage()
    try:
        with storage.open(file.storage_key, "rb") as stream:
            made = previews.render_previews(file.kind, stream.read())
    except Exception:
        logger.warning("No preview for proof file %s", file.pk, exc_info=True)
        made = None
    keys = []
    if made is not None:
        images = {"thumbnail.webp": made.thumbnail}
        images |= {f"page-{page}.webp": image for page, image in enumerate(made.pages, start=1)}
        for name, image in images.items():
            keys.append(storage.save(preview_key(file.storage_key, name), ContentFile(image)))
    with transaction.atomic():
        updated = ProofFile.objects.filter(pk=file.pk, preview_state=PreviewState.PENDING).update(
            preview_state=PreviewState.READY if made else PreviewState.FAILED,
            thumbnail_key=keys[0] if keys else "",
            page_keys=keys[1:],
            width=made.width if made else None,
            height=made.height if made else None,
        )
        if updated:
            # Pages showing the placeholder are out of date now.
            activity.renew_version_after_commit(file.workspace_id)
    if not updated:
        # Deleted, or made by another run meanwhile: these previews belong to nothing.
        delete_stored(keys)
        return "superseded"
    return PreviewState.READY if made else PreviewState.FAILED


def forget_stored_file(sender, instance: ProofFile, **kwargs) -> None:
    """After a proof file's row is deleted (with its deliverable, milestone or project,
    whichever service deleted it), remove its original and previews from storage once the
    deletion commits; a rolled-back deletion keeps them."""
    keys = instance.stored_keys()
    transaction.on_commit(lambda: delete_stored(keys), robust=True)
