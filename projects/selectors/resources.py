"""The rows each REST resource of this app shows: scoped to what the reader may read and
annotated with every derived value and name its representation carries, so that a page of
rows costs a fixed number of queries. The API's viewsets list them; webhook payloads render
one of them (milestones_site.api.representations)."""

from datetime import date

from django.db.models import F, OuterRef, QuerySet, Subquery, Sum

from milestones_site.querysets.names import person_name
from projects.models import (
    ActivityEvent,
    CalendarFeed,
    Client,
    Comment,
    Deletion,
    Membership,
    Milestone,
    MilestoneDateChange,
    Phase,
    Project,
    ShareLink,
    StatusUpdate,
    Workspace,
    reference_date,
)
from projects.permissions import workspaces_with_roles
from projects.querysets import count_of, readable_workspace_ids


def reader_today(reader) -> date:
    """The date overdue and health are derived for, for this reader: today where their
    workspaces are (in UTC when those span timezones)."""
    return reference_date(workspaces_with_roles(reader))


def workspace_versions(request) -> list[tuple[int, int]]:
    """The content version of every workspace the reader reads: what each read of this
    app depends on besides the reader (HTTP validators, milestones_site.web.conditional)."""
    return [(w.pk, w.content_version) for w in workspaces_with_roles(request.user)]


def workspace_rows(reader) -> QuerySet:
    members = Membership.objects.filter(workspace=OuterRef("pk"))
    projects = Project.objects.filter(workspace=OuterRef("pk"))
    return Workspace.objects.visible_to(reader).annotate(
        role=Subquery(members.filter(user=reader).values("role")[:1]),
        members_count=count_of(members, "workspace"),
        projects_count=count_of(projects, "workspace"),
    )


def membership_rows(reader) -> QuerySet:
    memberships = Membership.objects.filter(workspace_id__in=readable_workspace_ids(reader))
    return memberships.select_related("user").annotate(name=person_name("user"))


def client_rows(reader) -> QuerySet:
    projects = Project.objects.filter(client=OuterRef("pk"))
    return Client.objects.visible_to(reader).annotate(projects_count=count_of(projects, "client"))


def project_rows(reader, today: date | None = None) -> QuerySet:
    today = today or reader_today(reader)
    return (
        Project.objects.visible_to(reader)
        .with_overview(today=today)
        .annotate(client_name=F("client__name"))
    )


def phase_rows(reader) -> QuerySet:
    milestones = Milestone.objects.filter(phase=OuterRef("pk"))
    return Phase.objects.visible_to(reader).annotate(
        project_name=F("project__name"), milestones_count=count_of(milestones, "phase")
    )


def milestone_rows(reader, today: date | None = None) -> QuerySet:
    today = today or reader_today(reader)
    return (
        Milestone.objects.visible_to(reader)
        .with_derived(today=today)
        .annotate(project_name=F("project__name"), phase_name=F("phase__name"))
    )


def stored_total(reader, column: str) -> int:
    """A roll-up column of Project (`milestones_total`, `deliverables_total`) summed over
    every project the reader may read: the size of an unfiltered list, without counting."""
    return Project.objects.visible_to(reader).aggregate(total=Sum(column))["total"] or 0


def dependency_ids(milestone_ids) -> dict[int, list[int]]:
    """{milestone id: the ids of the milestones it waits for, in id order}, in one query on
    the link table alone for a page of milestones."""
    waits: dict[int, list[int]] = {}
    through = Milestone.depends_on.through.objects.filter(from_milestone_id__in=milestone_ids)
    ordered = through.order_by("to_milestone_id")
    for source, target in ordered.values_list("from_milestone_id", "to_milestone_id"):
        waits.setdefault(source, []).append(target)
    return waits


def status_update_rows(reader) -> QuerySet:
    updates = StatusUpdate.objects.filter(project__workspace_id__in=readable_workspace_ids(reader))
    return updates.annotate(project_name=F("project__name"), author_name=person_name("author"))


def comment_rows(reader) -> QuerySet:
    comments = Comment.objects.visible_to(reader).select_related("target_type")
    return comments.annotate(author_name=person_name("author"))


def date_change_rows(milestone: Milestone) -> QuerySet:
    """A milestone's reschedules, newest first, with who made each."""
    changes = MilestoneDateChange.objects.filter(milestone=milestone)
    return changes.annotate(changed_by_name=person_name("changed_by"))


def share_link_rows(reader) -> QuerySet:
    """The share links of the projects the reader can see (as the settings page lists them;
    only a prefix of each secret is kept)."""
    links = ShareLink.objects.filter(project__workspace_id__in=readable_workspace_ids(reader))
    return links.annotate(
        project_name=F("project__name"), created_by_name=person_name("created_by")
    )


def calendar_feed_rows(reader) -> QuerySet:
    """The reader's own calendar feeds (personal and per project)."""
    return CalendarFeed.objects.filter(user=reader).annotate(project_name=F("project__name"))


def activity_rows(reader) -> QuerySet:
    """Events are never changed: each was last updated when it was recorded."""
    events = ActivityEvent.objects.filter(workspace_id__in=readable_workspace_ids(reader))
    return events.select_related("target_type").annotate(updated_at=F("created_at"))


def deletion_rows(reader) -> QuerySet:
    """What was deleted in the reader's workspaces; `updated_at` is when (for the filters
    and orderings every list shares)."""
    deletions = Deletion.objects.filter(workspace_id__in=readable_workspace_ids(reader))
    return deletions.annotate(updated_at=F("deleted_at"))
