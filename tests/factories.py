"""factory_boy factories: rows for test set-up. Behaviour under test goes through services."""

from datetime import date, timedelta

import factory
from django.contrib.auth import get_user_model

from deliverables.models import ChecklistItem, Deliverable
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


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    category = Milestone.Category.CAMPAIGN_CHECKPOINT
    due_date = factory.LazyFunction(lambda: date.today() + timedelta(days=30))
    baseline_due_date = factory.LazyAttribute(lambda m: m.due_date)


class DeliverableFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deliverable

    milestone = factory.SubFactory(MilestoneFactory)
    title = factory.Sequence(lambda n: f"Deliverable {n}")
    kind = Deliverable.Kind.CREATIVE_ASSET


class ChecklistItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChecklistItem

    deliverable = factory.SubFactory(DeliverableFactory)
    text = factory.Sequence(lambda n: f"Check {n}")


class StatusUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatusUpdate

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
