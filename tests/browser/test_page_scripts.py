"""What the pages' script file (static/js/site.js) does, and the API docs, in real Chromium
under the Content-Security-Policy (the `page` fixture fails a test on any violation)."""

import pytest
from playwright.sync_api import expect

from projects.models import Role
from tests.browser.conftest import login
from tests.factories import MembershipFactory, ProjectFactory, WorkspaceFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_api_docs_render_the_operations(page, live_server):
    response = page.goto(f"{live_server.url}/api/v1/docs/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.locator(".opblock-tag", has_text="milestones").first).to_be_visible()
    expect(page.get_by_text("/api/v1/milestones/{id}/complete/").first).to_be_attached()


def test_choosing_a_workspace_switches_to_it(page, live_server, manager, with_password):
    other = WorkspaceFactory(name="Zenith Agency")
    MembershipFactory(workspace=other, user=manager, role=Role.MANAGER)
    ProjectFactory(workspace=other, name="Zenith relaunch")
    with_password(manager)
    login(page, live_server, manager)

    page.get_by_label("Workspace").select_option(label="Zenith Agency")

    expect(page.get_by_text("Switched to Zenith Agency.")).to_be_visible()
    expect(page.locator("a.rowtitle", has_text="Zenith relaunch")).to_be_visible()
