"""Idempotent POSTs: a client sends `Idempotency-Key: <a value it makes up, e.g. a UUID>`
with any POST, and a retry of that POST (same key, same method, path and body) gets the
first answer again, with the same status, body, `Location` and `ETag` and the header
`Idempotent-Replayed: true`, instead of making a second object. The same key with another
request is refused with 422. Keys belong to a user (any of their tokens, or their session)
and are kept for 24 hours; after that the key is free again (expired keys are purged on
use and by the beat task `purge_idempotency_keys`).

Exactly once holds under concurrent duplicates too: the key's row, unique per user, is
inserted at the start of the one transaction that also runs the POST and stores its answer.
A duplicate sent meanwhile waits on that insert (PostgreSQL holds it on the unique index,
SQLite's IMMEDIATE transactions at BEGIN) until the first commits, then finds the key taken
and replays the stored answer. Only successful (2xx) answers are kept: after an error
nothing of the request remains, so the same key may be sent again.

An answer that shows a secret once (a new API token, webhook signing secret, share link or
calendar feed URL) is not kept, as the secret itself is stored nowhere: its retry is a 409
saying so, with the `Location` of what the first request made, and nothing is made twice.
"""

import hashlib
import json
import re
from datetime import timedelta

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from rest_framework import exceptions, status

from milestones_site.api.errors import problem
from milestones_site.api.models import IdempotencyKey

KEY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEPT_FOR = timedelta(hours=24)
# Visible ASCII, as a header value can carry it unchanged (a UUID fits).
KEY_PATTERN = r"^[!-~]{1,255}$"
# What a replay repeats besides the status and the body.
KEPT_HEADERS = ("Content-Type", "Location", "ETag")


class KeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "idempotency_key_reused"
    default_detail = (
        "This Idempotency-Key was used with another request (method, path or body) in the "
        "last 24 hours; send a new key for a new request."
    )


class Replay(Exception):
    """The key was answered already: the stored answer is the response."""

    def __init__(self, stored: IdempotencyKey):
        self.stored = stored
        super().__init__(stored.key)

    def response(self) -> HttpResponse:
        stored = self.stored
        response = HttpResponse(stored.body, status=stored.status_code)
        for name, value in stored.headers.items():
            response[name] = value
        response[REPLAYED_HEADER] = "true"
        return response


def _described(value):
    """A form value as it enters the fingerprint: a file by its name and content."""
    if not isinstance(value, UploadedFile):
        return value
    digest = hashlib.sha256()
    for chunk in value.chunks():
        digest.update(chunk)
    value.seek(0)
    return {"file": value.name, "sha256": digest.hexdigest()}


def fingerprint(request) -> str:
    """What makes two requests the same: method, path with query, and the parsed body (key
    order and whitespace do not count; a multipart body counts by its fields and files)."""
    data = request.data
    if isinstance(data, MultiValueDict):
        data = sorted((name, [_described(v) for v in data.getlist(name)]) for name in data)
    body = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    digest = hashlib.sha256(f"{request.method} {request.get_full_path()}\n".encode())
    digest.update(body.encode())
    return digest.hexdigest()


def claim(*, user, key: str, fingerprint: str) -> IdempotencyKey:
    """Take `key` for a request, inside the caller's transaction: the new row to `complete`.
    Raises Replay when the key was answered already, KeyReused when for another request."""
    now = timezone.now()
    IdempotencyKey.objects.filter(user=user, key=key, created_at__lte=now - KEPT_FOR).delete()
    for _ in range(2):  # the second turn: a purge removed the row between insert and read
        try:
            with transaction.atomic():
                return IdempotencyKey.objects.create(
                    user=user, key=key, fingerprint=fingerprint, created_at=now
                )
        except IntegrityError:
            stored = IdempotencyKey.objects.filter(user=user, key=key).first()
        if stored is not None:
            if stored.fingerprint != fingerprint:
                raise KeyReused()
            raise Replay(stored)
    raise KeyReused()


def complete(row: IdempotencyKey, response) -> None:
    """Keep the answer under its key (rendering it now, as the client will get it); for an
    answer that shows a secret once, the 409 its retries get instead."""
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    row.headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
    if getattr(response, "shows_secret_once", False):
        row.status_code = status.HTTP_409_CONFLICT
        row.headers = {
            "Content-Type": "application/json",
            **({"Location": row.headers["Location"]} if "Location" in row.headers else {}),
        }
        detail = (
            "A request with this Idempotency-Key succeeded before (what it made is at "
            "Location); the secret it showed is shown only once and is not kept."
        )
        body = problem(status_code=row.status_code, code="secret_shown_once", detail=detail)
        row.body = json.dumps(body)
    else:
        row.status_code = response.status_code
        row.body = response.content.decode()
    row.save(update_fields=["status_code", "headers", "body"])


def purge_expired() -> int:
    """Forget every key older than 24 hours; returns how many."""
    deleted, _ = IdempotencyKey.objects.filter(created_at__lte=timezone.now() - KEPT_FOR).delete()
    return deleted


class IdempotentPostMixin:
    """For a viewset: every POST it serves honours `Idempotency-Key` (module docstring).

    The request runs in one transaction with its key: the key is claimed once the caller is
    authenticated (`initial`), a stored answer is replayed instead of running the handler,
    and a successful answer is stored before the commit; any other answer rolls back."""

    idempotency_row: IdempotencyKey | None = None

    def dispatch(self, request, *args, **kwargs):
        if request.method != "POST" or KEY_HEADER not in request.headers:
            return super().dispatch(request, *args, **kwargs)
        with transaction.atomic():
            response = super().dispatch(request, *args, **kwargs)
            if not status.is_success(response.status_code):
                transaction.set_rollback(True)
            elif self.idempotency_row is not None:
                complete(self.idempotency_row, response)
        return response

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        key = request.headers.get(KEY_HEADER)
        if request.method != "POST" or key is None or not request.user.is_authenticated:
            return
        if not re.fullmatch(KEY_PATTERN, key):
            raise exceptions.ValidationError(
                {KEY_HEADER: "Send 1 to 255 visible ASCII characters, e.g. a UUID."}
            )
        self.idempotency_row = claim(user=request.user, key=key, fingerprint=fingerprint(request))

    def handle_exception(self, exc):
        if isinstance(exc, Replay):
            return exc.response()
        return super().handle_exception(exc)
