"""OpenAPI generation (drf-spectacular): input and output serializers per operation, the
shared error component on every operation, the headers that answers carry (declared here
once for every operation where they apply), and the Bearer token security scheme."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from milestones_site.api.idempotency import KEY_HEADER, KEY_PATTERN
from milestones_site.api.inputs import StrictInputMixin

SAFE = {"GET", "HEAD", "OPTIONS"}


class ProblemSerializer(serializers.Serializer):
    """The one shape of every 4xx response."""

    type = serializers.CharField(help_text="A URN naming the kind of problem.")
    title = serializers.CharField(help_text="Short, stable summary of the kind of problem.")
    status = serializers.IntegerField(help_text="The HTTP status code.")
    detail = serializers.CharField(help_text="What went wrong and what to fix.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages per input field (dotted for nested input; `__all__` for the "
        "whole request). Empty when no field is at fault.",
    )


class StaleProblemSerializer(ProblemSerializer):
    current = serializers.DictField(
        help_text="The resource as it is now; its ETag is in the response header."
    )


def problem(description: str, serializer=ProblemSerializer) -> OpenApiResponse:
    return OpenApiResponse(response=serializer, description=description)


ERRORS = {
    "400": problem("Invalid input: wrong types, bad dates, unknown fields, malformed JSON."),
    "401": problem("No valid credentials: send `Authorization: Bearer <token>`."),
    "403": problem("Your role or your token's scope does not allow this."),
    "404": problem("No such object, or it is in a workspace you cannot see."),
    "409": problem("The change conflicts with data written at the same time."),
    "412": problem(
        "`If-Match` does not name the current version; the body carries the current one.",
        StaleProblemSerializer,
    ),
    "413": problem("The request body is too large."),
    "415": problem("Send `Content-Type: application/json`."),
    "422": problem(
        "This `Idempotency-Key` was used in the last 24 hours with another request "
        "(method, path or body): send a new key for a new request."
    ),
    "429": problem("Too many requests; wait the number of seconds in `Retry-After`."),
}
NOT_MODIFIED = OpenApiResponse(
    description="Not modified: the representation your `If-None-Match` names is current "
    "(or, on a detail, it has not changed since your `If-Modified-Since`)."
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    description='The ETag you read (e.g. `"12-3"`); if the resource changed since, the '
    "write is refused with 412. Without it the write is unconditional.",
)
IF_MODIFIED_SINCE = OpenApiParameter(
    "If-Modified-Since",
    str,
    OpenApiParameter.HEADER,
    description="An HTTP date, e.g. the `Last-Modified` you read: 304 when the resource has "
    "not changed since (to the second) and the date is today where you are. `If-None-Match` "
    "is exact and takes precedence.",
)
IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    str,
    OpenApiParameter.HEADER,
    description="The ETag of the response you hold; 304 with no body while it is current.",
)


def response_header(
    name: str, codes: list[str], description: str, *, kind=str, required: bool = True
) -> OpenApiParameter:
    return OpenApiParameter(
        name,
        kind,
        OpenApiParameter.HEADER,
        response=codes,
        required=required,
        description=description,
    )


WWW_AUTHENTICATE = response_header(
    "WWW-Authenticate", ["401"], 'How to authenticate: `Bearer realm="api"`.'
)
RETRY_AFTER = response_header(
    "Retry-After", ["429"], "Seconds to wait before trying again.", kind=int
)
# Set on every 201 answer by the viewset kit (milestones_site.api.viewsets).
LOCATION = response_header("Location", ["201"], "The URL of the created resource.")
CURRENT_ETAG = response_header(
    "ETag", ["412"], "The ETag of the current representation (in `current`).", required=False
)


def etag_header(codes: list[str]) -> OpenApiParameter:
    return response_header(
        "ETag",
        codes,
        'The representation\'s entity tag (`"<id>-<version>.<state>"` on a row); send it '
        "back as `If-Match` to write only over this version, or as `If-None-Match` to "
        "revalidate.",
    )


IDEMPOTENCY_KEY = OpenApiParameter(
    KEY_HEADER,
    str,
    OpenApiParameter.HEADER,
    pattern=KEY_PATTERN,
    description="Makes the POST safe to retry: a value you make up per request (a UUID). "
    "Sent again with the same method, path and body within 24 hours, it gets the first "
    "successful answer again (same status, body, `Location` and `ETag`, with "
    "`Idempotent-Replayed: true`) and nothing is created twice, also when the duplicates "
    "arrive at once; with another request it is refused with 422. Keys are per user; "
    "after an error the key may be sent again. An answer showing a secret once (token, "
    "signing secret, secret URL) is not kept: its retry is a 409 with the `Location` of "
    "what was made.",
)
LAST_MODIFIED = response_header(
    "Last-Modified",
    ["200", "304"],
    "When the row last changed (its `updated_at`, to the second); send it back as "
    "`If-Modified-Since` to revalidate.",
    required=False,
)


READ_ERRORS = ("400", "401", "403", "404", "429")
CREATE_ERRORS = (*READ_ERRORS, "409", "413", "415")
CHANGE_ERRORS = (*CREATE_ERRORS, "412")
POST_ERRORS = ("422",)


def decimal_pattern(field: serializers.DecimalField) -> str:
    """What the field accepts as text: digits with at most its decimal places (`12`, `12.5`,
    `.5`), a sign only where it may be negative; never empty."""
    places = field.decimal_places
    whole = f"[0-9]{{1,{field.max_digits - places}}}" if field.max_digits else "[0-9]+"
    sign = "" if field.min_value is not None and field.min_value >= 0 else "-?"
    if not places:
        return f"^{sign}{whole}$"
    return rf"^{sign}(?:{whole}(?:\.[0-9]{{0,{places}}})?|\.[0-9]{{1,{places}}})$"


# How drf-spectacular writes a nullable field of any type (a JSONField) for OpenAPI 3.1;
# null matches both branches, so no value at all would be valid.
ANY_OR_NULL = [{}, {"type": "null"}]
# The branch it adds to a blankable string with a format (a URL): "" may match the format's
# branch too (formats are annotations in JSON Schema 2020-12), so the branches are `anyOf`.
EMPTY_STRING = {"type": "string", "maxLength": 0}


def fix_one_of(schema) -> None:
    """Replace drf-spectacular's `oneOf` that null or "" cannot pass (in place)."""
    if not isinstance(schema, dict) or "oneOf" not in schema:
        return
    if schema["oneOf"] == ANY_OR_NULL:
        del schema["oneOf"]
    elif EMPTY_STRING in schema["oneOf"]:
        schema["anyOf"] = schema.pop("oneOf")


