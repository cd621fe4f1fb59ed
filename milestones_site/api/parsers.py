"""Request body parsing with a size and a depth limit.

DRF reads JSON from the raw stream, which bypasses Django's DATA_UPLOAD_MAX_MEMORY_SIZE
check on `request.body`; this parser applies the same limit and answers 413.

A small body can still nest deeply (`[[[[…]]]]`, 2 KB for 1,000 levels): Python's JSON
decoder recurses per level and would end in a RecursionError, and every later step that
walks the value (validation, error messages) would too. No input of this API nests more
than a few levels, so a body deeper than MAX_DEPTH is malformed (400)."""

import io

from django.conf import settings
from rest_framework import exceptions, parsers, status

from milestones_site.api.inputs import is_whole_number


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"


def too_large() -> RequestTooLarge:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return RequestTooLarge(f"The request body is larger than {limit} bytes; send less data.")


# Far above any request body the API takes (a list of objects holding lists is 3 levels).
MAX_DEPTH = 32


def nesting_depth(value) -> int:
    """How deeply lists and objects nest in a parsed JSON value, counted without recursion."""
    deepest, pending = 0, [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            children = item.values() if isinstance(item, dict) else item
            pending.extend((child, depth + 1) for child in children)
    return deepest


def too_deep() -> exceptions.ParseError:
    return exceptions.ParseError(
        f"JSON parse error - the body nests deeper than {MAX_DEPTH} levels of lists and objects."
    )


class SizeLimitedJSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        request = (parser_context or {}).get("request")
        declared = request.META.get("CONTENT_LENGTH") if request is not None else None
        if limit is not None and declared and is_whole_number(declared) and int(declared) > limit:
            raise too_large()
        if limit is not None and stream is not None:
            body = stream.read(limit + 1)
            if len(body) > limit:
                raise too_large()
            stream = io.BytesIO(body)
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise too_deep() from None
        if nesting_depth(data) > MAX_DEPTH:
            raise too_deep()
        return data
