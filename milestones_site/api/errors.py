"""One JSON shape for every 4xx answer of the API (RFC 9457 "problem details"):

    {"type": "urn:milestones:problem:invalid", "title": "Invalid input", "status": 400,
     "detail": "due_date: Date has wrong format. Use one of these formats instead: YYYY-MM-DD.",
     "errors": {"due_date": ["Date has wrong format. ..."]}}

`errors` maps a field (dotted for nested input, e.g. `items.2.status`; `__all__` for the
whole object) to its messages, and is empty when no field is at fault. A 412 also carries
`current`, the resource as it is now, and its ETag header.
"""

from django.core import exceptions as django_exceptions
from django.db import IntegrityError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from milestones_site.api.concurrency import PreconditionFailed
from milestones_site.api.parsers import too_large
from milestones_site.services.errors import StaleVersion, messages_of

TITLES = {
    "invalid": "Invalid input",
    "parse_error": "Malformed request body",
    "authentication_failed": "Authentication failed",
    "not_authenticated": "Authentication required",
    "permission_denied": "Permission denied",
    "not_found": "Not found",
    "method_not_allowed": "Method not allowed",
    "not_acceptable": "Not acceptable",
    "unsupported_media_type": "Unsupported media type",
    "throttled": "Too many requests",
    "precondition_failed": "Precondition failed",
    "request_too_large": "Request body too large",
    "conflict": "Conflict",
    "idempotency_key_reused": "Idempotency key used for another request",
    "secret_shown_once": "Done before; its secret was shown once",
}
NON_FIELD_KEYS = {"non_field_errors": "__all__"}


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def field_errors(detail, prefix: str = "") -> dict[str, list[str]]:
    """Flatten DRF's nested error detail into {dotted.field: [messages]}."""
    if isinstance(detail, dict):
        flat: dict[str, list[str]] = {}
        for key, value in detail.items():
            name = NON_FIELD_KEYS.get(str(key), str(key))
            flat.update(field_errors(value, f"{prefix}.{name}" if prefix else name))
        return flat
    if isinstance(detail, list) and any(isinstance(item, dict | list) for item in detail):
        flat = {}
        for index, value in enumerate(detail):
            flat.update(field_errors(value, f"{prefix}.{index}" if prefix else str(index)))
        return flat
    messages = detail if isinstance(detail, list) else [detail]
    return {prefix or "__all__": [str(message) for message in messages]} if messages else {}


def summary(errors: dict[str, list[str]]) -> str:
    parts = [f"{field}: {' '.join(messages)}" for field, messages in errors.items()]
    return "; ".join(parts) if parts else "The request is invalid."


def problem(
    *, status_code: int, code: str, detail: str, errors: dict | None = None, **extra
) -> dict:
    return {
        "type": f"urn:milestones:problem:{code}",
        "title": TITLES.get(code, "Error"),
        "status": status_code,
        "detail": detail,
        "errors": errors or {},
        **extra,
    }


def as_api_exception(exc: Exception) -> Exception:
    """Django and service errors as their DRF counterparts."""
    if isinstance(exc, django_exceptions.ValidationError):
        return exceptions.ValidationError(messages_of(exc))
    if isinstance(exc, django_exceptions.PermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, Http404):
        return exceptions.NotFound("Nothing here, or nothing you can see.")
    if isinstance(exc, StaleVersion):
        return PreconditionFailed(exc.current)
    if isinstance(exc, django_exceptions.RequestDataTooBig):
        return too_large()
    if isinstance(exc, IntegrityError):
        return Conflict("The change conflicts with the current data; reload and try again.")
    return exc


def precondition_failed(exc: PreconditionFailed, view) -> tuple[dict, dict]:
    """The 412 body's `current` member and its ETag, rendered by the view that failed."""
    render = getattr(view, "current_representation", None)
    if render is None:
        return {}, {}
    data, etag = render(exc.current)
    return {"current": data}, {"ETag": etag}


def exception_handler(exc, context):
    exc = as_api_exception(exc)
    if not isinstance(exc, exceptions.APIException):
        return None
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None) is not None:
        headers["Retry-After"] = str(max(1, int(exc.wait + 0.999)))
    extra = {}
    if isinstance(exc, PreconditionFailed):
        extra, more_headers = precondition_failed(exc, context.get("view"))
        headers.update(more_headers)
    if isinstance(exc, exceptions.ValidationError):
        errors = field_errors(exc.detail)
        detail = summary(errors)
        code = "invalid"
    else:
        errors = {}
        detail = str(exc.detail)
        code = exc.default_code
    body = problem(
        status_code=exc.status_code,
        code=code,
        detail=detail,
        errors=errors,
        **extra,
    )
    set_rollback()
    return Response(body, status=exc.status_code, headers=headers)
