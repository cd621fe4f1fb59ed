import os

import pytest

from projects.models import Role

from .factories import MembershipFactory, ProjectFactory, UserFactory, WorkspaceFactory


def pytest_sessionfinish(session, exitstatus):
    """Under CI a skipped test is a failure: nothing may silently not run."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if os.environ.get("CI") == "true" and skipped and session.exitstatus == 0:
        reporter.write_line(f"CI: {skipped} skipped test(s) count as failures.", red=True)
        session.exitstatus = 1


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The production hasher spends ~0.3 s per password on purpose; tests make many users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def generous_api_throttle_rates(settings):
    """API throttle counters live in the cache, which outlives a test (in CI a Redis shared
    by the xdist workers), so one test's requests would throttle another's.
    tests/api/test_throttling.py sets low limits on a cache of its own."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"client": "100000/minute", "anonymous": "100000/minute"},
    }


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
def uncached_reads(settings):
    """Pages and API reads rendered afresh on every request: query-count tests measure
    what a read costs when the read cache (projects/read_cache.py) has no copy of it."""
    settings.READ_CACHE_SECONDS = 0
