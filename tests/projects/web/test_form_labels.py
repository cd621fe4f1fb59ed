"""The forms speak in people's words: empty choices say what they mean, field names read
as names, only the fields that must be filled are marked required, and the milestone form
asks for the due date right after the title."""

import re

import pytest
from django.urls import reverse

from projects.models import Project
from projects.web.views.settings import SECTIONS as SETTINGS_SECTIONS

pytestmark = pytest.mark.django_db


def form_pages(plan) -> dict[str, str]:
    project, film = plan["project"], plan["film"]
    return {
        "new project": reverse("projects:project_create"),
        "edit project": reverse("projects:project_edit", args=[project.pk]),
        "new phase": reverse("projects:phase_create", args=[project.pk]),
        "new milestone": reverse("projects:milestone_create", args=[project.pk]),
        "edit milestone": reverse("projects:milestone_edit", args=[film.pk]),
        "new deliverable": reverse("deliverables:deliverable_create", args=[film.pk]),
        "edit deliverable": reverse("deliverables:deliverable_edit", args=[plan["cut"].pk]),
        **{
            f"settings: {section}": reverse("projects:settings_section", args=[section])
            for section in SETTINGS_SECTIONS
        },
        "preferences": reverse("notifications:preferences"),
        "webhooks": reverse("notifications:webhooks"),
    }


def fields_of(page: str) -> dict[str, str]:
    """Each labelled field of the page's forms: its label's text (without the required
    field's asterisk, or a colon), by the field's id."""
    found = re.findall(r'<label for="([^"]+)">(.*?)</label>', page, flags=re.S)
    marks = r'<span class="req"[^>]*>\*</span>|<[^>]+>'
    return {field_id: re.sub(marks, "", label).strip().rstrip(":") for field_id, label in found}


def test_no_form_offers_dashes_for_an_empty_choice(signed_in, plan, owner):
    client = signed_in(owner)
    for name, url in form_pages(plan).items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert "---------" not in response.content.decode(), name


def test_empty_choices_say_what_they_mean(signed_in, plan, owner):
    client = signed_in(owner)
    pages = form_pages(plan)
    project_form = client.get(pages["new project"]).content.decode()
    assert '<option value="" selected>Internal (no client)</option>' in project_form
    assert re.search(r'<option value=""( selected)?>Unassigned</option>', project_form)  # owner
    milestone_form = client.get(pages["new milestone"]).content.decode()
    assert '<option value="" selected>No phase</option>' in milestone_form
    assert re.search(r'<option value=""( selected)?>Unassigned</option>', milestone_form)
    settings = client.get(pages["settings: share-links"]).content.decode()
    assert '<option value="" selected>Choose a project</option>' in settings  # share links


def test_field_names_read_as_names(signed_in, plan, manager):
    page = signed_in(manager).get(form_pages(plan)["new milestone"]).content.decode()
    labels = fields_of(page)
    assert labels["id_kpi_name"] == "KPI"
    assert labels["id_kpi_target"] == "KPI target"
    assert labels["id_kpi_actual"] == "KPI actual"
    assert labels["id_kpi_unit"] == "KPI unit"
    assert "Kpi" not in page


def test_the_due_date_comes_right_after_the_title(signed_in, plan, manager):
    page = signed_in(manager).get(form_pages(plan)["new milestone"]).content.decode()
    assert list(fields_of(page))[:3] == ["id_title", "id_due_date", "id_phase"]


def test_only_required_fields_are_marked_required(signed_in, plan, manager):
    """A field is marked with an asterisk exactly when leaving it empty is refused (inputs
    also carry `required`; a select that always has a choice needs none); a project's
    budgets, owner and client may be left empty."""
    page = signed_in(manager).get(form_pages(plan)["new project"]).content.decode()
    marked = set(re.findall(r'<label for="id_(\w+)">[^<]*<span class="req"', page))
    attributes = set(
        re.findall(r'<(?:input|select|textarea)[^>]*name="(\w+)"[^>]*\brequired\b', page)
    )
    assert marked == {"name", "kind", "status", "start_date", "currency"}
    assert attributes == {"name", "start_date", "currency"}


def test_a_project_without_a_budget_has_none(signed_in, plan, manager):
    response = signed_in(manager).post(
        reverse("projects:project_create"),
        {
            "name": "Winter catalogue",
            "kind": "other",
            "status": "planning",
            "start_date": plan["today"].isoformat(),
            "currency": "EUR",
            "budget_planned": "",
            "budget_spent": "",
        },
    )
    assert response.status_code == 302
    project = Project.objects.get(name="Winter catalogue")
    assert (project.budget_planned, project.budget_spent) == (0, 0)


def test_notification_preferences_say_what_they_send(signed_in, plan, member):
    labels = fields_of(signed_in(member).get(reverse("notifications:preferences")).content.decode())
    assert [labels[f"id_{name}"] for name in ("digest", "digest_weekday", "digest_hour")] == [
        "Status digest",
        "Day of the weekly digest",
        "Time of the digest",
    ]
    assert labels["id_email_events"] == "Changes by email"