class ApiAutoSchema(AutoSchema):
    def _map_serializer(self, serializer, direction, bypass_extensions=False):
        """Request bodies say what the server does: unknown fields are refused."""
        schema = super()._map_serializer(serializer, direction, bypass_extensions)
        if direction == "request" and isinstance(serializer, StrictInputMixin):
            schema["additionalProperties"] = False
        return schema

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        """Lists of objects carry their length limits."""
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if isinstance(field, serializers.ListSerializer):
            if field.min_length is not None or not field.allow_empty:
                schema["minItems"] = max(field.min_length or 0, 0 if field.allow_empty else 1)
            if field.max_length is not None:
                schema["maxItems"] = field.max_length
        fix_one_of(schema)
        return schema

    def _insert_field_validators(self, field, schema):
        super()._insert_field_validators(field, schema)
        types = schema.get("type")
        # A nullable field's type is ["string", "null"] in OpenAPI 3.1.
        if isinstance(field, serializers.DecimalField) and "string" in (
            types if isinstance(types, list) else [types]
        ):
            schema["pattern"] = decimal_pattern(field)
        fix_one_of(schema)

    def _view_serializer(self, attribute: str):
        return getattr(self.view, attribute, None)

    def get_request_serializer(self):
        action = getattr(self.view, "action", None)
        if action == "create" and self._view_serializer("create_serializer_class"):
            return self.view.create_serializer_class
        if action == "partial_update" and self._view_serializer("update_serializer_class"):
            return self.view.update_serializer_class
        return super().get_request_serializer()

    def changes_a_row(self) -> bool:
        return self.method not in SAFE and not self._is_create_operation()

    def handler_sends_etag(self) -> bool:
        """The view method answers with the row's ETag (milestones_site.api.viewsets), a
        list only where its reads are conditional."""
        action = getattr(self.view, "action", None)
        handler = getattr(self.view, action, None) if action else None
        if not getattr(handler, "answers_with_etag", False):
            return False
        return action != "list" or self.reads_conditionally()

    def reads_conditionally(self) -> bool:
        return self.method == "GET" and getattr(self.view, "conditional_reads", False)

    def answers_not_modified(self) -> bool:
        """304 to an `If-None-Match` naming the current ETag."""
        return self.handler_sends_etag() and self.reads_conditionally()

    def response_headers(self) -> list[OpenApiParameter]:
        """Each applies only to the status codes it names that the operation answers."""
        headers = [WWW_AUTHENTICATE, RETRY_AFTER, LOCATION, CURRENT_ETAG]
        if self.handler_sends_etag():
            success = "201" if self._is_create_operation() else "200"
            codes = [success, "304"] if self.answers_not_modified() else [success]
            headers.append(etag_header(codes))
        return headers

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if self.method == "POST":
            parameters = [*parameters, IDEMPOTENCY_KEY]
        if self.changes_a_row():
            parameters = [*parameters, IF_MATCH]
        if self.answers_not_modified():
            parameters = [*parameters, IF_NONE_MATCH]
        if self.revalidates_by_date():
            parameters = [*parameters, IF_MODIFIED_SINCE, LAST_MODIFIED]
        return [*parameters, *self.response_headers()]

    def error_codes(self) -> tuple[str, ...]:
        if self.method in SAFE:
            return READ_ERRORS
        posted = POST_ERRORS if self.method == "POST" else ()
        if self._is_create_operation():
            return (*CREATE_ERRORS, *posted)
        return (*CHANGE_ERRORS, *posted)

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in self.error_codes():
            responses.setdefault(code, self._get_response_for_code(ERRORS[code], code))
        if self.answers_not_modified():
            responses["304"] = self._get_response_for_code(NOT_MODIFIED, "304")
        return responses

    def revalidates_by_date(self) -> bool:
        """A conditional detail read also answers `If-Modified-Since` (its updated_at)."""
        return self.answers_not_modified() and getattr(self.view, "action", None) == "retrieve"


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "projects.api.auth.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal access token (create one at POST /api/v1/tokens/).",
        }
