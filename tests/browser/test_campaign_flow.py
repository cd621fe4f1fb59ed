"""A marketing manager runs a campaign in real Chromium: create, deliver, approve, slip."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from deliverables.models import Deliverable
from deliverables.services.deliverables import deliverable_deliver
from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_manager_plans_approves_and_reschedules(
    page, live_server, workspace, manager, with_password
):
    with_password(manager)
    today = workspace.today()
    due, new_due = today + timedelta(days=14), today + timedelta(days=21)

    login(page, live_server, manager)
    expect(page.get_by_role("heading", name="Portfolio")).to_be_visible()

    page.get_by_role("link", name="New project").click()
    page.get_by_label("Name").fill("Spring trail shoe launch")
    page.get_by_label("Start date").fill(today.isoformat())
    page.get_by_label("Target date").fill((today + timedelta(days=60)).isoformat())
    page.get_by_role("button", name="Create project").click()
    expect(page.get_by_role("heading", name="Spring trail shoe launch")).to_be_visible()

    page.locator("summary", has_text="More actions").click()
    page.get_by_role("link", name="Add phase").click()
    page.get_by_label("Name").fill("Production")
    page.get_by_role("button", name="Add phase").click()

    page.get_by_role("link", name="Add milestone").first.click()
    page.get_by_label("Title").fill("Launch film locked")
    page.get_by_label("Phase").select_option(label="Production")
    page.get_by_label("Due date").fill(due.isoformat())
    page.get_by_role("button", name="Add milestone").click()
    milestone_link = page.locator("a.rowtitle", has_text="Launch film locked")
    expect(milestone_link).to_be_visible()

    page.get_by_role("link", name="+ Add deliverable").click()
    page.get_by_label("Title").fill("Hero film cut")
    page.get_by_role("button", name="Add deliverable").click()
    status = page.locator("[id^=deliverable-status-]").filter(has_text="Not started")
    expect(status).to_be_visible()

    # Inline, through htmx: the page is not reloaded, the status cell is swapped in place.
    page.evaluate("window.notReloaded = true")
    actions = page.locator('summary[aria-label="Actions: Hero film cut"]')
    actions.click()
    page.get_by_role("button", name="Submit for review: Hero film cut").click()
    expect(page.locator("[data-status=in_review]")).to_have_text("In review")
    actions.click()
    page.get_by_role("button", name="Approve: Hero film cut").click()
    expect(page.locator("[data-status=approved]")).to_have_text("Approved")
    assert page.evaluate("window.notReloaded") is True

    # Someone else delivers it meanwhile (another tab): the stale click is refused, in place.
    deliverable_deliver(deliverable=Deliverable.objects.get(title="Hero film cut"), actor=manager)
    actions.click()
    page.get_by_role("button", name="Mark delivered: Hero film cut").click()
    expect(page.get_by_role("alert")).to_contain_text(
        f"{manager.get_full_name()} changed this to Delivered at"
    )
    expect(page.locator("[data-status=delivered]")).to_have_text("Delivered")
    screenshot(page, "project-conflict")

    milestone_link.click()
    page.get_by_label("New due date").fill(new_due.isoformat())
    page.get_by_label("Why does it move?").fill("Colour grading needs another week")
    page.get_by_role("button", name="Reschedule").click()
    expect(page.get_by_text("Colour grading needs another week")).to_be_visible()
    expect(page.locator("[data-status=slip]")).to_have_text("+7d slip")
    screenshot(page, "milestone")

    page.get_by_role("link", name="Spring trail shoe launch").click()
    row = page.locator("tr", has_text="Launch film locked")
    expect(row.locator("[data-status=slip]")).to_have_text("+7d slip")
    ghost = page.locator("svg.timeline polygon.ghost")
    expect(ghost).to_have_count(1)
    assert ghost.get_attribute("data-baseline") == due.isoformat()
    screenshot(page, "project")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "project-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Portfolio").click()
    expect(page.locator("a.rowtitle", has_text="Spring trail shoe launch")).to_be_visible()
    screenshot(page, "dashboard")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="My work").click()
    expect(page.locator("a.rowtitle", has_text="Launch film locked")).to_be_visible()
    screenshot(page, "my-work")

    # The campaign is cancelled: the manager deletes it, after reading what goes with it.
    page.get_by_role("link", name="Portfolio").first.click()
    page.locator("a.rowtitle", has_text="Spring trail shoe launch").click()
    page.locator("summary", has_text="More actions").click()
    page.get_by_role("link", name="Edit project").click()
    page.get_by_role("link", name="Delete…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Delete project “Spring trail shoe launch”?"
    )
    expect(page.get_by_text("Deleted with it:")).to_contain_text("1 milestone")
    screenshot(page, "project-delete")
    page.get_by_role("button", name="Delete project").click()
    expect(page.get_by_text("Project “Spring trail shoe launch” deleted.")).to_be_visible()
    expect(page.locator("a.rowtitle", has_text="Spring trail shoe launch")).to_have_count(0)
