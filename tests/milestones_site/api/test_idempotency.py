"""`Idempotency-Key` on every POST: a retry gets the first answer and creates nothing twice,
the same key with another request is a 422, keys expire after 24 hours, and duplicates sent
at the same instant (threads, each with its own database connection) create one object."""

import threading
import time
import uuid
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone
from rest_framework.test import APIClient

from deliverables.models import DeliverableVersion
from milestones_site.api.models import IdempotencyKey
from milestones_site.api.tasks import purge_idempotency_keys
from projects.api.views import ProjectViewSet
from projects.models import ActivityEvent, Client, MilestoneDateChange, Role
from projects.services.access import api_token_create
from tests.deliverables.proof_files import png
from tests.factories import MembershipFactory, WorkspaceFactory
from tests.milestones_site.api.test_permission_matrix import (
    EXPECTATIONS,
    OPERATIONS,
    build_world,
    url_for,
)

API = "/api/v1"


def key() -> str:
    return str(uuid.uuid4())


def post(api, path, body, idempotency_key, **options):
    return api.post(f"{API}{path}", body, HTTP_IDEMPOTENCY_KEY=idempotency_key, **options)


def same_answer(first, second) -> None:
    assert second.status_code == first.status_code
    assert second.content == first.content
    for header in ("Location", "ETag", "Content-Type"):
        assert second.get(header) == first.get(header), header
    assert second["Idempotent-Replayed"] == "true"
    assert not first.has_header("Idempotent-Replayed")


@pytest.mark.django_db
def test_a_retried_create_answers_the_first_response_and_creates_nothing_twice(
    api_as, workspace, manager
):
    api, sent = api_as(manager), key()
    body = {"workspace": workspace.pk, "name": "Northwind Outdoor"}
    first = post(api, "/clients/", body, sent)
    # Key order and spacing of the JSON do not make another request.
    second = api.post(
        f"{API}/clients/",
        f'{{ "name": "Northwind Outdoor",  "workspace": {workspace.pk} }}',
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=sent,
    )
    assert first.status_code == 201
    assert first["Location"] == f"http://testserver{API}/clients/{first.json()['id']}/"
    same_answer(first, second)
    assert Client.objects.filter(workspace=workspace).count() == 1
    # Another key is another request.
    assert post(api, "/clients/", {**body, "name": "Globex"}, key()).status_code == 201
    assert Client.objects.filter(workspace=workspace).count() == 2


@pytest.mark.django_db
def test_the_same_key_with_another_body_or_path_is_a_422_and_creates_nothing(
    api_as, workspace, manager
):
    api, sent = api_as(manager), key()
    assert post(api, "/clients/", {"workspace": workspace.pk, "name": "Acme"}, sent).status_code
    for path, body in (
        ("/clients/", {"workspace": workspace.pk, "name": "Globex"}),
        ("/projects/", {"workspace": workspace.pk, "name": "Acme"}),
    ):
        response = post(api, path, body, sent)
        assert response.status_code == 422
        problem = response.json()
        assert problem["type"] == "urn:milestones:problem:idempotency_key_reused"
        assert problem["status"] == 422
        assert "another request" in problem["detail"]
        assert set(problem) == {"type", "title", "status", "detail", "errors"}
    assert list(Client.objects.values_list("name", flat=True)) == ["Acme"]
    assert not workspace.projects.exists()


@pytest.mark.django_db
def test_keys_are_per_user(api_as, workspace, manager, owner):
    sent = key()
    for user in (manager, owner):
        response = post(
            api_as(user),
            "/projects/",
            {"workspace": workspace.pk, "name": "A", "start_date": "2027-03-01"},
            sent,
        )
        assert response.status_code == 201
        assert not response.has_header("Idempotent-Replayed")
    assert workspace.projects.count() == 2


@pytest.mark.django_db
def test_an_error_is_not_kept_so_the_key_can_be_sent_again(api_as, workspace, manager):
    api, sent = api_as(manager), key()
    refused = post(api, "/clients/", {"workspace": workspace.pk, "name": ""}, sent)
    assert refused.status_code == 400
    assert not IdempotencyKey.objects.exists()
    done = post(api, "/clients/", {"workspace": workspace.pk, "name": "Fixed"}, sent)
    assert done.status_code == 201
    assert IdempotencyKey.objects.get().status_code == 201


@pytest.mark.django_db
def test_keys_expire_after_24_hours(api_as, workspace, manager):
    api, sent = api_as(manager), key()
    body = {"workspace": workspace.pk, "name": "Spring sale", "start_date": "2027-03-01"}
    first = post(api, "/projects/", body, sent)
    IdempotencyKey.objects.update(created_at=timezone.now() - timedelta(hours=24, seconds=1))
    again = post(api, "/projects/", body, sent)
    assert again.status_code == 201 and again.json()["id"] != first.json()["id"]
    assert not again.has_header("Idempotent-Replayed")
    assert workspace.projects.count() == 2
    # The beat task forgets what expired and keeps the rest.
    fresh = IdempotencyKey.objects.get()
    IdempotencyKey.objects.create(
        user=manager, key="old", fingerprint="x", created_at=timezone.now() - timedelta(days=2)
    )
    assert purge_idempotency_keys() == 1
    assert list(IdempotencyKey.objects.all()) == [fresh]


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["", "x" * 256, "naïve", "two words"])
def test_a_malformed_key_is_refused_naming_the_header(api_as, workspace, manager, value):
    response = post(api_as(manager), "/clients/", {"workspace": workspace.pk, "name": "A"}, value)
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["errors"]
    assert not Client.objects.exists()


