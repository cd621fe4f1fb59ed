"""The event types a webhook endpoint can subscribe to: their names, when each fires and
what its payload's `object` is.

Every event is an entry of the activity log (its `verb`) that happened in a workspace;
the payload (notifications.webhooks.payloads) is the same envelope for all of them, with
`object` the thing the event is about as the REST API shows it. Events of a person's own
account (API tokens) belong to no workspace and are never sent. An endpoint names the types
it wants from this catalogue; any other name is refused.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class EventType:
    name: str
    fires: str  # when it fires, for the schema and the README
    objects: tuple[str, ...]  # the model names `object_type` may take


WORKSPACE = ("workspace",)
CLIENT = ("client",)
PROJECT = ("project",)
PHASE = ("phase",)
MILESTONE = ("milestone",)
DELIVERABLE = ("deliverable",)
MILESTONE_OR_DELIVERABLE = ("milestone", "deliverable")

EVENT_TYPES = (
    EventType("workspace.updated", "The workspace's settings were changed.", WORKSPACE),
    EventType(
        "membership.added", "A person joined the workspace (`data.user`, `data.role`).", WORKSPACE
    ),
    EventType("membership.role_changed", "A member's role was changed.", WORKSPACE),
    EventType("membership.removed", "A person left the workspace (`data.user`).", WORKSPACE),
    EventType("client.created", "A client was added.", CLIENT),
    EventType("client.updated", "A client was edited.", CLIENT),
    EventType("client.deleted", "A client was deleted (`data.client` names it).", WORKSPACE),
    EventType("project.created", "A project was created.", PROJECT),
    EventType(
        "project.updated", "A project was edited (`changes` holds before and after).", PROJECT
    ),
    EventType("project.deleted", "A project was deleted with everything in it.", WORKSPACE),
    EventType(
        "project.planned_from_template", "A playbook was instantiated into the project.", PROJECT
    ),
    EventType("project.saved_as_template", "The project was saved as a playbook.", PROJECT),
    EventType("status_update.posted", "A status update (health, summary) was posted.", PROJECT),
    EventType("share_link.created", "A share link to the project was made.", PROJECT),
    EventType("share_link.revoked", "A share link to the project was revoked.", PROJECT),
    EventType("calendar_feed.created", "A calendar feed of the project was made.", PROJECT),
    EventType("calendar_feed.revoked", "A calendar feed of the project was revoked.", PROJECT),
    EventType("phase.created", "A phase was added.", PHASE),
    EventType("phase.updated", "A phase was edited.", PHASE),
    EventType("phase.deleted", "A phase was deleted (`object` is its project).", PROJECT),
    EventType("milestone.created", "A milestone was added.", MILESTONE),
    EventType("milestone.updated", "A milestone's details or status were changed.", MILESTONE),
    EventType(
        "milestone.completed", "A milestone was completed (`data.forced` when forced).", MILESTONE
    ),
    EventType(
        "milestone.status_changed",
        "A milestone's status moved other than by completing or reopening it.",
        MILESTONE,
    ),
    EventType("milestone.reopened", "A completed milestone was reopened.", MILESTONE),
    EventType("milestone.rescheduled", "A milestone's due date moved (`data.reason`).", MILESTONE),
    EventType("milestone.rebaselined", "A milestone's baseline date was reset.", MILESTONE),
    EventType("milestone.deleted", "A milestone was deleted (`object` is its project).", PROJECT),
    EventType("deliverable.created", "A deliverable was added.", DELIVERABLE),
    EventType("deliverable.updated", "A deliverable was edited.", DELIVERABLE),
    EventType("deliverable.started", "Work on a deliverable started.", DELIVERABLE),
    EventType("deliverable.submitted", "A deliverable was submitted for review.", DELIVERABLE),
    EventType(
        "deliverable.approved", "A deliverable was approved (by a member or a client).", DELIVERABLE
    ),
    EventType("deliverable.changes_requested", "A reviewer requested changes.", DELIVERABLE),
    EventType("deliverable.delivered", "An approved deliverable was delivered.", DELIVERABLE),
    EventType(
        "deliverable.version_uploaded", "A new version of its files was uploaded.", DELIVERABLE
    ),
    EventType(
        "deliverable.deleted", "A deliverable was deleted (`object` is its milestone).", MILESTONE
    ),
    EventType(
        "checklist_item.added",
        "A checklist item was added (`object` is its parent).",
        MILESTONE_OR_DELIVERABLE,
    ),
    EventType("checklist_item.checked", "A checklist item was ticked.", MILESTONE_OR_DELIVERABLE),
    EventType(
        "checklist_item.unchecked", "A checklist item was unticked.", MILESTONE_OR_DELIVERABLE
    ),
    EventType("checklist_item.removed", "A checklist item was removed.", MILESTONE_OR_DELIVERABLE),
    EventType(
        "comment.posted",
        "A comment was posted (`object` is what it is on).",
        MILESTONE_OR_DELIVERABLE,
    ),
    EventType(
        "proof_comment.posted", "A comment was posted on a proof (a version's file).", DELIVERABLE
    ),
    EventType("proof_comment.resolved", "A proof comment was resolved.", DELIVERABLE),
    EventType("proof_comment.reopened", "A resolved proof comment was reopened.", DELIVERABLE),
    EventType("webhook.created", "A webhook endpoint was registered in the workspace.", WORKSPACE),
    EventType(
        "webhook.secret_rotated", "A webhook endpoint's signing secret was rotated.", WORKSPACE
    ),
    EventType("webhook.deleted", "A webhook endpoint was deleted.", WORKSPACE),
)
EVENT_TYPE_NAMES = tuple(event_type.name for event_type in EVENT_TYPES)

# Recorded in the activity log but never sent: account events belong to no workspace, and a
# workspace is created before any endpoint of it can exist.
NEVER_SENT = ("api_token.created", "api_token.revoked", "workspace.created")


def unknown_event_types(names: list[str]) -> list[str]:
    return [name for name in names if name not in EVENT_TYPE_NAMES]
