"""`manage.py seed_demo`: the promised demo shape, built through the services, only once."""

from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings

from deliverables.models import ChecklistItem, Deliverable
from projects.demo import campaigns as plan
from projects.models import (
    ActivityEvent,
    Comment,
    Health,
    Milestone,
    MilestoneDateChange,
    Project,
    Role,
    StatusUpdate,
    Workspace,
)
from projects.selectors.burnup import burnup_series


def seed_demo() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


# Real logins are checked, with a fast hasher: the production one costs ~0.5 s a hash.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seed once for the module (it takes a second) inside a transaction rolled back after
    the last test; each test runs in its own savepoint within it."""
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
            seed_demo()
        yield Workspace.objects.get(slug=plan.WORKSPACE["slug"])
        transaction.set_rollback(True)


@pytest.fixture
def demo(seeded, db):
    return seeded


def row_counts() -> dict[str, int]:
    """Rows of every model that has a table."""
    tables = set(connection.introspection.table_names())
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.db_table in tables
    }


def test_five_campaigns_of_the_promised_kinds_for_three_clients(demo):
    projects = Project.objects.filter(workspace=demo).prefetch_related("phases")
    assert sorted(p.kind for p in projects) == [
        "brand",
        "digital_campaign",
        "event",
        "product_launch",
        "seasonal",
    ]
    assert demo.clients.count() == 3
    assert all(3 <= len(p.phases.all()) <= 4 for p in projects)
    assert demo.timezone == "Europe/London"


def test_an_agency_client_onboarding_with_a_checklist_per_channel(demo):
    onboarding = Project.objects.get(workspace=demo, name="Brightwater Yoga onboarding")
    assert onboarding.client.name == "Brightwater Yoga Studios"
    audits = {
        d.title: list(d.checklist.values_list("text", "done"))
        for d in Deliverable.objects.filter(milestone__project=onboarding, title__contains="audit")
    }
    assert set(audits) == {
        "Social audit",
        "Local SEO and keyword audit",
        "Email programme audit",
        "Paid accounts audit",
    }
    assert all(len(items) >= 4 for items in audits.values())
    # The audits stand where the plan does: social done, SEO under way, paid not started.
    assert all(done for _, done in audits["Social audit"])
    assert {done for _, done in audits["Local SEO and keyword audit"]} == {True, False}
    assert not any(done for _, done in audits["Paid accounts audit"])


def test_milestones_cover_every_category_and_every_state(demo):
    milestones = Milestone.objects.filter(project__workspace=demo).with_derived(today=demo.today())
    assert milestones.count() >= 30
    categories = set(milestones.values_list("category", flat=True))
    assert categories == set(Milestone.Category.values) - {Milestone.Category.OTHER}
    assert milestones.filter(slip_days__gt=0).exists()
    assert milestones.filter(is_overdue=True).exists()
    assert milestones.filter(health="at_risk").exists()
    completed = milestones.filter(status=Milestone.Status.COMPLETED)
    assert completed.exists()
    assert all(m.completed_at.date() <= demo.today() for m in completed)
    assert milestones.filter(kpi_name="", kpi_target__isnull=True).count() < milestones.count()
    assert Milestone.depends_on.through.objects.filter(
        from_milestone__project__workspace=demo
    ).exists()


def test_slips_are_recorded_reschedules_with_reasons(demo):
    slipped = Milestone.objects.filter(project__workspace=demo).with_derived(today=demo.today())
    slipped = slipped.filter(slip_days__gt=0)
    changes = MilestoneDateChange.objects.filter(milestone__in=slipped)
    assert changes.count() == slipped.count()
    assert all(change.reason and change.changed_by for change in changes)


def test_deliverables_in_every_status_with_ticked_checklists(demo):
    deliverables = Deliverable.objects.filter(milestone__project__workspace=demo)
    assert set(deliverables.values_list("status", flat=True)) == set(Deliverable.Status.values)
    assert not deliverables.filter(status__in=Deliverable.DONE_STATUSES, approved_by=None).exists()
    assert all(d.link.startswith("https://example.com/") for d in deliverables.exclude(link=""))
    items = ChecklistItem.objects.filter(deliverable__in=deliverables)
    assert {True, False} <= set(items.values_list("done", flat=True))
    changes = ActivityEvent.objects.filter(workspace=demo, verb="deliverable.changes_requested")
    assert changes.exists()
    assert all(event.data["note"] for event in changes)


def test_each_milestone_is_created_before_it_is_completed_and_the_burnup_agrees(demo):
    """The page's "n of m completed" and the burn-up's last point tell the same story."""
    events = ActivityEvent.objects.filter(workspace=demo, verb__startswith="milestone.")
    first_at = {}
    for event in events.order_by("created_at", "id"):
        first_at.setdefault(event.target_id, event.verb)
    assert set(first_at.values()) == {"milestone.created"}
    completed = 0
    for project in Project.objects.filter(workspace=demo).select_related("workspace"):
        milestones = project.milestones.exclude(status=Milestone.Status.CANCELLED)
        last = burnup_series(project=project, today=demo.today())[-1]
        assert (last.scope, last.done) == (
            milestones.count(),
            milestones.filter(status=Milestone.Status.COMPLETED).count(),
        )
        completed += last.done
    assert completed > 0


def test_status_updates_of_each_health_and_comments(demo):
    updates = StatusUpdate.objects.filter(project__workspace=demo)
    assert set(updates.values_list("health", flat=True)) == set(Health.values)
    assert Comment.objects.filter(project__workspace=demo).exists()


def test_the_printed_logins_sign_in_with_their_roles(demo, settings, rf):
    settings.PASSWORD_HASHERS = FAST_HASHERS
    output = seed_demo()
    for username, role in [(plan.MANAGER_LOGIN, Role.MANAGER), (plan.STAKEHOLDER_LOGIN, "viewer")]:
        assert f"{username} / {plan.PASSWORD}" in output
        # A sign-in always comes with its request: django-axes counts failures by address.
        request = rf.post("/accounts/login/")
        user = authenticate(request, username=username, password=plan.PASSWORD)
        assert user is not None
        assert user.memberships.get(workspace=demo).role == role
    assert "http://" in output or "https://" in output


def test_the_admin_login_opens_the_django_admin(demo, client):
    output = seed_demo()
    assert f"{plan.ADMIN_LOGIN} / {plan.PASSWORD}" in output
    admin = get_user_model().objects.get(username=plan.ADMIN_LOGIN)
    assert admin.is_staff and admin.is_superuser
    client.force_login(admin)
    response = client.get("/admin/projects/project/")
    assert response.status_code == 200
    assert "Black Friday" in response.content.decode()


def test_running_twice_creates_nothing_new(demo):
    before = row_counts()
    output = seed_demo()
    assert row_counts() == before
    assert "already exists" in output
