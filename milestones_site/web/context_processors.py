"""Template context every page needs from the site's settings."""

from django.conf import settings


def limits(request) -> dict:
    """The largest form body the server reads: pages refuse a bigger one before sending it,
    keeping what was typed (static/js/site.js)."""
    return {"max_body_bytes": settings.DATA_UPLOAD_MAX_MEMORY_SIZE}
