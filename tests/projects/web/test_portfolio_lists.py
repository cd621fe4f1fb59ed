"""The dashboard's headline cards count the filtered projects and open the lists of what
they count; each project row shows its budget, its KPIs and an overdue next milestone."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import (
    ClientFactory,
    DeliverableFactory,
    MilestoneFactory,
    ProjectFactory,
)
from tests.projects.web.test_dashboard import dashboard, stat

pytestmark = pytest.mark.django_db


@pytest.fixture
def portfolio(workspace, manager):
    """Two clients' projects: Fjordline has an overdue milestone, one due in three days and a
    deliverable in review; Copper has one milestone due in five days."""
    today = workspace.today()
    fjord = ClientFactory(workspace=workspace, name="Fjordline")
    copper = ClientFactory(workspace=workspace, name="Copper Kettle")
    launch = ProjectFactory(
        workspace=workspace, client=fjord, name="Jacket launch", status="active"
    )
    bakery = ProjectFactory(
        workspace=workspace, client=copper, name="New bakery", status="planning", budget_planned=0
    )
    late = MilestoneFactory(project=launch, title="Press kit ready", due_date=today - timedelta(2))
    soon = MilestoneFactory(
        project=launch, title="Launch film locked", due_date=today + timedelta(3)
    )
    DeliverableFactory(milestone=soon, title="Hero film cut", status="in_review")
    MilestoneFactory(project=bakery, title="Shop fit done", due_date=today + timedelta(5))
    return {"fjord": fjord, "copper": copper, "launch": launch, "bakery": bakery, "late": late}


def titles(page: str) -> list[str]:
    return [part.split("</a>")[0].split(">")[-1] for part in page.split('class="rowtitle"')[1:]]


def test_cards_link_to_the_lists_they_count_keeping_the_filters(signed_in, portfolio, manager):
    client = signed_in(manager)
    fjord = portfolio["fjord"].pk
    page = dashboard(client, f"?client={fjord}")
    assert f'href="/milestones/?client={fjord}&amp;when=overdue"' in page
    assert f'href="/milestones/?client={fjord}&amp;when=due_soon"' in page
    assert f'href="/milestones/?client={fjord}&amp;when=at_risk"' in page
    assert f'href="/deliverables/awaiting-review/?client={fjord}"' in page
    assert f'href="/?client={fjord}&amp;status=active"' in page

    unfiltered = dashboard(client)
    assert 'href="/milestones/?when=overdue"' in unfiltered
    assert 'href="/deliverables/awaiting-review/"' in unfiltered


def test_the_counts_follow_the_filters(signed_in, portfolio, manager):
    client = signed_in(manager)
    everything = dashboard(client)
    assert stat(everything, "Milestones due in 7 days") == "2"
    assert stat(everything, "Overdue milestones") == "1"
    copper = dashboard(client, f"?client={portfolio['copper'].pk}")
    assert stat(copper, "Milestones due in 7 days") == "1"
    assert stat(copper, "Overdue milestones") == "0"
    assert stat(copper, "Deliverables awaiting review") == "0"
    assert stat(copper, "Active projects") == "0"


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ("overdue", ["Press kit ready"]),
        ("due_soon", ["Launch film locked", "Shop fit done"]),
        ("open", ["Press kit ready", "Launch film locked", "Shop fit done"]),
    ],
)
def test_the_milestone_list_shows_what_its_card_counts(
    signed_in, portfolio, manager, when, expected
):
    client = signed_in(manager)
    response = client.get(reverse("projects:portfolio_milestones") + f"?when={when}")
    assert response.status_code == 200
    page = response.content.decode()
    assert titles(page) == expected  # soonest due first
    assert f"{len(expected)} milestone" in page

    filtered = client.get(
        reverse("projects:portfolio_milestones") + f"?when={when}&client={portfolio['copper'].pk}"
    ).content.decode()
    assert titles(filtered) == [title for title in expected if title == "Shop fit done"]


def test_the_review_list_and_an_unknown_list_name(signed_in, portfolio, manager):
    client = signed_in(manager)
    page = client.get(reverse("projects:portfolio_reviews")).content.decode()
    assert titles(page) == ["Hero film cut"]
    assert "Launch film locked" in page and "Jacket launch" in page
    empty = client.get(
        reverse("projects:portfolio_reviews") + f"?client={portfolio['copper'].pk}"
    ).content.decode()
    assert "Nothing awaits review" in empty
    unknown = client.get(reverse("projects:portfolio_milestones") + "?when=someday")
    assert unknown.status_code == 200
    assert "<h1>Open milestones</h1>" in unknown.content.decode()


def test_another_workspaces_work_never_shows(signed_in, portfolio, outsider):
    client = signed_in(outsider)
    for url in (
        reverse("projects:portfolio_milestones") + "?when=open",
        reverse("projects:portfolio_reviews"),
    ):
        page = client.get(url).content.decode()
        assert "Press kit ready" not in page and "Hero film cut" not in page


def test_rows_show_budget_kpis_and_an_overdue_next_milestone(signed_in, portfolio, manager):
    launch = portfolio["launch"]
    type(launch).objects.filter(pk=launch.pk).update(
        budget_planned=Decimal("20000"), budget_spent=Decimal("25000"), currency="EUR"
    )
    MilestoneFactory(project=launch, title="Sign-ups", kpi_target=100, kpi_actual=120)
    MilestoneFactory(project=launch, title="Reach", kpi_target=1000, kpi_actual=10)
    page = dashboard(signed_in(manager), "?sort=name")
    row = page.split("Jacket launch</a>")[1].split("</tr>")[0]
    assert "25,000 of 20,000 EUR" in row
    assert 'aria-label="Budget spent"' in row and "progress__bar--over" in row  # over budget
    assert "1 of 2 met" in row
    # The next milestone is the overdue one, and is marked so.
    next_cell = row.split('data-label="Next milestone"')[1].split("</td>")[0]
    assert "Press kit ready" in next_cell and 'data-status="overdue"' in next_cell
    other = page.split("New bakery</a>")[1].split("</tr>")[0]
    assert "No budget set" in other
    assert "None set" in other  # no KPI
    other_next = other.split('data-label="Next milestone"')[1].split("</td>")[0]
    assert 'data-status="overdue"' not in other_next


def test_paging_keeps_the_list_and_its_filters(signed_in, portfolio, workspace, manager):
    today = workspace.today()
    for n in range(55):
        MilestoneFactory(
            project=portfolio["launch"], title=f"Post {n}", due_date=today - timedelta(3)
        )
    fjord = portfolio["fjord"].pk
    url = reverse("projects:portfolio_milestones") + f"?when=overdue&client={fjord}"
    first = signed_in(manager).get(url).content.decode()
    assert f'href="?when=overdue&amp;client={fjord}&amp;page=2" rel="next"' in first
    second = signed_in(manager).get(url + "&page=2").content.decode()
    assert f'href="?when=overdue&amp;client={fjord}&amp;page=1" rel="prev"' in second
    assert len(titles(first)) == 50 and len(titles(second)) == 6  # 55 posts and the press kit
