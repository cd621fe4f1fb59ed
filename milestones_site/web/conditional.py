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
from datetime import UTC, datetime
from functools import cache, wraps
from pathlib import Path

from django.conf import settings
from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import http_date, parse_etags, parse_http_date_safe
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


def not_modified_since(
    request: HttpRequest, last_modified: datetime | None, etag: str
) -> HttpResponseNotModified | None:
    """A 304 when `If-Modified-Since` is no earlier than `last_modified` (to the second, the
    precision of HTTP dates) and falls on today where the reader is: what depends on the
    date (overdue, health) moves at midnight. Ignored beside `If-None-Match` (RFC 9110),
    which is exact where this is not (two changes within a second)."""
    header = request.headers.get("If-Modified-Since")
    if last_modified is None or header is None or "If-None-Match" in request.headers:
        return None
    since = parse_http_date_safe(header)
    if since is None or int(last_modified.timestamp()) > since:
        return None
    if timezone.localdate(datetime.fromtimestamp(since, UTC)) != timezone.localdate():
        return None
    response = HttpResponseNotModified()
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified.timestamp())
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
