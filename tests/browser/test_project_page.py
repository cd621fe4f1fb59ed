"""The project page in real Chromium, on a desk and on a phone: the header's menu, phase
tables whose columns line up, a timeline that shows the dependencies of the milestone
pointed at or focused only, deliverables' moves in menus and a burn-up that fits its card."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from projects.services import milestones as milestone_services
from projects.services import projects as project_services
from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

DESK = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def busy_plan(plan, manager):
    """The plan and a second phase of six milestones, each waiting for the one before and
    for the film: many curves on the timeline."""
    today = plan["today"]
    phase = project_services.phase_create(project=plan["project"], actor=manager, name="Launch")
    before = plan["launch"]
    chain = []
    for n in range(6):
        before = milestone_services.milestone_create(
            project=plan["project"],
            actor=manager,
            title=f"Regional launch {n + 1}: retail partners, press and social for the region",
            due_date=today + timedelta(days=25 + 3 * n),
            phase=phase,
            depends_on=[before, plan["film"]],
        )
        chain.append(before)
    return {**plan, "chain": chain}


def open_project(new_checked_context, live_server, user, project, viewport):
    page = new_checked_context(viewport=viewport).new_page()
    login(page, live_server, user)
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    return page


def shown_curves(page) -> list[tuple[str, str]]:
    """(prerequisite id, dependent id) of each dependency curve on show."""
    shown = page.eval_on_selector_all(
        "svg.timeline .dependency",
        "paths => paths.filter(p => getComputedStyle(p).visibility === 'visible')"
        ".map(p => [p.dataset.from, p.dataset.to])",
    )
    return [tuple(pair) for pair in shown]


def test_project_page_on_a_desk(
    new_checked_context, live_server, busy_plan, manager, with_password
):
    with_password(manager)
    page = open_project(new_checked_context, live_server, manager, busy_plan["project"], DESK)
    film, first = busy_plan["film"], busy_plan["chain"][0]

    # One primary action; the rest in a menu that Escape and a click elsewhere close.
    head = page.locator(".pagehead")
    expect(head.locator(".btn--primary")).to_have_text("Add milestone")
    menu = head.locator("details[data-menu]")
    expect(menu.get_by_role("link", name="Edit project")).to_be_hidden()
    menu.locator("summary").click()
    expect(menu.get_by_role("link", name="Edit project")).to_be_visible()
    page.keyboard.press("Escape")
    expect(menu.get_by_role("link", name="Edit project")).to_be_hidden()
    assert page.evaluate("document.activeElement.textContent") == "More actions"
    menu.locator("summary").click()
    page.locator("h2", has_text="Timeline").click()
    expect(menu.get_by_role("link", name="Edit project")).to_be_hidden()

    # The phases' tables: their columns start at the same x.
    tables = page.locator("table.plan")
    expect(tables).to_have_count(2)
    columns = [
        [
            round(cell["x"])
            for cell in table.locator("th").evaluate_all(
                "cells => cells.map(c => c.getBoundingClientRect())"
            )
        ]
        for table in tables.all()
    ]
    assert columns[0] == columns[1]

    # Titles read as titles: not underlined until pointed at.
    title = page.locator("a.rowtitle").first
    assert title.evaluate("a => getComputedStyle(a).textDecorationLine") == "none"

    # Timeline: no curve until a milestone is pointed at, then only its own.
    assert shown_curves(page) == []
    page.locator(f'svg.timeline [data-milestone="{first.pk}"] .diamond').hover()
    assert sorted(shown_curves(page)) == sorted(
        [
            (str(busy_plan["launch"].pk), str(first.pk)),
            (str(film.pk), str(first.pk)),
            (str(first.pk), str(busy_plan["chain"][1].pk)),
        ]
    )
    focus_line = page.locator("[data-timeline-focus]")
    expect(focus_line).to_contain_text(first.title)  # the full title, shortened on the chart
    # Focus from the keyboard does the same.
    page.locator(f'svg.timeline [data-milestone="{film.pk}"]').focus()
    assert len(shown_curves(page)) == 1 + 6  # the launch day and the six regional launches
    expect(focus_line).to_contain_text(film.title)
    # Baseline markers show when a milestone moved.
    milestone_services.milestone_reschedule(
        milestone=film, new_date=film.due_date + timedelta(days=2), reason="Grade", actor=manager
    )
    page.reload()
    ghost = page.locator("svg.timeline polygon.ghost")
    expect(ghost).to_be_visible()
    assert ghost.evaluate("g => getComputedStyle(g).stroke") != "none"

    # A deliverable's moves are in its row's menu.
    actions = page.locator('summary[aria-label="Actions: Hero film cut"]')
    start = page.get_by_role("button", name="Start: Hero film cut")
    expect(start).to_be_hidden()
    actions.click()
    start.click()
    expect(page.locator("[data-status=in_progress]")).to_have_text("In progress")
    expect(page.locator('summary[aria-label="Actions: Hero film cut"]')).to_be_visible()
    screenshot(page, "project-desk")


def test_project_page_on_a_phone(
    new_checked_context, live_server, busy_plan, manager, with_password
):
    with_password(manager)
    page = open_project(new_checked_context, live_server, manager, busy_plan["project"], PHONE)

    # The burn-up is as wide as its card's content, no wider.
    card = page.locator("section", has=page.locator("#burnup-heading"))
    chart = card.locator("svg.burnup")
    card_box, chart_box = card.bounding_box(), chart.bounding_box()
    assert chart_box["width"] > 0.8 * (card_box["width"] - 40)
    assert chart_box["x"] >= card_box["x"]
    assert chart_box["x"] + chart_box["width"] <= card_box["x"] + card_box["width"]

    # The header's menu opens inside the screen.
    page.locator(".pagehead summary").click()
    panel = page.locator(".pagehead .menu__panel").bounding_box()
    assert panel["x"] >= 0 and panel["x"] + panel["width"] <= PHONE["width"]
    page.keyboard.press("Escape")
    screenshot(page, "project-phone-ui-build")