@pytest.mark.django_db
def test_a_retried_action_is_not_done_twice(api_as, plan, member):
    api, sent, film = api_as(member), key(), plan["film"]
    body = {"due_date": (film.due_date + timedelta(days=3)).isoformat(), "reason": "Studio"}
    first = post(api, f"/milestones/{film.pk}/reschedule/", body, sent)
    second = post(api, f"/milestones/{film.pk}/reschedule/", body, sent)
    assert first.status_code == 200
    same_answer(first, second)
    assert MilestoneDateChange.objects.filter(milestone=film).count() == 1
    # Without the key the same request is a new one (and refused: the date is already set).
    assert api.post(f"{API}/milestones/{film.pk}/reschedule/", body).status_code == 400


@pytest.mark.django_db
def test_a_retried_upload_makes_one_version(api_as, plan, member):
    api, sent, cut = api_as(member), key(), plan["cut"]
    answers = [
        post(api, "/versions/", {"deliverable": cut.pk, "files": [png()]}, sent, format="multipart")
        for _ in range(2)
    ]
    assert answers[0].status_code == 201
    same_answer(*answers)
    assert DeliverableVersion.objects.filter(deliverable=cut).count() == 1
    other_file = {"deliverable": cut.pk, "files": [png(text="v2")]}
    assert post(api, "/versions/", other_file, sent, format="multipart").status_code == 422


POSTS = [operation for operation in OPERATIONS if operation[1] == "post"]
# Their answers show a secret once (a token, a signing secret, a secret URL).
SHOWING_A_SECRET = {"tokens/", "webhooks/", "share-links/", "calendar-feeds/"}


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "method", "action"), POSTS, ids=[p[0] for p in POSTS])
def test_every_post_route_replays_its_first_answer(route, method, action):
    """Each POST of the API, as the owner with the permission matrix's body: the retry gets
    the same answer, and nothing more is written (the activity log has no second entry).
    An answer that showed a secret is not kept: its retry is a 409 naming what was made."""
    rule = EXPECTATIONS[(route, method, action)]
    world = build_world()
    owner, sent = world.users["owner"], key()
    api = world.clients["owner"]
    if rule.prepare:
        rule.prepare(world)
    url = url_for(world, rule, route, "owner")

    def send():
        body = rule.body(world) if rule.body else None
        return api.post(url, body, format=rule.format, HTTP_IDEMPOTENCY_KEY=sent)

    first = send()
    assert first.status_code == rule.success, first.content[:300]
    events = ActivityEvent.objects.count()
    second = send()
    assert ActivityEvent.objects.count() == events
    assert IdempotencyKey.objects.filter(user=owner, key=sent).count() == 1
    if route not in SHOWING_A_SECRET:
        same_answer(first, second)
        return
    assert second.status_code == 409
    assert second.json()["type"] == "urn:milestones:problem:secret_shown_once"
    assert second["Location"] == first["Location"]
    assert second["Idempotent-Replayed"] == "true"
    stored = IdempotencyKey.objects.get(user=owner, key=sent)
    secrets = [first.json().get(name) for name in ("token", "secret", "url")]
    assert any(secrets)
    for secret in filter(None, secrets):
        assert secret not in stored.body and secret not in str(stored.headers)


@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicates_create_exactly_one_object(monkeypatch):
    """Eight requests with one key at the same instant, while the first holds its
    transaction open: one client is created, and all eight get its answer."""
    workspace = WorkspaceFactory()
    manager = MembershipFactory(workspace=workspace, role=Role.MANAGER).user
    _, plain = api_token_create(user=manager, name="CRM sync")
    create_object = ProjectViewSet.create_object

    def slow_create(self, data):
        project = create_object(self, data)
        time.sleep(0.3)  # the duplicates arrive while this transaction is open
        return project

    monkeypatch.setattr(ProjectViewSet, "create_object", slow_create)
    sent = key()
    body = {"workspace": workspace.pk, "name": "Spring sale", "start_date": "2027-03-01"}
    count = 8
    barrier = threading.Barrier(count)
    answers: list = [None] * count
    errors: list = []

    def send(index: int) -> None:
        try:
            api = APIClient()
            api.credentials(HTTP_AUTHORIZATION=f"Bearer {plain}")
            barrier.wait(timeout=10)
            answers[index] = post(api, "/projects/", body, sent)
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert [answer.status_code for answer in answers] == [201] * count
    assert len({answer.content for answer in answers}) == 1
    assert len({answer["Location"] for answer in answers}) == 1
    replayed = [answer.has_header("Idempotent-Replayed") for answer in answers]
    assert replayed.count(False) == 1
    assert workspace.projects.count() == 1
    with transaction.atomic():
        assert IdempotencyKey.objects.filter(user=manager, key=sent).count() == 1
