import os
from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from deliverables.rollups import recompute_everything
from deliverables.services import checklists as checklist_services
from deliverables.services import deliverables as deliverable_services
from milestones_site import settings as site_settings
from milestones_site.celery import app as celery_app
from projects.models import Role
from projects.services import milestones as milestone_services
from projects.services import projects as project_services
from tests.clients import client_with_token
from tests.factories import (
    ClientFactory,
    MembershipFactory,
    ProjectFactory,
    UserFactory,
    WorkspaceFactory,
)


def pytest_sessionfinish(session, exitstatus):
    """Under CI a skipped test is a failure: nothing may silently not run."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if os.environ.get("CI") == "true" and skipped and session.exitstatus == 0:
        reporter.write_line(f"CI: {skipped} skipped test(s) count as failures.", red=True)
        session.exitstatus = 1


DATABASE_FIXTURES = {"db", "transactional_db", "live_server"}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """After every test that wrote to the database, every stored roll-up must equal what its
    rows say (what `check_rollups` checks): the services keep them, and tests that make rows
    in bulk refresh them as a bulk import would. `@pytest.mark.rollups_may_drift` marks the
    tests that break them on purpose."""
    result = yield
    touches_database = item.get_closest_marker("django_db") or DATABASE_FIXTURES & set(
        item.fixturenames
    )
    if touches_database and not item.get_closest_marker("rollups_may_drift"):
        differences = recompute_everything()
        assert not differences, "stored roll-ups drifted: " + "; ".join(map(str, differences))
    return result


def pytest_terminal_summary(terminalreporter):
    """The counts the fault suite checked (tests/notifications/test_faults.py records them
    with `record_property("faults", …)`; xdist carries them back from its workers)."""
    counts = [
        f"{report.nodeid.rsplit('::', 1)[-1]}: {value}"
        for report in terminalreporter.stats.get("passed", [])
        + terminalreporter.stats.get("failed", [])
        for name, value in getattr(report, "user_properties", [])
        if name == "faults"
    ]
    if counts:
        terminalreporter.section("fault suite counts")
        for line in sorted(counts):
            terminalreporter.write_line(line)


@pytest.fixture(autouse=True, scope="session")
def broker_of_our_own(tmp_path_factory):
    """Messages that tests publish through the embedded (filesystem) broker go to a folder
    of the test run, not to var/broker/, where `make run`'s worker would take them for the
    development database's events. Tests of the worker point the app at a broker of their
    own (tests/notifications/conftest.py)."""
    if not celery_app.conf.broker_url.startswith("filesystem://"):
        yield
        return
    saved = celery_app.conf.broker_transport_options
    folder = tmp_path_factory.mktemp("broker")
    celery_app.conf.broker_transport_options = {
        **saved,
        **{
            key: str(folder / key)
            for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder")
        },
    }
    celery_app.conf.broker_transport_options["data_folder_out"] = str(folder / "data_folder_in")
    for key in ("data_folder_in", "processed_folder", "control_folder"):
        (folder / key).mkdir()
    celery_app._after_fork()
    yield
    celery_app.conf.broker_transport_options = saved
    celery_app._after_fork()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The production hasher spends ~0.3 s per password on purpose; tests make many users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def generous_api_throttle_rates(settings):
    """API throttle counters live in the cache, which outlives a test (in CI a Redis shared
    by the xdist workers), so one test's requests would throttle another's.
    tests/milestones_site/api/test_throttling.py sets low limits on a cache of its own."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"client": "100000/minute", "anonymous": "100000/minute"},
    }


@pytest.fixture(autouse=True)
def proof_storage(settings, tmp_path, monkeypatch):
    """Each test keeps proof files in a folder of its own (the local storage of `make run`),
    set in the environment too, so that a worker process started by the test uses it."""
    location = tmp_path / "proofs"
    monkeypatch.setenv("MILESTONES_FILE_STORAGE", "local")
    monkeypatch.setenv("MILESTONES_FILES_DIR", str(location))
    settings.STORAGES = {**settings.STORAGES, "proofs": site_settings.proof_storage()}
    return location


@pytest.fixture
def workspace(db):
    return WorkspaceFactory()


def _member(workspace, role):
    return MembershipFactory(
        workspace=workspace, role=role, user=UserFactory(username=f"{role}-{workspace.slug}")
    ).user


@pytest.fixture
def owner(workspace):
    return _member(workspace, Role.OWNER)


@pytest.fixture
def manager(workspace):
    return _member(workspace, Role.MANAGER)


@pytest.fixture
def member(workspace):
    return _member(workspace, Role.MEMBER)


@pytest.fixture
def viewer(workspace):
    return _member(workspace, Role.VIEWER)


@pytest.fixture
def outsider(db):
    other = WorkspaceFactory()
    return MembershipFactory(workspace=other, role=Role.OWNER).user


@pytest.fixture
def project(workspace, manager):
    return ProjectFactory(workspace=workspace, owner=manager)


@pytest.fixture
def plan(workspace, manager, member):
    """A small campaign built through the services (so the audit log is real): a phase, two
    milestones (the second depends on the first) and a deliverable with a checklist."""
    client = ClientFactory(workspace=workspace, name="Fjordline Outdoor")
    today = workspace.today()
    project = project_services.project_create(
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
    phase = project_services.phase_create(project=project, actor=manager, name="Production")
    film = milestone_services.milestone_create(
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
    launch = milestone_services.milestone_create(
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
    checklist_services.checklist_item_add(parent=cut, actor=manager, text="Music licensed")
    return {
        "project": project,
        "phase": phase,
        "film": film,
        "launch": launch,
        "cut": cut,
        "today": today,
    }


@pytest.fixture
def api_as():
    """`api_as(user)` → an API client with a fresh token of that user."""
    return client_with_token


@pytest.fixture
def anonymous_api():
    return APIClient()


@pytest.fixture
def signed_in(client):
    """`signed_in(user)` → the test client with that user's session."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in
