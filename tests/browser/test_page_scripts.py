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


def test_a_refused_status_update_shows_the_apps_messages_and_focuses_the_first_error(
    page, live_server, manager, project, with_password
):
    """No browser validation bubble: the server's messages, focus on the first field in
    error."""
    with_password(manager)
    login(page, live_server, manager)
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    page.locator("summary", has_text="Post").click()
    form = page.locator(f'form[action="/projects/{project.pk}/status-updates/"]')
    expect(form).to_have_attribute("novalidate", "")

    form.get_by_role("button", name="Post update").click()

    expect(page.get_by_text("This field is required.").first).to_be_visible()
    expect(page.get_by_label("On track")).to_be_focused()


def test_a_form_with_more_text_than_the_server_reads_is_kept_not_sent(
    page, live_server, manager, project, with_password, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4_000
    with_password(manager)
    login(page, live_server, manager)
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    page.locator("summary", has_text="Post").click()
    form = page.locator(f'form[action="/projects/{project.pk}/status-updates/"]')
    form.get_by_label("On track").check()
    summary = "A long week of shoots. " * 300
    form.get_by_label("Summary").fill(summary)

    form.get_by_role("button", name="Post update").click()

    alert = form.get_by_role("alert")
    expect(alert).to_contain_text("more text than the server accepts (3.9 KB at most)")
    expect(alert).to_be_focused()
    expect(form.get_by_label("Summary")).to_have_value(summary)
    assert page.url == f"{live_server.url}/projects/{project.pk}/"
    assert not project.status_updates.exists()
