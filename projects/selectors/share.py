"""Reads for the public share page: one project, read-only, and nothing about the team
behind it beyond what a client needs (no emails, no other projects, no activity log)."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch

from deliverables.models import Deliverable, DeliverableVersion
from projects.models import Milestone, Project, ShareLink, StatusUpdate

# What the page shows of a deliverable; nothing that names the team.
SHARED_DELIVERABLE_FIELDS = (
    "id",
    "milestone_id",
    "title",
    "kind",
    "status",
    "due_date",
    "link",
    "approved_at",
    "approved_by_name",
    "version",
)


@dataclass
class SharedProject:
    link: ShareLink
    project: Project
    today: date
    milestones: list[Milestone]
    latest_update: StatusUpdate | None
    # The versions (newest first, with files and comments) of each deliverable awaiting
    # sign-off, by its id: what the client proofs.
    versions: dict[int, list[DeliverableVersion]] = field(default_factory=dict)

    @property
    def awaiting_signoff(self) -> list[Deliverable]:
        return [
            deliverable
            for milestone in self.milestones
            for deliverable in milestone.deliverables.all()
            if deliverable.status == Deliverable.Status.IN_REVIEW
        ]

    def versions_of(self, deliverable: Deliverable) -> list[DeliverableVersion]:
        return self.versions.get(deliverable.pk, [])


def shared_project(*, link: ShareLink, today: date | None = None) -> SharedProject:
    """The project behind an active share link with progress, health and milestones."""
    today = today or link.project.workspace.today()
    project = (
        Project.objects.filter(pk=link.project_id)
        .select_related("client")
        .with_overview(today=today)
        .get()
    )
    deliverables = Deliverable.objects.only(*SHARED_DELIVERABLE_FIELDS).order_by("due_date", "id")
    milestones = list(
        Milestone.objects.filter(project=project)
        .exclude(status=Milestone.Status.CANCELLED)
        .with_derived(today=today)
        .select_related("phase")
        .prefetch_related(Prefetch("deliverables", queryset=deliverables))
        .order_by("due_date", "id")
    )
    project.overdue_count = sum(milestone.is_overdue for milestone in milestones)
    latest_update = (
        StatusUpdate.objects.filter(project=project).only("health", "summary", "created_at").first()
    )
    shared = SharedProject(
        link=link,
        project=project,
        today=today,
        milestones=milestones,
        latest_update=latest_update,
    )
    awaiting = [deliverable.pk for deliverable in shared.awaiting_signoff]
    for version in DeliverableVersion.objects.filter(deliverable_id__in=awaiting).for_review():
        shared.versions.setdefault(version.deliverable_id, []).append(version)
    return shared
