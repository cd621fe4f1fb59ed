"""Real files for proofing tests, made with Pillow: images, PDFs, and things that pretend."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw


def png_bytes(width: int = 640, height: int = 360, colour: str = "#2b59c3", text: str = "v1"):
    image = Image.new("RGB", (width, height), colour)
    ImageDraw.Draw(image).text((20, 20), text, fill="white")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def pdf_bytes(pages: int = 2) -> bytes:
    images = [Image.new("RGB", (595, 842), colour) for colour in ("white", "#eee")[:pages]]
    out = io.BytesIO()
    images[0].save(out, format="PDF", save_all=True, append_images=images[1:])
    return out.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    """A file as a browser sends it: the declared type is whatever the browser says."""
    return SimpleUploadedFile(name, content, content_type=content_type)


def png(name: str = "hero-banner.png", **options):
    return upload(name, png_bytes(**options), "image/png")


def pdf(name: str = "brochure.pdf", pages: int = 2):
    return upload(name, pdf_bytes(pages), "application/pdf")
