"""factory_boy factories: rows for test set-up. Behaviour under test goes through services.

Rows that move a roll-up (projects.rollups) refresh it once made, as the service that makes
such a row would: tests read the values the services keep."""

from contextlib import contextmanager
from datetime import date, timedelta
from types import SimpleNamespace

import factory
from django.contrib.auth import get_user_model

from deliverables.models import ChecklistItem, Deliverable
from deliverables.rollups import recompute_everything, refresh_checklists
from projects import rollups
from projects.models import (
    Client,
    Membership,
    Milestone,
    Phase,
    Project,
    Role,
    ShareLink,
    StatusUpdate,
    Workspace,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("pass-1234-word")


class WorkspaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workspace

    name = factory.Sequence(lambda n: f"Agency {n}")
    slug = factory.Sequence(lambda n: f"agency-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    workspace = factory.SubFactory(WorkspaceFactory)
    role = Role.MEMBER


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    workspace = factory.SubFactory(WorkspaceFactory)
    name = factory.Sequence(lambda n: f"Client {n}")


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    workspace = factory.SubFactory(WorkspaceFactory)
    name = factory.Sequence(lambda n: f"Campaign {n}")
    kind = Project.Kind.DIGITAL_CAMPAIGN
    status = Project.Status.ACTIVE
    start_date = date(2026, 10, 1)
    target_date = date(2027, 3, 31)


class PhaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Phase

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"Phase {n}")
    order = factory.Sequence(int)


class RollupFactory(factory.django.DjangoModelFactory):
    """Refreshes the roll-ups its row moves once it is saved (or, inside `one_refresh`,
    once for all the rows made in it)."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        row = super()._create(model_class, *args, **kwargs)
        if DEFERRED_REFRESHES.made is None:
            cls.refresh(row)
        else:
            DEFERRED_REFRESHES.made.append((cls, row))
        return row


# The rows made inside `one_refresh`, whose roll-ups wait for its end (None outside it).
DEFERRED_REFRESHES = SimpleNamespace(made=None)


@contextmanager
def one_refresh():
    """Set-up that makes many rows refreshes their roll-ups once, at the end."""
    DEFERRED_REFRESHES.made = []
    try:
        yield
    finally:
        made, DEFERRED_REFRESHES.made = DEFERRED_REFRESHES.made, None
    milestones = {row.pk for cls, row in made if cls is MilestoneFactory}
    milestones |= {row.milestone_id for cls, row in made if cls is DeliverableFactory}
    projects = {row.project_id for cls, row in made if cls is StatusUpdateFactory}
    rollups.refresh(milestones=milestones, projects=projects)
    refresh_checklists(
        {
            row.deliverable_id
            for cls, row in made
            if cls is ChecklistItemFactory and row.deliverable_id
        }
    )


class MilestoneFactory(RollupFactory):
    class Meta:
        model = Milestone

    @staticmethod
    def refresh(milestone):
        rollups.refresh(milestones=[milestone.pk])

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    category = Milestone.Category.CAMPAIGN_CHECKPOINT
    due_date = factory.LazyFunction(lambda: date.today() + timedelta(days=30))
    baseline_due_date = factory.LazyAttribute(lambda m: m.due_date)


class DeliverableFactory(RollupFactory):
    class Meta:
        model = Deliverable

    @staticmethod
    def refresh(deliverable):
        rollups.refresh(milestones=[deliverable.milestone_id])

    milestone = factory.SubFactory(MilestoneFactory)
    title = factory.Sequence(lambda n: f"Deliverable {n}")
    kind = Deliverable.Kind.CREATIVE_ASSET


class ChecklistItemFactory(RollupFactory):
    class Meta:
        model = ChecklistItem

    @staticmethod
    def refresh(item):
        if item.deliverable_id:
            refresh_checklists([item.deliverable_id])

    deliverable = factory.SubFactory(DeliverableFactory)
    text = factory.Sequence(lambda n: f"Check {n}")


class StatusUpdateFactory(RollupFactory):
    class Meta:
        model = StatusUpdate

    @staticmethod
    def refresh(update):
        rollups.refresh(projects=[update.project_id])

    project = factory.SubFactory(ProjectFactory)
    health = "on_track"
    summary = "All good."


class ShareLinkFactory(factory.django.DjangoModelFactory):
    """A link that allows client sign-off (its secret is never presented in these tests)."""

    class Meta:
        model = ShareLink

    project = factory.SubFactory(ProjectFactory)
    allow_signoff = True
    prefix = factory.Sequence(lambda n: f"sh_{n:09d}")
    secret_hash = factory.Sequence(lambda n: f"{n:064x}")


def forced(rows, **fields) -> None:
    """Set-up that writes `fields` straight to `rows` (a queryset), around the services and
    their rules, then repairs the roll-ups it moved as `check_rollups --repair` would."""
    rows.update(**fields)
    made_in_bulk()


def made_in_bulk() -> None:
    """After set-up that made rows with `bulk_create`: their roll-ups, worked out again."""
    recompute_everything(repair=True)


def depend(dependent: Milestone, *prerequisites: Milestone) -> None:
    """`dependent` waits for `prerequisites` too (set-up without the service's checks),
    with its roll-ups refreshed as milestone_set_dependencies would."""
    dependent.depends_on.add(*prerequisites)
    rollups.refresh(milestones=[dependent.pk])
