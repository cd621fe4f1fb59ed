"""A manager shares a project; a client opens the link without an account and signs off."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from deliverables.models import Deliverable
from projects.models import ActivityEvent, Milestone
from tests.browser.conftest import login, screenshot
from tests.factories import (
    DeliverableFactory,
    MilestoneFactory,
    PhaseFactory,
    ProjectFactory,
    forced,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def campaign(workspace, manager):
    project = ProjectFactory(workspace=workspace, owner=manager, name="Black Friday 2026")
    phase = PhaseFactory(project=project, name="Production")
    milestone = MilestoneFactory(
        project=project,
        phase=phase,
        owner=manager,
        title="Creatives signed off",
        due_date=timezone.localdate() + timedelta(days=5),
    )
    DeliverableFactory(
        milestone=milestone,
        owner=manager,
        title="Email teaser",
        status=Deliverable.Status.APPROVED,
        approved_at=timezone.now(),
    )
    hero = DeliverableFactory(
        milestone=milestone,
        owner=manager,
        title="Homepage hero banner",
        status=Deliverable.Status.IN_REVIEW,
        due_date=timezone.localdate() + timedelta(days=3),
    )
    return project, hero


def test_client_signs_off_through_a_share_link_without_login(
    new_checked_context, page, live_server, manager, with_password, campaign
):
    project, hero = campaign
    with_password(manager)

    login(page, live_server, manager)
    page.goto(f"{live_server.url}/settings/")
    page.get_by_role("navigation", name="Settings sections").get_by_role(
        "link", name="Share links"
    ).click()
    expect(page.get_by_role("heading", name="Share links", level=1)).to_be_visible()
    form = page.locator("form", has=page.get_by_role("button", name="Create share link"))
    form.get_by_label("Project").select_option(label=project.name)
    form.get_by_label("Label").fill("Client marketing team")
    form.get_by_label("Allow client sign-off on deliverables in review").check()
    form.get_by_role("button", name="Create share link").click()
    expect(
        page.get_by_role("heading", name=f"Share link for {project.name} created")
    ).to_be_visible()
    share_url = page.locator("#new-secret").input_value()
    assert share_url.startswith(f"{live_server.url}/share/sh_")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Copy").click()
    expect(page.locator("[data-copy-status]")).to_have_text("Copied.")
    assert page.evaluate("navigator.clipboard.readText()") == share_url
    screenshot(page, "settings-share-link-created")

    visitor = new_checked_context(viewport={"width": 390, "height": 844})
    client_page = visitor.new_page()
    client_page.goto(share_url)
    expect(client_page.get_by_role("heading", name=project.name, level=1)).to_be_visible()
    expect(client_page.get_by_role("link", name="Sign in")).to_have_count(0)
    card = client_page.locator("#signoff article", has_text="Homepage hero banner")
    card.get_by_label("Your name").fill("Dana Whitfield")
    card.get_by_label("Your email").fill("dana@northwind.example")
    screenshot(client_page, "share-page-phone")
    card.get_by_role("button", name="Approve").click()

    expect(client_page.get_by_text("“Homepage hero banner” is approved")).to_be_visible()
    expect(client_page.get_by_text("signed off by Dana Whitfield")).to_be_visible()
    expect(client_page.get_by_text("Nothing to sign off right now")).to_be_visible()
    screenshot(client_page, "share-page-signed-off")

    hero.refresh_from_db()
    assert hero.status == Deliverable.Status.APPROVED
    assert (hero.approved_by, hero.approved_by_name) == (None, "Dana Whitfield")
    event = ActivityEvent.objects.get(verb="deliverable.approved", target_id=hero.pk)
    assert (event.actor, event.actor_name) == (None, "Dana Whitfield")
    assert event.data["reviewer_email"] == "dana@northwind.example"


def test_manager_reads_the_calendar_month(page, live_server, manager, with_password, campaign):
    # Due today, so the milestone falls inside this month whatever the date: a phone shows only
    # the month's own days, not the next month's days that pad the grid.
    _, hero = campaign
    forced(Milestone.objects.filter(pk=hero.milestone_id), due_date=timezone.localdate())
    with_password(manager)

    login(page, live_server, manager)
    page.get_by_role("link", name="Calendar").click()

    expect(page.get_by_role("link", name="Milestone: Creatives signed off")).to_be_visible()
    expect(page.get_by_role("link", name="Deliverable: Homepage hero banner")).to_be_visible()
    screenshot(page, "calendar-month")

    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.get_by_role("link", name="Milestone: Creatives signed off")).to_be_visible()
    screenshot(page, "calendar-month-phone")
