from datetime import timedelta

import pytest

from deliverables import services as deliverable_services
from projects import services
from tests.factories import ClientFactory


@pytest.fixture
def signed_in(client):
    """`signed_in(user)` → the test client with that user's session."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def plan(workspace, manager, member):
    """A small campaign built through the services (so the audit log is real): a phase, two
    milestones (the second depends on the first) and a deliverable with a checklist."""
    client = ClientFactory(workspace=workspace, name="Fjordline Outdoor")
    today = workspace.today()
    project = services.project_create(
        workspace=workspace,
        actor=manager,
        name="Ridgeback launch",
        client=client,
        start_date=today.replace(day=1),
        budget_planned=10000,
        budget_spent=2500,
        currency="EUR",
        status="active",
    )
    phase = services.phase_create(project=project, actor=manager, name="Production")
    film = services.milestone_create(
        project=project,
        actor=manager,
        title="Launch film locked",
        due_date=today + timedelta(days=10),
        phase=phase,
        owner=member,
        kpi_name="Views",
        kpi_target=50000,
        kpi_unit="views",
    )
    launch = services.milestone_create(
        project=project,
        actor=manager,
        title="Launch day",
        due_date=today + timedelta(days=20),
        phase=phase,
        owner=manager,
        depends_on=[film],
    )
    cut = deliverable_services.deliverable_create(
        milestone=film, actor=manager, title="Hero film cut", owner=member, kind="video"
    )
    deliverable_services.checklist_item_add(parent=cut, actor=manager, text="Music licensed")
    return {
        "project": project,
        "phase": phase,
        "film": film,
        "launch": launch,
        "cut": cut,
        "today": today,
    }
