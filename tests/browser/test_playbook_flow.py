"""A manager plans Black Friday / Cyber Monday from the built-in playbook in real Chromium."""

import re

import pytest
from playwright.sync_api import expect

from projects.models import Project
from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_manager_previews_and_creates_a_black_friday_campaign(
    page, live_server, manager, member, with_password
):
    with_password(manager)
    login(page, live_server, manager)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Playbooks").click()
    expect(page.get_by_role("heading", name="Built-in playbooks")).to_be_visible()
    screenshot(page, "playbooks-gallery")
    page.get_by_role("link", name="Black Friday / Cyber Monday", exact=True).click()
    expect(page.get_by_role("row", name=re.compile("^Black Friday sale starts"))).to_contain_text(
        "anchor day 0 + 49"
    )
    screenshot(page, "playbooks-template")
    page.get_by_role("link", name="Use this playbook").click()

    page.get_by_label("Project name").fill("Black Friday 2026")
    expect(page.get_by_label("Backward from a launch / event date")).to_be_checked()
    page.get_by_label("Forward from a start date").check()
    expect(page.get_by_role("textbox", name="Start date")).to_be_visible()
    page.get_by_label("Backward from a launch / event date").check()
    page.get_by_role("textbox", name="Launch / event date").fill("2026-11-27")
    page.get_by_label("Campaign manager").select_option(label=manager.get_full_name())
    page.get_by_label("CRM lead").select_option(label=member.get_full_name())
    page.get_by_role("button", name="Preview").click()

    anchor = page.locator("tr.preview-anchor")
    expect(anchor).to_contain_text("Black Friday sale starts")
    expect(anchor).to_contain_text("Fri 27 Nov 2026")
    expect(anchor).to_contain_text(manager.get_full_name())
    expect(page.locator("tr[data-milestone]")).to_have_count(11)
    assert Project.objects.count() == 0, "a preview creates nothing"
    screenshot(page, "playbooks-preview")

    page.get_by_role("button", name="Create project").click()
    expect(page.get_by_role("heading", name="Black Friday 2026")).to_be_visible()
    project = Project.objects.get(name="Black Friday 2026")
    assert page.url.endswith(f"/projects/{project.pk}/")
    expect(page.locator("a.rowtitle[href^='/milestones/']")).to_have_count(11)
    expect(page.get_by_text(re.compile(r"0 of 11 completed"))).to_be_visible()
    assert project.milestones.get(title="Black Friday sale starts").owner == manager
    assert project.milestones.get(title="Email and SMS programme scheduled").owner == member
    screenshot(page, "playbooks-created-project")
