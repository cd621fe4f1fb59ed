"""Preview images of proof files: a thumbnail and one image per page, as WebP (small, with
transparency, shown by every current browser). Images are read with Pillow, PDF pages
rendered with PDFium (pypdfium2)."""

import io
from dataclasses import dataclass

import pypdfium2 as pdfium
from PIL import Image, ImageOps

from deliverables.models import FileKind

THUMBNAIL_SIZE = (320, 320)
# Wide enough to read body copy on a page, small enough to load quickly.
PAGE_SIZE = (1600, 1600)
# A 300-page brochure is proofed on its first pages; the download has the rest.
MAX_PDF_PAGES = 20
PREVIEW_CONTENT_TYPE = "image/webp"


@dataclass
class Previews:
    thumbnail: bytes
    pages: list[bytes]
    width: int
    height: int


def webp(image: Image.Image, size: tuple[int, int]) -> bytes:
    image = image.copy()
    image.thumbnail(size)
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    out = io.BytesIO()
    image.save(out, format="WEBP", quality=82)
    return out.getvalue()


def image_previews(data: bytes) -> Previews:
    with Image.open(io.BytesIO(data)) as opened:
        # Phones store the orientation beside the pixels; proofs show what the camera saw.
        image = ImageOps.exif_transpose(opened)
        image.load()
    return Previews(
        thumbnail=webp(image, THUMBNAIL_SIZE),
        pages=[webp(image, PAGE_SIZE)],
        width=image.width,
        height=image.height,
    )


def pdf_previews(data: bytes) -> Previews:
    document = pdfium.PdfDocument(data)
    try:
        pages = []
        width = height = 0
        for index in range(min(len(document), MAX_PDF_PAGES)):
            page = document[index]
            if index == 0:
                width, height = int(page.get_width()), int(page.get_height())
            scale = min(PAGE_SIZE[0] / page.get_width(), PAGE_SIZE[1] / page.get_height())
            pages.append(page.render(scale=scale).to_pil())
            page.close()
    finally:
        document.close()
    return Previews(
        thumbnail=webp(pages[0], THUMBNAIL_SIZE),
        pages=[webp(image, PAGE_SIZE) for image in pages],
        width=width,
        height=height,
    )


RENDERERS = {FileKind.IMAGE: image_previews, FileKind.PDF: pdf_previews}


def has_previews(kind: str) -> bool:
    return kind in RENDERERS


def render_previews(kind: str, data: bytes) -> Previews:
    """Previews of a file of `kind` (an image or a PDF); raises on a file that cannot be
    read (a damaged file, a decompression bomb)."""
    return RENDERERS[kind](data)
