"""The admin of the deliverables app: its pages render with their columns, the status is
read-only and moves only through the review-cycle actions, which call the services and
report refusals; inline checklist changes go through the checklist services."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deliverables.models import (
    ChecklistItem,
    Deliverable,
    DeliverableVersion,
    ProofComment,
    ReviewRound,
)
from deliverables.services import checklists as checklist_services
from deliverables.services import deliverables as deliverable_services
from deliverables.services import proofs as proof_services
from deliverables.services import versions as version_services
from projects.models import ActivityEvent, Milestone
from projects.services import milestones as milestone_services
from tests.admin_forms import change_form_data
from tests.audit import assert_recorded
from tests.deliverables.proof_files import png


def admin_url(model, view="changelist", *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def milestone(project, manager):
    return milestone_services.milestone_create(
        project=project,
        actor=manager,
        title="Black Friday email sequence approved",
        due_date=timezone.localdate() + timedelta(days=14),
    )


@pytest.fixture
def deliverable(milestone, manager):
    return deliverable_services.deliverable_create(
        milestone=milestone, actor=manager, title="Teaser email copy", kind="email"
    )


@pytest.fixture
def checklist_item(deliverable, manager):
    return checklist_services.checklist_item_add(
        parent=deliverable, actor=manager, text="Unsubscribe link tested"
    )


def in_review(milestone, manager, title: str) -> Deliverable:
    created = deliverable_services.deliverable_create(
        milestone=milestone, actor=manager, title=title
    )
    return deliverable_services.deliverable_submit(deliverable=created, actor=manager)


def run_action(admin_client, action: str, *deliverables):
    return admin_client.post(
        admin_url(Deliverable),
        {"action": action, "_selected_action": [d.pk for d in deliverables]},
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.mark.parametrize(
    ("model", "texts"),
    [
        (Deliverable, ["Teaser email copy", "Black Friday email sequence approved", "Email"]),
        (ChecklistItem, ["Unsubscribe link tested", "Teaser email copy"]),
    ],
    ids=["Deliverable", "ChecklistItem"],
)
def test_changelist_shows_the_rows_with_their_columns(admin_client, checklist_item, model, texts):
    response = admin_client.get(admin_url(model))

    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    for text in texts:
        assert text in response.text


@pytest.mark.parametrize("model", [Deliverable, ChecklistItem])
def test_list_costs_the_same_queries_for_2_and_20_deliverables(
    admin_client, milestone, manager, model
):
    def queries_listing(total: int) -> int:
        for number in range(Deliverable.objects.count(), total):
            created = in_review(milestone, manager, f"Ad variant {number}")
            checklist_services.checklist_item_add(
                parent=created, actor=manager, text="Sizes checked"
            )
            if number % 2:
                deliverable_services.deliverable_approve(deliverable=created, actor=manager)
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get(admin_url(model))
        assert response.context["cl"].result_count == total
        return len(queries)

    assert queries_listing(2) == queries_listing(20)


@pytest.mark.parametrize(
    ("model", "asked"),
    [
        (Deliverable, {"milestone", "title", "kind", "owner", "due_date", "link", "description"}),
        (ChecklistItem, {"deliverable", "milestone", "text", "done"}),
    ],
    ids=["Deliverable", "ChecklistItem"],
)
def test_add_page_asks_what_the_create_service_takes(admin_client, db, model, asked):
    response = admin_client.get(admin_url(model, "add"))

    assert response.status_code == 200
    assert set(response.context["adminform"].form.fields) == asked


def test_the_deliverable_status_is_read_only(admin_client, deliverable):
    response = admin_client.get(admin_url(Deliverable, "change", deliverable.pk))

    assert "status" not in response.context["adminform"].form.fields
    assert "status" in response.context["adminform"].readonly_fields
    assert "Not started" in response.text


def test_adding_a_deliverable_runs_deliverable_create(admin_client, admin_user, milestone):
    response = admin_client.post(
        admin_url(Deliverable, "add"),
        {"milestone": milestone.pk, "title": "Paid social ad set", "kind": "ad_set"},
    )

    assert response.status_code == 302
    created = Deliverable.objects.get(title="Paid social ad set")
    assert_recorded("deliverable.created", actor=admin_user, target=created)


def test_approve_moves_a_deliverable_in_review_and_refuses_one_that_is_not(
    admin_client, admin_user, milestone, manager, deliverable
):
    waiting = in_review(milestone, manager, "Hero banner set")

    response = run_action(admin_client, "deliverable_approve", waiting, deliverable)

    waiting.refresh_from_db()
    deliverable.refresh_from_db()
    assert (waiting.status, waiting.approved_by) == (Deliverable.Status.APPROVED, admin_user)
    assert deliverable.status == Deliverable.Status.NOT_STARTED
    assert messages_of(response) == [
        "“Teaser email copy”: Cannot approve a deliverable that is not started "
        "(possible: start, submit).",
        "Approved: 1.",
    ]


def test_submit_and_deliver_actions_move_through_the_review_cycle(
    admin_client, admin_user, deliverable
):
    run_action(admin_client, "deliverable_submit", deliverable)
    deliverable.refresh_from_db()
    assert deliverable.status == Deliverable.Status.IN_REVIEW

    run_action(admin_client, "deliverable_approve", deliverable)
    response = run_action(admin_client, "deliverable_deliver", deliverable)

    deliverable.refresh_from_db()
    assert deliverable.status == Deliverable.Status.DELIVERED
    assert messages_of(response)[-1] == "Delivered: 1."
    assert_recorded("deliverable.delivered", actor=admin_user, target=deliverable)


def test_ticking_a_checklist_item_inline_runs_the_toggle_service(
    admin_client, admin_user, deliverable, checklist_item
):
    page = admin_url(Deliverable, "change", deliverable.pk)
    data = change_form_data(admin_client.get(page)) | {"checklist-0-done": "on"}

    response = admin_client.post(page, data)

    assert response.status_code == 302
    checklist_item.refresh_from_db()
    assert (checklist_item.done, checklist_item.done_by) == (True, admin_user)
    assert ActivityEvent.objects.get(verb="checklist_item.checked").actor == admin_user


def test_checklist_text_is_reworded_through_its_service(admin_client, deliverable, checklist_item):
    page = admin_url(Deliverable, "change", deliverable.pk)
    data = change_form_data(admin_client.get(page)) | {"checklist-0-text": "Something else"}

    response = admin_client.post(page, data)

    assert response.status_code == 302
    checklist_item.refresh_from_db()
    assert checklist_item.text == "Something else"
    event = ActivityEvent.objects.filter(verb="checklist_item.edited").get()
    assert event.changes == {"text": ["Unsubscribe link tested", "Something else"]}


def test_the_milestone_page_lists_its_deliverables_inline(admin_client, deliverable):
    response = admin_client.get(admin_url(Milestone, "change", deliverable.milestone_id))

    inline = response.context["inline_admin_formsets"][0].formset
    assert [form.instance for form in inline.initial_forms] == [deliverable]
    assert "Teaser email copy" in response.text


def test_a_deliverable_added_to_a_closed_milestone_is_refused_above_its_row(
    admin_client, manager, milestone
):
    milestone_services.milestone_set_status(milestone=milestone, status="cancelled", actor=manager)
    page = admin_url(Milestone, "change", milestone.pk)
    data = change_form_data(admin_client.get(page)) | {"deliverables-0-title": "Late banner"}

    response = admin_client.post(page, data)

    assert response.status_code == 200
    row = response.context["inline_admin_formsets"][0].formset.forms[0]
    assert row.non_field_errors() == [
        "“Black Friday email sequence approved” is cancelled; reopen it first."
    ]
    assert "is cancelled; reopen it first." in response.text
    assert not Deliverable.objects.exists()


def test_proofing_rows_are_listed_and_read_only(admin_client, deliverable, manager):
    version = version_services.version_upload(
        deliverable=deliverable, actor=manager, files=[png()], summary="First cut"
    )
    deliverable_services.deliverable_submit(deliverable=deliverable, actor=manager)
    proof_services.proof_comment_post(version=version, actor=manager, body="Crop tighter")

    for model, text in [
        (DeliverableVersion, "First cut"),
        (ReviewRound, "Teaser email copy"),
        (ProofComment, "Crop tighter"),
    ]:
        assert text in admin_client.get(admin_url(model)).content.decode()
        assert admin_client.get(admin_url(model, "add")).status_code == 403
