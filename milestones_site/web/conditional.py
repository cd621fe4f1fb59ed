"""HTTP conditional reads: an entity tag made from the versions of what a response shows, so
that a client sending it back in `If-None-Match` gets `304 Not Modified` before anything is
read from the database or rendered.

A response's state is the release being served, the reader, their timezone and today's date
there (overdue and health move at midnight), and the parts the apps add with `add_part`: the
content version of each workspace the reader reads (renewed after every committed change in
it, projects.activity), and, on pages, what the page frame shows of the person (the bell's
unread count). A part returns any value whose `repr` changes when what it stands for does;
a read whose content is not covered by the parts (account settings, notifications) is not
made conditional.
"""

import hashlib
from collections.abc import Callable
from functools import cache, wraps
from pathlib import Path

from django.conf import settings
from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import parse_etags
from django.views.decorators.http import condition

# (request) -> value, for every conditional response / for pages only.
PARTS: list[Callable[[HttpRequest], object]] = []
PAGE_PARTS: list[Callable[[HttpRequest], object]] = []

SOURCES = ("milestones_site", "projects", "deliverables", "notifications", "templates", "static")


def add_part(part: Callable[[HttpRequest], object], *, pages_only: bool = False) -> None:
    """Called from an app's `ready`: `part(request)` joins the state of (page) responses."""
    parts = PAGE_PARTS if pages_only else PARTS
    if part not in parts:
        parts.append(part)


@cache
def release() -> str:
    """The code, templates and static files being served, once per process: the name, size
    and modification time of each (a deploy or an edit changes every tag)."""
    digest = hashlib.blake2b(digest_size=8)
    for folder in SOURCES:
        for path in sorted((Path(settings.BASE_DIR) / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                stat = path.stat()
                digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    return digest.hexdigest()


def state_of(request: HttpRequest, *extra) -> str:
    """A digest of everything the response to `request` depends on, plus `extra`."""
    values = [
        release(),
        request.user.pk,
        timezone.get_current_timezone_name(),
        timezone.localdate().isoformat(),
        *(part(request) for part in PARTS),
        *extra,
    ]
    return hashlib.blake2b(repr(values).encode(), digest_size=12).hexdigest()


def not_modified(request: HttpRequest, etag: str) -> HttpResponseNotModified | None:
    """A 304 carrying `etag` when `If-None-Match` names it (weak comparison), else None."""
    sent = parse_etags(request.headers.get("If-None-Match", ""))
    if "*" not in sent and etag.removeprefix("W/") not in {t.removeprefix("W/") for t in sent}:
        return None
    response = HttpResponseNotModified()
    response["ETag"] = etag
    return response


def revalidated(response):
    """Caches keep the response for this person only and ask before reusing it."""
    patch_cache_control(response, private=True, no_cache=True)
    return response


def csrf_secret(request: HttpRequest) -> str:
    """The secret the page's CSRF tokens are made from: the browser's cookie, or the one
    this response will set (pages made before a new secret must not match after it)."""
    get_token(request)
    return request.META["CSRF_COOKIE"]


def page_etag(request: HttpRequest, *args, **kwargs) -> str | None:
    """The tag of a signed-in page, or None where a page must be rendered anyway: for
    anonymous visitors and when a message waits to be shown once. Weak: the page embeds a
    CSRF token masked afresh on every render, so equal pages are not equal bytes."""
    if not request.user.is_authenticated or len(get_messages(request)):
        return None
    state = state_of(
        request,
        request.get_full_path(),
        request.headers.get("HX-Request"),
        csrf_secret(request),
        # Pages say "5 minutes ago": within the hour that may read a little stale.
        timezone.localtime().hour,
        *(part(request) for part in PAGE_PARTS),
    )
    return f'W/"{state}"'


def conditional_page(view):
    """A GET page answered 304 when the browser's copy is still what it would render."""
    checked = condition(etag_func=page_etag)(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        return revalidated(checked(request, *args, **kwargs))

    return wrapper
