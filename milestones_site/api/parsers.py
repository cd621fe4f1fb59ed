"""Request body parsing with a size limit.

DRF reads JSON from the raw stream, which bypasses Django's DATA_UPLOAD_MAX_MEMORY_SIZE
check on `request.body`; this parser applies the same limit and answers 413."""

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
            return super().parse(io.BytesIO(body), media_type, parser_context)
        return super().parse(stream, media_type, parser_context)
