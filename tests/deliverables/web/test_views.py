"""Deliverable forms, inline review-cycle moves with conflicts, and checklist ticks."""

import pytest
from django.urls import reverse

from deliverables.models import ChecklistItem, Deliverable
from deliverables.services import deliverables as deliverable_services

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def move(client, deliverable, name: str, version: int, **extra):
    return client.post(
        reverse("deliverables:deliverable_move", args=[deliverable.pk]),
        {"move": name, "version": version, **extra},
        **HTMX,
    )


def test_create_and_edit_a_deliverable(signed_in, plan, member):
    film = plan["film"]
    client = signed_in(member)
    create = reverse("deliverables:deliverable_create", args=[film.pk])
    response = client.post(create, {"title": "Cutdowns 6s", "kind": "video", "link": "not a url"})
    assert "Enter a valid URL." in response.content.decode()
    response = client.post(
        create, {"title": "Cutdowns 6s", "kind": "video", "link": "https://frame.io/x"}
    )
    assert response["Location"] == reverse("projects:milestone_detail", args=[film.pk])
    cutdowns = Deliverable.objects.get(title="Cutdowns 6s")

    edit = reverse("deliverables:deliverable_edit", args=[cutdowns.pk])
    client.post(edit, {"title": "Cutdowns 6s and 15s", "kind": "video", "version": 1})
    cutdowns.refresh_from_db()
    assert (cutdowns.title, cutdowns.version) == ("Cutdowns 6s and 15s", 2)
    response = client.post(edit, {"title": "Overwrite", "kind": "video", "version": 1})
    assert "changed this to a newer version" in response.content.decode()


def test_viewers_and_outsiders_cannot_touch_deliverables(signed_in, plan, viewer, outsider):
    cut = plan["cut"]
    create = reverse("deliverables:deliverable_create", args=[plan["film"].pk])
    edit = reverse("deliverables:deliverable_edit", args=[cut.pk])
    assert signed_in(viewer).get(create).status_code == 403
    assert signed_in(viewer).post(edit, {"title": "x", "kind": "video"}).status_code == 403
    assert move(signed_in(viewer), cut, "submit", cut.version).status_code == 403
    assert signed_in(outsider).get(edit).status_code == 404
    assert move(signed_in(outsider), cut, "submit", cut.version).status_code == 404
    cut.refresh_from_db()
    assert (cut.title, cut.status) == ("Hero film cut", "not_started")


def test_submit_then_approve_inline(signed_in, plan, member, manager):
    cut = plan["cut"]
    response = move(signed_in(member), cut, "submit", cut.version)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-status="in_review"' in page
    assert "Approve" not in page  # a member may submit, not approve

    response = move(signed_in(manager), cut, "approve", cut.version + 1)
    assert 'data-status="approved"' in response.content.decode()
    cut.refresh_from_db()
    assert (cut.status, cut.approved_by) == ("approved", manager)


def test_member_cannot_approve(signed_in, plan, member, manager):
    cut = deliverable_services.deliverable_submit(deliverable=plan["cut"], actor=member)
    assert move(signed_in(member), cut, "approve", cut.version).status_code == 403


def test_stale_move_shows_who_changed_it_and_changes_nothing(signed_in, plan, member, manager):
    cut = plan["cut"]
    rendered_version = cut.version
    deliverable_services.deliverable_submit(deliverable=cut, actor=manager)
    response = move(signed_in(member), cut, "start", rendered_version)
    assert response.status_code == 409
    assert f"{manager.get_full_name()} changed this to In review at" in response.content.decode()
    cut.refresh_from_db()
    assert cut.status == "in_review"


def test_request_changes_needs_a_note(signed_in, plan, manager):
    cut = deliverable_services.deliverable_submit(deliverable=plan["cut"], actor=manager)
    response = move(signed_in(manager), cut, "request_changes", cut.version)
    assert response.status_code == 422
    assert "Say what needs to change." in response.content.decode()
    response = move(signed_in(manager), cut, "request_changes", cut.version, note="Logo too small")
    assert 'data-status="changes_requested"' in response.content.decode()


def test_impossible_move_is_explained(signed_in, plan, member):
    cut = plan["cut"]
    response = move(signed_in(member), cut, "deliver", cut.version)
    assert response.status_code == 422
    assert "Cannot deliver a deliverable that is not started" in response.content.decode()


def test_move_without_javascript_redirects_with_a_message(signed_in, plan, member):
    cut = plan["cut"]
    response = signed_in(member).post(
        reverse("deliverables:deliverable_move", args=[cut.pk]),
        {"move": "start", "version": cut.version},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse(
        "projects:milestone_detail", args=[plan["film"].pk]
    )
    assert "“Hero film cut” is now In progress." in response.content.decode()


def test_checklist_add_and_tick_inline(signed_in, plan, member, viewer):
    cut = plan["cut"]
    client = signed_in(member)
    client.post(reverse("deliverables:checklist_add", args=[cut.pk]), {"text": "Subtitles"})
    item = ChecklistItem.objects.get(text="Subtitles")
    toggle = reverse("deliverables:checklist_toggle", args=[item.pk])
    response = client.post(toggle, {"done": "1"}, **HTMX)
    assert 'aria-pressed="true"' in response.content.decode()
    item.refresh_from_db()
    assert (item.done, item.done_by) == (True, member)

    assert signed_in(viewer).post(toggle, {"done": "0"}).status_code == 403
    item.refresh_from_db()
    assert item.done is True
