"""Clients in workspace settings: listed with their project counts, added, renamed and
deleted by managers and owners; deleting one keeps its projects, without a client."""

import pytest
from django.urls import reverse

from projects.models import ActivityEvent, Client, Project
from tests.factories import ClientFactory, ProjectFactory, WorkspaceFactory

pytestmark = pytest.mark.django_db

SETTINGS = reverse("projects:settings_section", args=["clients"])


def url(name: str, *args) -> str:
    return reverse(f"projects:{name}", args=args)


@pytest.fixture
def northwind(workspace):
    client = ClientFactory(workspace=workspace, name="Northwind Outdoor")
    ProjectFactory.create_batch(2, workspace=workspace, client=client)
    return client


def test_clients_are_listed_with_their_projects(client, member, northwind):
    client.force_login(member)

    page = client.get(SETTINGS).content.decode()

    assert "Northwind Outdoor" in page
    assert f'<a href="{url("dashboard")}?client={northwind.pk}">2</a>' in page
    assert "Managers and owners add and edit clients." in page
    assert url("client_edit", northwind.pk) not in page


def test_manager_adds_a_client(client, manager, workspace):
    client.force_login(manager)

    response = client.post(
        url("client_create"), {"name": "Fjordline", "contact_email": "cmo@fjordline.example"}
    )

    assert response["Location"] == SETTINGS
    added = Client.objects.get(workspace=workspace)
    assert (added.name, added.contact_email) == ("Fjordline", "cmo@fjordline.example")
    assert ActivityEvent.objects.filter(verb="client.created", actor=manager).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "NORTHWIND outdoor"}, "A client named “NORTHWIND outdoor” already exists."),
        ({"name": ""}, "This field is required."),
        ({"name": "Fjordline", "contact_email": "not-an-email"}, "Enter a valid email address."),
    ],
)
def test_a_refused_client_shows_why_and_adds_nothing(client, manager, northwind, data, message):
    client.force_login(manager)

    response = client.post(url("client_create"), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert Client.objects.count() == 1


def test_manager_renames_a_client(client, manager, northwind):
    client.force_login(manager)
    edit = url("client_edit", northwind.pk)
    page = client.get(edit).content.decode()
    assert 'value="Northwind Outdoor"' in page
    assert f'href="{url("client_delete", northwind.pk)}"' in page

    response = client.post(edit, {"name": "Northwind Group", "contact_email": ""})

    assert response["Location"] == SETTINGS
    northwind.refresh_from_db()
    assert northwind.name == "Northwind Group"
    assert ActivityEvent.objects.filter(verb="client.updated").exists()


def test_renaming_to_another_clients_name_is_a_form_error(client, manager, northwind, workspace):
    other = ClientFactory(workspace=workspace, name="Fjordline")
    client.force_login(manager)

    response = client.post(url("client_edit", other.pk), {"name": "northwind outdoor"})

    assert "already exists" in response.content.decode()
    other.refresh_from_db()
    assert other.name == "Fjordline"


def test_deleting_a_client_keeps_its_projects(client, manager, northwind):
    client.force_login(manager)
    delete = url("client_delete", northwind.pk)

    confirmation = client.get(delete).content.decode()
    assert "Delete client “Northwind Outdoor”?" in confirmation
    assert "Kept, without a client: 2 projects." in confirmation
    assert Client.objects.filter(pk=northwind.pk).exists()

    response = client.post(delete)

    assert response["Location"] == SETTINGS
    assert not Client.objects.exists()
    assert list(Project.objects.values_list("client", flat=True)) == [None, None]
    event = ActivityEvent.objects.get(verb="client.deleted")
    assert (event.actor, event.data) == (manager, {"client": "Northwind Outdoor"})


@pytest.mark.parametrize("view", ["client_edit", "client_delete"])
def test_members_may_not_edit_or_delete_clients(client, member, northwind, view):
    client.force_login(member)

    assert client.get(url(view, northwind.pk)).status_code == 403
    assert client.post(url(view, northwind.pk), {"name": "Taken over"}).status_code == 403
    assert client.post(url("client_create"), {"name": "Fjordline"}).status_code == 403
    northwind.refresh_from_db()
    assert northwind.name == "Northwind Outdoor"
    assert Client.objects.count() == 1


@pytest.mark.parametrize("view", ["client_edit", "client_delete"])
def test_another_workspaces_client_is_not_found(client, manager, view):
    foreign = ClientFactory(workspace=WorkspaceFactory(), name="Elsewhere")
    client.force_login(manager)

    assert client.post(url(view, foreign.pk), {"name": "Mine now"}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.name == "Elsewhere"
