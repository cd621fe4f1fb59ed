"""A stakeholder (viewer) reads every page and is offered no control that would change it."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, screenshot
from tests.factories import DeliverableFactory, MilestoneFactory, PhaseFactory, ProjectFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_viewer_sees_no_edit_controls(page, live_server, workspace, manager, viewer, with_password):
    project = ProjectFactory(workspace=workspace, owner=manager, name="Autumn brand refresh")
    phase = PhaseFactory(project=project, name="Creative")
    milestone = MilestoneFactory(project=project, phase=phase, owner=manager, title="Key visual")
    DeliverableFactory(milestone=milestone, owner=manager, title="Poster", status="in_review")
    with_password(viewer)

    login(page, live_server, viewer)
    expect(page.get_by_role("link", name="Autumn brand refresh")).to_be_visible()
    expect(page.get_by_role("link", name="New project")).to_have_count(0)

    page.get_by_role("link", name="Autumn brand refresh").click()
    expect(page.get_by_role("heading", name="Autumn brand refresh")).to_be_visible()
    expect(page.locator("[data-status=in_review]")).to_have_text("In review")
    for name in ("Edit project", "Add phase", "Add milestone", "Post a status update"):
        expect(page.get_by_text(name, exact=True)).to_have_count(0)
    expect(page.locator("main form")).to_have_count(0)
    expect(page.locator("main select, main button")).to_have_count(0)
    screenshot(page, "project-viewer")

    page.locator("a.rowtitle", has_text="Key visual").click()
    expect(page.get_by_role("heading", name="Key visual")).to_be_visible()
    expect(page.locator("main form")).to_have_count(0)
    screenshot(page, "milestone-viewer")
