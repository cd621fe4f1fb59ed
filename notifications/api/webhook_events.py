"""The event catalogue as the OpenAPI schema's `webhooks` section (OpenAPI 3.1): one entry
per event type, the request Milestones sends to a subscribed endpoint, with the payload's
shape and the headers it carries. `SPECTACULAR_SETTINGS["WEBHOOKS"]` names `WEBHOOKS`."""

from drf_spectacular.utils import (
    OpenApiResponse,
    OpenApiWebhook,
    PolymorphicProxySerializer,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers

from deliverables.api.outputs import DeliverableSerializer
from notifications.webhooks.catalogue import EVENT_TYPES
from notifications.webhooks.delivery import MAX_ATTEMPTS
from projects.api.outputs import (
    ClientSerializer,
    MilestoneSerializer,
    PhaseSerializer,
    ProjectSerializer,
    WorkspaceSerializer,
)

# How each kind of object is shown in a payload: as the REST API shows it.
OBJECT_SERIALIZERS = {
    "workspace": WorkspaceSerializer,
    "client": ClientSerializer,
    "project": ProjectSerializer,
    "phase": PhaseSerializer,
    "milestone": MilestoneSerializer,
    "deliverable": DeliverableSerializer,
}

# The headers of every delivery (notifications.webhooks.delivery); drf-spectacular puts no
# parameters on webhooks, so `with_delivery_headers` adds them to the generated schema.
HEADERS = [
    ("X-Milestones-Event", "string", "The event type."),
    (
        "X-Milestones-Delivery",
        "integer",
        "The delivery's id: the same on every retry of it, for deduplication.",
    ),
    (
        "X-Milestones-Timestamp",
        "integer",
        "Unix time of this attempt; refuse requests more than 5 minutes old.",
    ),
    (
        "X-Milestones-Signature",
        "string",
        '`sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" with the secret>`; while a rotated '
        "secret's overlap lasts, one per valid secret, comma-separated, the new one first "
        "(`sha256=<new>, sha256=<old>`). Accept the request when any one matches.",
    ),
]


def title(model_name: str) -> str:
    return model_name.title().replace("_", "")


def object_field(model_names: tuple[str, ...]) -> serializers.Field:
    help_text = (
        "The object as `GET /api/v1/<resource>/<id>/` shows it to a workspace owner when the "
        "event is sent, plus `url`, its page's path."
    )
    if len(model_names) == 1:
        return OBJECT_SERIALIZERS[model_names[0]](help_text=help_text)
    return PolymorphicProxySerializer(
        component_name="Or".join(title(name) for name in model_names),
        serializers=[OBJECT_SERIALIZERS[name] for name in model_names],
        resource_type_field_name=None,
        help_text=f"{help_text} `object_type` says which.",
    )


def envelope(model_names: tuple[str, ...]) -> serializers.Serializer:
    """The payload of every event whose `object` is one of `model_names`."""
    names = [event.name for event in EVENT_TYPES if event.objects == model_names]
    return inline_serializer(
        f"{''.join(title(name) for name in model_names)}Event",
        {
            "id": serializers.IntegerField(help_text="The event's id (in the activity feed)."),
            "type": serializers.ChoiceField(choices=names),
            "created_at": serializers.DateTimeField(),
            "workspace": serializers.IntegerField(),
            "project": serializers.IntegerField(allow_null=True),
            "actor": serializers.CharField(help_text="Who did it; empty for the system."),
            "changes": serializers.DictField(
                child=serializers.ListField(min_length=2, max_length=2),
                help_text="`{field: [before, after]}` of the fields the event changed.",
            ),
            "data": serializers.DictField(help_text="What else the event records."),
            "object_type": serializers.ChoiceField(choices=model_names),
            "object": object_field(model_names),
        },
    )


ENVELOPES = {model_names: envelope(model_names) for model_names in {e.objects for e in EVENT_TYPES}}

RECEIVED = OpenApiResponse(
    description=f"Any 2xx: delivered. Anything else, or no answer within 10 s: retried "
    f"(up to {MAX_ATTEMPTS} attempts, see the README)."
)

WEBHOOKS = [
    OpenApiWebhook(
        name=event.name,
        decorator=extend_schema(
            summary=event.fires,
            description=f"`{event.name}`: {event.fires} Sent to endpoints subscribed to "
            f"`{event.name}` (or to every event) as a signed POST.",
            request=ENVELOPES[event.objects],
            responses={"2XX": RECEIVED},
        ),
    )
    for event in EVENT_TYPES
]


def with_delivery_headers(result, generator, request, public):
    """Schema post-processing hook: the delivery headers on every webhook."""
    parameters = [
        {
            "name": name,
            "in": "header",
            "required": True,
            "schema": {"type": kind},
            "description": text,
        }
        for name, kind, text in HEADERS
    ]
    for operations in result.get("webhooks", {}).values():
        for operation in operations.values():
            operation["parameters"] = parameters
    return result
