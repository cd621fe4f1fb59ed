"""OpenAPI generation (drf-spectacular): input and output serializers per operation, the
shared error component on every operation, and the Bearer token security scheme."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

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
    "429": problem("Too many requests; wait the number of seconds in `Retry-After`."),
}
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
READ_ERRORS = ("400", "401", "403", "404", "429")
CREATE_ERRORS = (*READ_ERRORS, "409", "413", "415")
CHANGE_ERRORS = (*CREATE_ERRORS, "412")


class ApiAutoSchema(AutoSchema):
    def _view_serializer(self, attribute: str):
        return getattr(self.view, attribute, None)

    def get_request_serializer(self):
        action = getattr(self.view, "action", None)
        if action == "create" and self._view_serializer("create_serializer_class"):
            return self.view.create_serializer_class
        if action == "partial_update" and self._view_serializer("update_serializer_class"):
            return self.view.update_serializer_class
        return super().get_request_serializer()

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if self.conditional_retrieve():
            return [*parameters, IF_MODIFIED_SINCE]
        if self.method in SAFE or self._is_create_operation():
            return parameters
        return [*parameters, IF_MATCH]

    def error_codes(self) -> tuple[str, ...]:
        if self.method in SAFE:
            return READ_ERRORS
        if self._is_create_operation():
            return CREATE_ERRORS
        return CHANGE_ERRORS

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in self.error_codes():
            responses.setdefault(code, self._get_response_for_code(ERRORS[code], code))
        if self.conditional_retrieve():
            responses.setdefault(
                "304",
                {"description": "Not modified since the `If-Modified-Since` date; no body."},
            )
        return responses

    def conditional_retrieve(self) -> bool:
        return getattr(self.view, "action", None) == "retrieve" and getattr(
            self.view, "conditional_reads", False
        )


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "projects.api.auth.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal access token (create one at POST /api/v1/tokens/).",
        }
