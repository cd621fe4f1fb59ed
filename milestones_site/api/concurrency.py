"""Optimistic concurrency over HTTP: entity tags from a row's version, and `If-Match`.

An ETag is strong and opaque to clients: `"<id>-<version>"` for versioned rows
(projects, milestones, deliverables), `"<id>-u<updated_at in µs>"` for rows that only
carry a modification time; where reads are conditional (milestones_site.web.conditional),
`.<state>` follows, naming everything else the representation shows, for `If-None-Match`.
A PATCH or DELETE with an `If-Match` whose row part is not the current one answers 412
with the current representation; without `If-Match` the write goes ahead, and a PATCH then
changes only the fields it sends.
"""

from django.db import models
from rest_framework import exceptions, status

from milestones_site.api.inputs import is_whole_number


class PreconditionFailed(exceptions.APIException):
    """`If-Match` named another state of the row; `current` is the row as it is now."""

    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"

    def __init__(self, current: models.Model):
        self.current = current
        super().__init__(
            "The resource was changed by someone else since you read it; "
            "the current representation is in `current`, with its ETag."
        )


def etag_for(instance: models.Model, state: str | None = None) -> str:
    version = getattr(instance, "version", None)
    if version is None:
        stamp = getattr(instance, "updated_at", None) or instance.created_at
        version = f"u{int(stamp.timestamp() * 1_000_000)}"
    return f'"{instance.pk}-{version}.{state}"' if state else f'"{instance.pk}-{version}"'


def row_part(tag: str) -> str:
    """The part of a tag that names the row's version: `"12-3"` of `"12-3.<state>"`."""
    return tag.strip('"').split(".", 1)[0]


def parse_if_match(header: str | None) -> list[str] | None:
    """The entity tags listed in an If-Match header (weak prefixes dropped), or None."""
    if header is None or not header.strip():
        return None
    tags = []
    for raw in header.split(","):
        tag = raw.strip()
        if tag.startswith("W/"):
            tag = tag[2:]
        tags.append(tag)
    return tags


def expected_version(instance: models.Model, tags: list[str] | None) -> int | None:
    """The version a versioned write must find, from If-Match; None when unconditional.

    A tag for another row, or an unparsable one, can never match: 412 at once."""
    if tags is None or "*" in tags:
        return None
    prefix = f"{instance.pk}-"
    for tag in tags:
        row = row_part(tag) if tag.startswith('"') and tag.endswith('"') else ""
        number = row.removeprefix(prefix) if row.startswith(prefix) else ""
        if is_whole_number(number):
            return int(number)
    raise PreconditionFailed(instance)


def ensure_matches(current: models.Model, tags: list[str] | None) -> None:
    """For rows without a version: compare If-Match with the locked row's tag."""
    if tags is None or "*" in tags:
        return
    if row_part(etag_for(current)) not in {row_part(tag) for tag in tags}:
        raise PreconditionFailed(current)
