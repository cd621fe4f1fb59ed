"""The project page and the project, phase and status-update forms, by role."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from deliverables.services import deliverables as deliverable_services
from notifications.models import Follow
from projects.models import Phase, Project, StatusUpdate
from projects.services import comments as comment_services
from projects.services import milestones as milestone_services
from projects.services import projects as project_services
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def page_of(client, project) -> str:
    response = client.get(reverse("projects:project_detail", args=[project.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_project_page_shows_the_plan(signed_in, plan, manager):
    film = plan["film"]
    milestone_services.milestone_reschedule(
        milestone=film,
        new_date=film.due_date + timedelta(days=5),
        reason="Grading",
        actor=manager,
    )
    project_services.status_update_post(
        project=plan["project"], actor=manager, health="at_risk", summary="Film runs late."
    )
    page = page_of(signed_in(manager), plan["project"])

    assert "<title>Ridgeback launch · Milestones</title>" in page
    assert "Film runs late." in page
    assert "2,500 of 10,000 EUR" in page and ">25%<" in page  # budget spent
    assert "Production" in page and "Launch day" in page
    assert '<span class="badge tone-late" data-status="slip"' in page and "+5d slip" in page
    assert "Views: — / 50,000 views" in page  # KPI actual vs target
    assert "Hero film cut" in page and 'data-status="not_started"' in page
    # Timeline: a diamond per milestone, one ghost at the moved milestone's baseline,
    # the dependency curve and the today line.
    assert page.count('class="diamond tone-') == 2
    assert page.count('class="ghost"') == 1
    assert f'data-baseline="{plan["film"].baseline_due_date:%Y-%m-%d}"' in page
    assert page.count('class="dependency"') == 1
    assert 'class="today"' in page
    assert "Burn-up: 0 of 2 milestones completed" in page
    assert "rescheduled" in page and "“Grading”" in page  # activity feed


def test_manager_sees_edit_controls_and_viewer_sees_none(signed_in, plan, manager, viewer):
    managed = page_of(signed_in(manager), plan["project"])
    for control in ("Edit project", "Add phase", "Add milestone", "Post update", "<select"):
        assert control in managed
    read_only = page_of(signed_in(viewer), plan["project"])
    for control in (
        "Edit project",
        "Add phase",
        "Add milestone",
        "Post update",
        "<select",
        "<form",
    ):
        assert control not in read_only.split("<main")[1]
    assert "Hero film cut" in read_only


def test_other_workspaces_projects_are_not_found(signed_in, outsider, plan):
    client = signed_in(outsider)
    for name in ("project_detail", "project_edit", "project_activity", "phase_create"):
        assert client.get(reverse(f"projects:{name}", args=[plan["project"].pk])).status_code == 404
    response = client.post(
        reverse("projects:status_update", args=[plan["project"].pk]),
        {"health": "on_track", "summary": "x"},
    )
    assert response.status_code == 404


def test_post_status_update(signed_in, plan, manager):
    response = signed_in(manager).post(
        reverse("projects:status_update", args=[plan["project"].pk]),
        {"health": "off_track", "summary": "Retailer pulled the launch slot."},
    )
    assert response.status_code == 302
    update = StatusUpdate.objects.get()
    assert (update.health, update.author) == ("off_track", manager)


def test_status_update_needs_a_summary_and_a_manager(signed_in, plan, manager, member):
    url = reverse("projects:status_update", args=[plan["project"].pk])
    response = signed_in(manager).post(url, {"health": "on_track", "summary": ""})
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()
    assert signed_in(member).post(url, {"health": "on_track", "summary": "Hi"}).status_code == 403
    assert not StatusUpdate.objects.exists()


def project_data(**overrides) -> dict:
    return {
        "name": "Black Friday 2027",
        "kind": "seasonal",
        "status": "planning",
        "start_date": "2027-09-01",
        "target_date": "2027-11-30",
        "budget_planned": "20000",
        "budget_spent": "0",
        "currency": "EUR",
        **overrides,
    }


def test_manager_creates_a_project(signed_in, workspace, manager):
    client = signed_in(manager)
    form = client.get(reverse("projects:project_create")).content.decode()
    assert f'<option value="{manager.pk}" selected>' in form  # owner defaults to oneself
    response = client.post(reverse("projects:project_create"), project_data(owner=manager.pk))
    project = Project.objects.get()
    assert response["Location"] == reverse("projects:project_detail", args=[project.pk])
    assert (project.workspace, project.owner, project.kind) == (workspace, manager, "seasonal")


def test_project_form_shows_field_errors(signed_in, workspace, manager):
    response = signed_in(manager).post(
        reverse("projects:project_create"),
        project_data(name="", target_date="2027-08-01", currency="euro"),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "This field is required." in page
    assert "The target date cannot be before the start date." in page
    assert "Ensure this value has at most 3 characters" in page or "three-letter" in page
    assert not Project.objects.exists()


def test_members_and_viewers_cannot_create_projects(signed_in, member, viewer):
    for user in (member, viewer):
        client = signed_in(user)
        assert client.get(reverse("projects:project_create")).status_code == 403
        assert client.post(reverse("projects:project_create"), project_data()).status_code == 403
    assert not Project.objects.exists()


def test_project_edit_saves_and_refuses_a_stale_version(signed_in, workspace, manager):
    project = ProjectFactory(workspace=workspace, owner=manager, name="Old name")
    client = signed_in(manager)
    url = reverse("projects:project_edit", args=[project.pk])
    data = project_data(name="New name", version=project.version)
    assert client.post(url, data).status_code == 302
    project.refresh_from_db()
    assert (project.name, project.version) == ("New name", 2)

    response = client.post(url, project_data(name="Overwrite", version=1))
    assert "Someone else saved this project while you were editing" in response.content.decode()
    project.refresh_from_db()
    assert project.name == "New name"


def test_phase_create_and_edit(signed_in, plan, manager, member):
    project = plan["project"]
    client = signed_in(manager)
    response = client.post(
        reverse("projects:phase_create", args=[project.pk]),
        {"name": "Follow-up", "start_date": "2027-01-10", "end_date": "2027-01-01"},
    )
    assert "A phase cannot end before it starts." in response.content.decode()

    form = client.get(reverse("projects:phase_create", args=[project.pk])).content.decode()
    assert re.search(r'<input type="number" name="order"(?![^>]*value=)[^>]*>', form)
    client.post(reverse("projects:phase_create", args=[project.pk]), {"name": "Follow-up"})
    phase = Phase.objects.get(name="Follow-up")
    assert phase.order == 1  # after "Production"

    client.post(reverse("projects:phase_edit", args=[phase.pk]), {"name": "Wrap-up", "order": 5})
    phase.refresh_from_db()
    assert (phase.name, phase.order) == ("Wrap-up", 5)
    member_client = signed_in(member)
    assert member_client.get(reverse("projects:phase_edit", args=[phase.pk])).status_code == 403


def test_activity_page_is_paginated(signed_in, plan, manager):
    for n in range(55):
        comment_services.comment_post(target=plan["film"], actor=manager, body=f"Note {n}")
    client = signed_in(manager)
    url = reverse("projects:project_activity", args=[plan["project"].pk])
    first = client.get(url).content.decode()
    assert "· 50 changes" in first  # one person's run: the 50 events of the page
    assert "Page 1 of 2" in first
    assert "Page 2 of 2" in client.get(url + "?page=2").content.decode()


def test_members_follow_and_unfollow_from_the_project_page(signed_in, plan, member, viewer):
    project = plan["project"]
    client = signed_in(member)
    follow_url = reverse("notifications:follow_project", args=[project.pk])
    page = page_of(client, project)
    assert f'action="{follow_url}"' in page and ">Follow<" in page
    client.post(follow_url, {"follow": "1", "next": f"/projects/{project.pk}/"})
    assert ">Unfollow<" in page_of(client, project)
    assert Follow.objects.filter(user=member, project=project).exists()
    assert "Follow<" not in page_of(signed_in(viewer), project)


def test_plan_rows_show_owners_links_and_escaped_titles(signed_in, plan, manager, viewer):
    film, launch = plan["film"], plan["launch"]
    milestone_services.milestone_update(
        milestone=film, actor=manager, data={"title": "Film <final> & locked"}
    )
    storyboard = deliverable_services.deliverable_create(
        milestone=film,
        actor=manager,
        title="Storyboard <v2>",
        link="https://example.com/board?a=1&b=2",
        due_date=plan["today"],
    )
    page = page_of(signed_in(manager), plan["project"])
    assert "Film &lt;final&gt; &amp; locked" in page and "<final>" not in page
    assert 'aria-label="Start: Storyboard &lt;v2&gt;"' in page
    # The title leads to the deliverable's page; the work itself is a link of its own.
    storyboard_url = reverse("deliverables:deliverable_detail", args=[storyboard.pk])
    assert f'href="{storyboard_url}">Storyboard &lt;v2&gt;</a>' in page
    assert (
        '<a class="plan__external" href="https://example.com/board?a=1&amp;b=2"'
        ' rel="noopener noreferrer"'
    ) in page
    assert "Unassigned" in page  # the new deliverable has no owner
    member_name = plan["film"].owner.get_full_name() or plan["film"].owner.get_username()
    assert f'<td data-label="Owner">{member_name}</td>' in page
    assert '<span class="muted small">None</span>' in page  # launch day has no deliverables
    add_url = reverse("deliverables:deliverable_create", args=[launch.pk])
    project_url = reverse("projects:project_detail", args=[plan["project"].pk])
    assert f'href="{add_url}?next={project_url}">+ Add deliverable</a>' in page
    # The timeline carries the same escaped title.
    assert '<text x="20" y=' in page and "Film &lt;final&gt; &amp; locked</text>" in page

    read_only = page_of(signed_in(viewer), plan["project"])
    assert "+ Add deliverable" not in read_only
    assert "Film &lt;final&gt; &amp; locked" in read_only


def page_head(page: str) -> str:
    return page.split('<div class="pagehead">')[1].split("</details>")[0]


def test_the_header_has_one_primary_action_and_the_rest_in_a_menu(signed_in, plan, manager):
    head = page_head(page_of(signed_in(manager), plan["project"]))
    primary, menu = head.split('<details class="menu" data-menu>')
    assert re.findall(r'class="btn btn--primary"[^>]*>([^<]+)<', primary) == ["Add milestone"]
    assert primary.count('class="btn') == 1
    for action in ("Add phase", "Edit project", "Follow", "Export CSV", "Save as template"):
        assert action in menu
    assert "<script" not in page_of(signed_in(manager), plan["project"]).split("</head>")[1]


def test_a_viewer_gets_no_primary_action_and_only_what_they_may_do(signed_in, plan, viewer):
    head = page_head(page_of(signed_in(viewer), plan["project"]))
    assert "btn--primary" not in head
    assert "Export CSV" in head
    for action in ("Add phase", "Edit project", "Save as template"):
        assert action not in head


def test_every_phase_table_has_the_same_columns(signed_in, plan, manager):
    """Each phase is a table of its own: the same <colgroup> (fixed widths in app.css) lines
    their columns up."""
    milestone_services.milestone_create(
        project=plan["project"], actor=manager, title="Outside any phase", due_date=plan["today"]
    )
    page = page_of(signed_in(manager), plan["project"])
    colgroups = re.findall(r"<colgroup>.*?</colgroup>", page)
    assert len(colgroups) == 2 and colgroups[0] == colgroups[1]
    assert colgroups[0].count("<col ") == 7
    assert page.count('<table class="table table--stack plan">') == 2


def test_deliverables_are_compact_rows_with_their_moves_in_a_menu(signed_in, plan, manager):
    cut = plan["cut"]
    client = signed_in(manager)
    page = page_of(client, plan["project"])
    row = page.split('<tr class="plan__deliverable">')[1].split("</tr>")[0]
    assert "Hero film cut" in row
    assert '<details class="menu menu--inline" data-menu>' in row
    assert 'aria-label="Actions: Hero film cut">Actions</summary>' in row
    assert row.index("<details") < row.index('aria-label="Start: Hero film cut"')
    assert '<span class="small">0 of 1 approved</span>' in page  # the film's count

    # A move made from the menu comes back as a menu (htmx swaps the cell in place).
    response = client.post(
        reverse("deliverables:deliverable_move", args=[cut.pk]),
        {"move": "start", "version": cut.version, "layout": "menu"},
        HTTP_HX_REQUEST="true",
    )
    cell = response.content.decode()
    assert 'data-status="in_progress"' in cell
    assert 'aria-label="Actions: Hero film cut"' in cell
    assert 'name="layout" value="menu"' in cell

    # Elsewhere (my work, the deliverable's page) the moves stay buttons.
    elsewhere = client.post(
        reverse("deliverables:deliverable_move", args=[cut.pk]),
        {"move": "submit", "version": cut.version + 1},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert 'data-status="in_review"' in elsewhere and '<details class="menu' not in elsewhere


def test_timeline_names_its_curves_and_labels_its_milestones_in_full(signed_in, plan, manager):
    film, launch = plan["film"], plan["launch"]
    long_title = "Launch film locked with the final colour grade and the score"
    milestone_services.milestone_update(milestone=film, actor=manager, data={"title": long_title})
    milestone_services.milestone_reschedule(
        milestone=film, new_date=film.due_date + timedelta(days=3), reason="Grade", actor=manager
    )
    page = page_of(signed_in(manager), plan["project"])
    svg = page.split('<svg class="chart timeline"')[1].split("</svg>")[0]

    # The curve names the milestones it joins: site.js shows it for either of them only.
    assert re.findall(r'<path class="dependency" data-from="(\d+)" data-to="(\d+)"', svg) == [
        (str(film.pk), str(launch.pk))
    ]
    assert " data-timeline>" in svg
    # The row's text is the whole title (it fades out before the plot); the link's name and
    # tooltip are the full label, of which the text is a part.
    film.refresh_from_db()
    full = f"{long_title} — on track, due {film.due_date:%-d %b %Y} (+3 days against the baseline"
    link = svg.split(f'data-milestone="{film.pk}"')[1].split("</a>")[0]
    assert f'aria-label="{full}' in link and f"<title>{full}" in link
    assert f'mask="url(#timeline-label-fade)">{long_title}</text>' in link
    # The baseline's hollow marker is drawn after (over) the diamond: it always shows.
    assert link.index('class="diamond') < link.index('class="ghost"')
    # The slip is red while the milestone is open, grey once it is done.
    assert '<line class="slip-line tone-late"' in link
    milestone_services.milestone_complete(milestone=film, actor=manager, force=True, reason="Cut")
    page = page_of(signed_in(manager), plan["project"])
    link = page.split(f'data-milestone="{film.pk}"')[1].split("</a>")[0]
    assert '<line class="slip-line tone-idle"' in link


def test_burnup_scales_to_its_card_and_titles_its_axes(signed_in, plan, manager):
    page = page_of(signed_in(manager), plan["project"])
    svg = page.split('<svg class="chart burnup"')[1].split("</svg>")[0]
    assert svg.startswith(' viewBox="0 0 480 240" width="100%"')
    assert '<text class="axis-title" transform="rotate(-90)"' in svg and ">Milestones</text>" in svg
    assert ">Date</text>" in svg


def test_finished_and_late_work_take_their_tones_on_the_page(signed_in, plan, manager):
    """A completed milestone's row reads as done; the overdue figure is red only when
    something is late."""
    page = page_of(signed_in(manager), plan["project"])
    assert '<div class="stat">\n    <span class="stat__label">Overdue</span>' in page
    film, launch = plan["film"], plan["launch"]
    milestone_services.milestone_complete(
        milestone=launch, actor=manager, force=True, reason="Shipped"
    )
    milestone_services.milestone_reschedule(
        milestone=film, new_date=plan["today"] - timedelta(days=1), reason="Late", actor=manager
    )
    page = page_of(signed_in(manager), plan["project"])
    assert f'<tr id="milestone-{launch.pk}" class="plan__milestone tone-done">' in page
    assert f'<tr id="milestone-{film.pk}" class="plan__milestone tone-idle">' in page  # planned
    assert '<div class="stat tone-late">\n    <span class="stat__label">Overdue</span>' in page
