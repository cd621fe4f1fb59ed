"""Proof files in storage: which storage holds them, what a file is (read from its content,
never from its name or the type the browser declared) and the name it is kept under."""

import logging
import mimetypes
import re
import unicodedata
import uuid
from dataclasses import dataclass

import filetype
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import Storage, storages
from django.utils.text import get_valid_filename

from deliverables.models import FileKind

logger = logging.getLogger(__name__)

# Enough of the start of a file to recognise any type we tell apart.
HEAD_BYTES = 8192
RASTER_IMAGES = {"image/png", "image/jpeg", "image/gif", "image/webp"}
# Programs are refused outright: nobody proofs an executable, and a download of one
# from a trusted site is how malware travels.
PROGRAMS = {
    "application/x-msdownload",
    "application/x-executable",
    "application/x-mach-binary",
    "application/x-shockwave-flash",
    "application/x-google-chrome-extension",
    "application/wasm",
    "application/x-deb",
    "application/x-rpm",
}
# Text that a browser would run as a page (scripts in SVG or HTML), recognised by markup.
ACTIVE_MARKUP = (
    (re.compile(rb"<svg[\s>]", re.IGNORECASE), "image/svg+xml"),
    (re.compile(rb"<(!doctype html|html|script|body|iframe)[\s>]", re.IGNORECASE), "text/html"),
    (re.compile(rb"<\?xml[\s>]", re.IGNORECASE), "application/xml"),
)
# Served inline (with their own type) only when they are what they claim; anything else is
# an attachment a browser saves instead of rendering.
INLINE_KINDS = {FileKind.IMAGE, FileKind.PDF, FileKind.VIDEO, FileKind.AUDIO}
MAX_NAME_LENGTH = 150


def proof_storage() -> Storage:
    """The storage of proof files and previews (STORAGES["proofs"]: local or S3)."""
    return storages["proofs"]


@dataclass(frozen=True)
class Sniffed:
    content_type: str
    kind: str


class RefusedType(ValueError):
    """A file whose content is not allowed, or is not what its name says."""


def kind_of(content_type: str) -> str:
    if content_type in RASTER_IMAGES:
        return FileKind.IMAGE
    if content_type == "application/pdf":
        return FileKind.PDF
    if content_type.startswith("video/"):
        return FileKind.VIDEO
    if content_type.startswith("audio/"):
        return FileKind.AUDIO
    if content_type in {"image/svg+xml", "text/html", "application/xml"}:
        return FileKind.ACTIVE
    return FileKind.OTHER


def sniff(head: bytes) -> Sniffed:
    """The type of a file from its first bytes: magic numbers for binary formats, markup
    for SVG and HTML, else plain text or unknown bytes."""
    content_type = filetype.guess_mime(head)
    if content_type is None:
        for pattern, markup_type in ACTIVE_MARKUP:
            if pattern.search(head[:2048]):
                content_type = markup_type
                break
        else:
            content_type = "text/plain" if is_text(head) else "application/octet-stream"
    return Sniffed(content_type, kind_of(content_type))


def is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the sample is still text.
        return error.start >= len(head) - 3
    return True


def checked_type(name: str, head: bytes) -> Sniffed:
    """The file's type read from its content; refused when it is a program, or when its
    name promises a kind of file (an image, a PDF, a video) that the content is not."""
    sniffed = sniff(head)
    if sniffed.content_type in PROGRAMS:
        raise RefusedType(
            f"“{name}” is a program ({sniffed.content_type}); programs cannot be uploaded."
        )
    claimed = mimetypes.guess_type(name)[0]
    claimed_kind = kind_of(claimed) if claimed else None
    if claimed_kind in INLINE_KINDS and claimed_kind != sniffed.kind:
        raise RefusedType(
            f"“{name}” is named like {FileKind(claimed_kind).label.lower()} file but its "
            f"content is {sniffed.content_type}."
        )
    return sniffed


def sanitised_name(name: str) -> str:
    """A file name safe to keep and to send back: no folders, no control or shell
    characters, at most MAX_NAME_LENGTH characters with its extension kept."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = unicodedata.normalize("NFKC", base)
    base = "".join(char for char in base if unicodedata.category(char)[0] != "C")
    try:
        base = get_valid_filename(base.strip(" ."))
    except SuspiciousFileOperation:  # nothing usable was left
        base = ""
    base = base.lstrip(".") or "file"
    stem, dot, extension = base.rpartition(".")
    if not dot:
        return base[:MAX_NAME_LENGTH]
    extension = extension[:16]
    return f"{stem[: MAX_NAME_LENGTH - len(extension) - 1]}.{extension}"


def file_folder(*, workspace_id: int, deliverable_id: int, number: int) -> str:
    """A fresh folder for one file and its previews; unguessable, never reused."""
    return f"proofs/w{workspace_id}/d{deliverable_id}/v{number}/{uuid.uuid4().hex}"


def preview_key(storage_key: str, name: str) -> str:
    return f"{storage_key.rsplit('/', 1)[0]}/previews/{name}"


def delete_stored(keys: list[str]) -> None:
    """Remove keys from the proof storage; a failure is logged, never raised (called after
    the rows are gone, so nothing would retry it and nothing may fail because of it)."""
    storage = proof_storage()
    for key in keys:
        try:
            storage.delete(key)
        except Exception:
            logger.exception("Could not delete %s from the proof storage", key)
