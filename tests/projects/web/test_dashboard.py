"""The portfolio dashboard: headline figures, the projects table, filters, sorting, paging."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from projects.services import milestones as milestone_services
from projects.web.workspaces import SESSION_KEY
from tests.factories import (
    ClientFactory,
    DeliverableFactory,
    MembershipFactory,
    MilestoneFactory,
    ProjectFactory,
    StatusUpdateFactory,
)

pytestmark = pytest.mark.django_db


def dashboard(client, query: str = "") -> str:
    response = client.get(reverse("projects:dashboard") + query)
    assert response.status_code == 200
    return response.content.decode()


def stat(page: str, label: str) -> str:
    before = page.split(f'<span class="stat__label">{label}</span>')[0]
    return before.rsplit('<span class="stat__value">', 1)[1].split("<")[0]


def project_names(page: str) -> list[str]:
    return re.findall(r'<a class="rowtitle" href="/projects/\d+/">([^<]+)</a>', page)


def test_headline_figures_and_table_rows(signed_in, plan, workspace, manager):
    today = plan["today"]
    MilestoneFactory(project=plan["project"], title="Press kit", due_date=today - timedelta(1))
    DeliverableFactory(milestone=plan["launch"], status="in_review", title="Teaser")
    StatusUpdateFactory(project=plan["project"], health="at_risk", summary="Film is late.")
    page = dashboard(signed_in(manager))

    assert stat(page, "Active projects") == "1"
    assert stat(page, "Milestones due in 7 days") == "0"
    assert stat(page, "Overdue milestones") == "1"
    assert stat(page, "Deliverables awaiting review") == "1"
    assert "<title>Portfolio · " in page
    assert "Fjordline Outdoor" in page
    assert '<span class="badge tone-attention" data-status="at_risk">At risk</span>' in page
    assert "Film is late." in page
    assert "0 of 3" in page  # milestones completed of total
    assert "Press kit" in page  # the next open milestone (overdue, so first)
    assert '<span class="badge tone-late" data-status="overdue">1</span>' in page


def test_at_risk_counts_every_rule_of_milestone_health(signed_in, plan, manager):
    today = plan["today"]
    MilestoneFactory(project=plan["project"], status="blocked", due_date=today + timedelta(30))
    due_soon = MilestoneFactory(project=plan["project"], due_date=today + timedelta(2))
    DeliverableFactory(milestone=due_soon, status="in_progress")
    MilestoneFactory(project=plan["project"], due_date=today + timedelta(2))  # nothing open
    # Now due after the launch waiting for it.
    milestone_services.milestone_reschedule(
        milestone=plan["film"], new_date=today + timedelta(25), reason="Reshoot", actor=manager
    )
    page = dashboard(signed_in(manager))
    assert stat(page, "At risk") == "3"
    assert (
        '<span class="badge tone-attention" data-status="at_risk">At risk</span>' in page
    )  # the project's health


def test_progress_bars_show_the_percentages(signed_in, plan, manager):
    MilestoneFactory(project=plan["project"], status="completed", completed_at=timezone.now())
    DeliverableFactory(milestone=plan["launch"], status="approved", approved_at=timezone.now())
    page = dashboard(signed_in(manager))
    assert (
        '<div class="progress" role="progressbar" aria-valuemin="0" aria-valuemax="100"'
        ' aria-valuenow="33" aria-label="Milestones completed">'
        '<svg class="progress__track" viewBox="0 0 100 1" preserveAspectRatio="none"'
        ' aria-hidden="true"><rect class="progress__bar" width="33" height="1"/></svg></div>\n'
        '<span class="progress__text">33%</span>\n<div class="muted small">1 of 3</div>'
    ) in page
    assert 'aria-valuenow="50" aria-label="Deliverables approved"' in page
    assert '<span class="progress__text">50%</span>\n<div class="muted small">1 of 2</div>' in page


def test_headline_figures_count_only_the_current_workspace(signed_in, workspace, manager):
    today = workspace.today()
    done = ProjectFactory(workspace=workspace, owner=manager)
    MilestoneFactory(
        project=done, status="completed", completed_at=timezone.now(), due_date=today - timedelta(3)
    )
    elsewhere = MembershipFactory(user=manager, role="manager").workspace
    busy = ProjectFactory(workspace=elsewhere, owner=manager)
    MilestoneFactory(project=busy, due_date=today - timedelta(1))
    MilestoneFactory(project=busy, due_date=today + timedelta(2), status="blocked")
    client = signed_in(manager)
    session = client.session
    session[SESSION_KEY] = workspace.pk
    session.save()
    page = dashboard(client)
    # No open milestone here: no counts to read, yet the other figures still show.
    assert [
        stat(page, label) for label in ("Active projects", "Overdue milestones", "At risk")
    ] == [
        "1",
        "0",
        "0",
    ]


def test_filter_selects_show_the_choices_and_keep_the_chosen_one(signed_in, workspace, manager):
    acme = ClientFactory(workspace=workspace, name="Acme <Brands> & Co")
    page = dashboard(signed_in(manager), f"?client={acme.pk}&health=nonsense")
    assert (
        '<select name="client" id="id_client">\n'
        '  <option value="">All clients</option>\n'
        f'  <option value="{acme.pk}" selected>Acme &lt;Brands&gt; &amp; Co</option>\n'
        "</select>"
    ) in page
    assert '<select name="health" aria-invalid="true" aria-describedby="id_health_error"' in page
    assert '<option value="" selected>Any status</option>' in page
    assert f'<option value="{manager.pk}">{manager.get_full_name()}</option>' in page


def test_filters_sorting_and_other_workspaces(signed_in, workspace, manager, member, outsider):
    acme = ClientFactory(workspace=workspace, name="Acme")
    ProjectFactory(workspace=workspace, name="Alpha", client=acme, owner=manager)
    ProjectFactory(workspace=workspace, name="Bravo", owner=member, status="on_hold")
    ProjectFactory(workspace=workspace, name="Charlie", owner=manager)
    ProjectFactory(workspace=outsider.memberships.get().workspace, name="Foreign")
    client = signed_in(manager)

    assert project_names(dashboard(client)) == ["Alpha", "Bravo", "Charlie"]
    assert project_names(dashboard(client, "?sort=-name")) == ["Charlie", "Bravo", "Alpha"]
    assert project_names(dashboard(client, f"?client={acme.pk}")) == ["Alpha"]
    assert project_names(dashboard(client, "?status=on_hold")) == ["Bravo"]
    assert project_names(dashboard(client, f"?owner={manager.pk}&sort=-name")) == [
        "Charlie",
        "Alpha",
    ]
    filtered = dashboard(client, "?health=off_track")
    assert project_names(filtered) == []
    assert "No project matches these filters" in filtered


def test_sort_links_keep_the_filters_and_toggle_direction(signed_in, workspace, manager):
    ProjectFactory(workspace=workspace, name="Alpha")
    page = dashboard(signed_in(manager), "?status=active&sort=name")
    assert '<th scope="col" aria-sort="ascending"><a href="?status=active&amp;sort=-name">' in page
    assert 'href="?status=active&amp;sort=target"' in page


def test_long_portfolios_are_paginated(signed_in, workspace, manager):
    for n in range(27):
        ProjectFactory(workspace=workspace, name=f"Campaign {n:02d}")
    client = signed_in(manager)
    first = dashboard(client, "?sort=name")
    assert len(project_names(first)) == 25
    assert "Page 1 of 2" in first
    second = dashboard(client, "?sort=name&page=2")
    assert project_names(second) == ["Campaign 25", "Campaign 26"]


def test_empty_portfolio_and_viewer_controls(signed_in, workspace, manager, viewer):
    page = dashboard(signed_in(manager))
    assert "No projects yet" in page
    assert "New project" in page
    assert "New project" not in dashboard(signed_in(viewer))
