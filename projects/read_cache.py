"""Reads rendered once and served from the cache until something they show changes.

A cached read is keyed by everything its output depends on: the code's release, the
database, the request (path with query, htmx headers), the reader (their id and, for each
workspace they read, its id, content version, today's date there and their role) and the
active timezone and language. Every service records an ActivityEvent, and recording one
gives the event's workspace a new `content_version` once the transaction commits, so every
read that could show the change gets a new key and is rendered afresh.

Renewed after the commit, not inside the transaction: an update inside it would hold the
workspace row locked until the commit, and a transaction that locked a milestone after
recording an event could deadlock with one that waited for the workspace while holding that
milestone. After the commit, a reader that sees the new version started reading after the
change was visible; a reader that took the old version first may store rows newer than its
key, never older. An entry also expires after READ_CACHE_SECONDS, which bounds what no event
records (a process that dies between its commit and the renewal).

Pages are cached whole except their per-request parts: the CSRF token and the partials
marked `{% per_request "…" %}` (messages, the unread count, follow buttons), which are
rendered for every request from the view's `live` context and the context processors.
"""

import hashlib
import hmac
import re
import zlib
from collections.abc import Callable, Iterable
from datetime import UTC, date
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.cache import cache as default_cache
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Workspace, new_content_version

# What the output of a read depends on besides the data: the code and its dependencies.
RELEASE_SOURCES = (
    "projects",
    "deliverables",
    "notifications",
    "milestones_site",
    "templates",
    "static",
)
RELEASE_FILES = ("pyproject.toml",)


# Writing side -----------------------------------------------------------------------------
class RenewVersion:
    """After a commit, give the workspace a new content version: reads cached before the
    change are not served again. Equal callbacks pending in one transaction (a bulk change
    records many events) renew it once."""

    def __init__(self, workspace_id: int):
        self.workspace_id = workspace_id

    def __eq__(self, other) -> bool:
        return isinstance(other, RenewVersion) and other.workspace_id == self.workspace_id

    def __hash__(self) -> int:
        return hash(self.workspace_id)

    def __call__(self) -> None:
        Workspace.objects.filter(pk=self.workspace_id).update(content_version=new_content_version())


def renew_version_after_commit(workspace_id: int) -> None:
    """Called by projects.activity.record for every event, and by writes that record none."""
    callback = RenewVersion(workspace_id)
    # Callbacks of a rolled-back savepoint have left this list already.
    pending = transaction.get_connection().run_on_commit
    if not any(func == callback for _, func, _ in pending):
        transaction.on_commit(callback, robust=True)


# Keys --------------------------------------------------------------------------------------
@cache
def release() -> str:
    """The deployed code: MILESTONES_RELEASE when set, else a digest of the source."""
    if settings.READ_CACHE_RELEASE:
        return settings.READ_CACHE_RELEASE
    digest = hashlib.blake2b(digest_size=12)
    base = Path(settings.BASE_DIR)
    paths = [base / name for name in RELEASE_FILES]
    for folder in RELEASE_SOURCES:
        paths += (path for path in (base / folder).rglob("*") if path.suffix != ".pyc")
    for path in sorted(path for path in paths if path.is_file()):
        digest.update(str(path.relative_to(base)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def reference_date(workspaces: list[Workspace]) -> date:
    """Today in the timezone the workspaces share, else in UTC (a read spanning timezones
    needs one date)."""
    if len({workspace.timezone for workspace in workspaces}) == 1:
        return workspaces[0].today()
    return timezone.localdate(timezone=UTC)


def read_key(request: HttpRequest, *, workspaces: Iterable[Workspace], kind: str) -> str:
    """The key of `request`'s read as its user sees it now. `workspaces` are all those the
    user reads (a role annotated as `member_role` is part of the key)."""
    parts = (
        release(),
        connection.settings_dict["NAME"],
        kind,
        request.get_full_path(),
        request.headers.get("HX-Request", ""),
        request.headers.get("HX-Target", ""),
        request.user.pk,
        tuple(
            (w.pk, w.content_version, w.today(), getattr(w, "member_role", None))
            for w in workspaces
        ),
        timezone.get_current_timezone_name(),
        translation.get_language(),
    )
    return "read:" + hashlib.blake2b(repr(parts).encode(), digest_size=20).hexdigest()


# Storage -----------------------------------------------------------------------------------
def enabled() -> bool:
    return settings.READ_CACHE_SECONDS > 0


def stored(key: str) -> tuple[bytes, dict] | None:
    """The body and headers kept under `key`, or None."""
    entry = default_cache.get(key) if enabled() else None
    if entry is None:
        return None
    body, headers = entry
    return zlib.decompress(body), headers


def store(key: str, body: bytes, headers: dict | None = None) -> None:
    if enabled():
        entry = (zlib.compress(body, 1), headers or {})
        default_cache.set(key, entry, settings.READ_CACHE_SECONDS)


# Pages -------------------------------------------------------------------------------------
@cache
def slot_mark() -> str:
    """Delimits a per-request part in a cached page. Derived from the secret key, so no
    text a user writes into a page can pose as one."""
    return hmac.new(settings.SECRET_KEY.encode(), b"read-cache-slot", "sha256").hexdigest()[:24]


CSRF_SLOT = "csrf"
SLOTS_CONTEXT = "read_cache_slots"  # set while a page renders for the cache


def slot(name: str) -> str:
    return f"{slot_mark()}:{name}:{slot_mark()}"


def fill_slots(body: str, request: HttpRequest, live: dict) -> str:
    """The page with each slot rendered for this request."""
    pattern = re.compile(f"{slot_mark()}:([\\w./-]+):{slot_mark()}")
    rendered = {}

    def filled(match: re.Match) -> str:
        name = match.group(1)
        if name not in rendered:
            rendered[name] = (
                get_token(request) if name == CSRF_SLOT else render_to_string(name, live, request)
            )
        return rendered[name]

    return pattern.sub(filled, body)


def render_page(
    request: HttpRequest,
    template_name: str,
    build: Callable[[], dict],
    *,
    workspaces: list[Workspace],
    current: Workspace | None,
    live: dict | None = None,
) -> HttpResponse:
    """`render(request, template_name, build())`, kept for the reader: on a hit `build` is
    not called. `workspaces` are those the user reads (with `member_role`), `current` the one
    the page is about; `live` is the context of the per-request parts."""
    live = live or {}
    kind = f"page:{current.pk if current else None}:{template_name}"
    key = read_key(request, workspaces=workspaces, kind=kind)
    cacheable = request.method in ("GET", "HEAD")
    hit = stored(key) if cacheable else None
    if hit is not None:
        body = hit[0].decode()
    else:
        context = {**build(), **live, "csrf_token": slot(CSRF_SLOT), SLOTS_CONTEXT: True}
        body = render_to_string(template_name, context, request)
        if cacheable:
            store(key, body.encode())
    return HttpResponse(fill_slots(body, request, live))
