"""Sending a proof file, or one of its previews, to a reader the caller has already
checked (a member of its workspace, or a client holding a share link to its project).

From local storage the app streams the file. From an object store that signs URLs it
answers with a redirect to a signed URL that expires, except for active content (SVG,
HTML), which it streams itself so that the headers below always come with it: active
content is an attachment, never rendered, and every file response forbids sniffing a
type and running anything.
"""

from django.core.files.storage import Storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.utils.http import content_disposition_header

from deliverables.files import INLINE_KINDS, proof_storage
from deliverables.models import FileKind, ProofFile
from deliverables.previews import PREVIEW_CONTENT_TYPE

FILE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    # A file opened on its own runs nothing and loads nothing, even if a browser renders it.
    "Content-Security-Policy": "default-src 'none'; img-src 'self'; media-src 'self'; sandbox",
    "Cross-Origin-Resource-Policy": "same-origin",
    # Signed URLs and share-link paths must not travel on as a Referer.
    "Referrer-Policy": "no-referrer",
}
# Previews never change under their key; originals neither, but access may be withdrawn.
CACHE_CONTROL = "private, max-age=300"


def signs_urls(storage: Storage) -> bool:
    return bool(getattr(storage, "querystring_auth", False))


def stored_variant(file: ProofFile, variant: str) -> tuple[str, str, str, bool]:
    """(storage key, content type, file name, inline?) of `original`, `thumbnail` or
    `page-<n>` of the file."""
    if variant == "original":
        return file.storage_key, file.content_type, file.name, file.kind in INLINE_KINDS
    preview_name = f"{file.name.rsplit('.', 1)[0]}-{variant}.webp"
    if variant == "thumbnail" and file.thumbnail_key:
        return file.thumbnail_key, PREVIEW_CONTENT_TYPE, preview_name, True
    page = variant.removeprefix("page-")
    if page.isdigit() and 1 <= int(page) <= file.page_count:
        return file.page_keys[int(page) - 1], PREVIEW_CONTENT_TYPE, preview_name, True
    raise Http404("No such preview.")


def file_response(file: ProofFile, variant: str, *, download: bool = False) -> HttpResponse:
    """The response that delivers `variant` of `file` (`download` asks for an attachment)."""
    key, content_type, name, inline = stored_variant(file, variant)
    disposition = content_disposition_header(download or not inline, name)
    storage = proof_storage()
    if signs_urls(storage) and file.kind != FileKind.ACTIVE:
        # Signed for the storage's `querystring_expire` seconds (MILESTONES_S3_URL_EXPIRES).
        url = storage.url(
            key,
            parameters={
                "ResponseContentType": content_type,
                "ResponseContentDisposition": disposition,
            },
        )
        response = HttpResponseRedirect(url)
        response["Cache-Control"] = "private, no-store"
    else:
        try:
            stream = storage.open(key, "rb")
        except FileNotFoundError:
            raise Http404("The file is no longer stored.") from None
        response = FileResponse(stream, content_type=content_type)
        response["Content-Disposition"] = disposition
        response["Cache-Control"] = CACHE_CONTROL
    for header, value in FILE_HEADERS.items():
        response[header] = value
    return response
