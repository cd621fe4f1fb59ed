"""Workspace settings: members and roles, reminder defaults, API tokens, share links and
calendar feeds, each with its permissions. Clients: tests/projects/web/test_clients.py."""

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from projects.models import (
    ActivityEvent,
    ApiToken,
    CalendarFeed,
    Membership,
    Role,
    ShareLink,
    hash_secret,
)
from projects.services import access, sharing
from tests.factories import ClientFactory, MembershipFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db

PAGE = reverse("projects:workspace_settings")
SECTIONS = ("members", "reminders", "clients", "share-links", "api-tokens", "calendar-feeds")


def url(name: str, *args) -> str:
    return reverse(f"projects:{name}", args=args)


def section(name: str) -> str:
    return url("settings_section", name)


def every_section(client) -> str:
    """All the sections of settings, each a page of its own, read one after the other."""
    pages = [client.get(section(name)) for name in SECTIONS]
    assert [page.status_code for page in pages] == [200] * len(SECTIONS)
    return "".join(page.content.decode() for page in pages)


def shown_secret(response) -> str:
    return re.search(r'id="new-secret"[^>]* value="([^"]+)"', response.content.decode())[1]


# The page ----------------------------------------------------------------------------------


def test_settings_open_on_members_and_each_section_is_a_page(client, owner):
    client.force_login(owner)
    assert client.get(PAGE)["Location"] == section("members")
    for name in SECTIONS:
        page = client.get(section(name)).content.decode()
        # The navigation marks the section shown and leads to every other one and webhooks.
        assert f'<a href="{section(name)}" aria-current="page">' in page
        assert all(f'href="{section(other)}"' in page for other in SECTIONS)
        assert f'href="{reverse("notifications:webhooks")}"' in page
    assert client.get(section("nonsense")).status_code == 404


def test_owner_sees_every_control(client, owner, member):
    client.force_login(owner)

    page = every_section(client)
    assert member.email in page
    for action in (
        "member_add",
        "workspace_update",
        "client_create",
        "share_link_create",
        "api_token_create",
    ):
        assert f'action="{url(action)}"' in page
    assert f'action="{url("member_change_role", member.memberships.get().pk)}"' in page


class IdsByForm(HTMLParser):
    """Every element id of a page and the form it is in; every label's `for` and its form."""

    def __init__(self):
        super().__init__()
        self.forms = 0
        self.form: int | None = None
        self.ids: list[str] = []
        self.id_form: dict[str, int | None] = {}
        self.labels: list[tuple[str, int | None]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms += 1
            self.form = self.forms
        if "id" in attrs:
            self.ids.append(attrs["id"])
            self.id_form[attrs["id"]] = self.form
        if tag == "label" and "for" in attrs:
            self.labels.append((attrs["for"], self.form))

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None


def test_every_id_is_unique_and_every_label_names_a_field_of_its_form(
    client, owner, workspace, project
):
    access.api_token_create(user=owner, name="CRM sync")
    access.calendar_feed_create(user=owner, project=project)
    sharing.share_link_create(project=project, actor=owner, label="Client")
    ClientFactory(workspace=workspace)
    client.force_login(owner)
    # Every section, and a refused submit showing its bound form (with errors).
    pages = [client.get(section(name)) for name in SECTIONS]
    for page in [*pages, client.post(url("api_token_create"), {"name": ""})]:
        parsed = IdsByForm()
        parsed.feed(page.content.decode())

        assert parsed.forms >= 1
        assert [id for id in parsed.ids if parsed.ids.count(id) > 1] == []
        for target, form in parsed.labels:
            assert target in parsed.id_form, f"label for #{target}: no such element"
            assert parsed.id_form[target] == form, f"label for #{target} is in another form"


def test_viewer_sees_settings_read_only_but_manages_own_tokens_and_feeds(client, viewer, owner):
    client.force_login(viewer)

    page = every_section(client)

    for action in ("member_add", "workspace_update", "client_create", "share_link_create"):
        assert f'action="{url(action)}"' not in page
    assert f'action="{url("member_change_role", owner.memberships.get().pk)}"' not in page
    assert "Only workspace owners change these." in page
    assert f'action="{url("api_token_create")}"' in page
    assert f'action="{url("calendar_feed_create")}"' in page


def test_page_query_count_does_not_grow_with_members_and_secrets(client, owner, workspace):
    client.force_login(owner)

    def queries_after_adding(count: int) -> int:
        for _ in range(count):
            MembershipFactory(workspace=workspace)
            project = ProjectFactory(workspace=workspace, client=ClientFactory(workspace=workspace))
            sharing.share_link_create(project=project, actor=owner)
            access.api_token_create(user=owner, name="Integration")
            access.calendar_feed_create(user=owner, project=project)
        with CaptureQueriesContext(connection) as captured:
            every_section(client)
        return len(captured.captured_queries)

    assert queries_after_adding(2) == queries_after_adding(20)


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(PAGE)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# Members -----------------------------------------------------------------------------------


def test_owner_adds_a_member_by_email(client, owner, workspace):
    newcomer = UserFactory(username="lena", email="lena@agency.example")
    client.force_login(owner)

    response = client.post(url("member_add"), {"user": "LENA@agency.example", "role": "manager"})

    assert response.status_code == 302
    assert Membership.objects.get(user=newcomer, workspace=workspace).role == Role.MANAGER
    assert ActivityEvent.objects.filter(verb="membership.added", actor=owner).exists()


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("nobody@nowhere.example", "No account has that username or email."),
        ("member-{slug}", "is already a member of"),
    ],
)
def test_adding_an_unknown_or_existing_member_shows_the_error(
    client, owner, member, workspace, given, message
):
    client.force_login(owner)

    response = client.post(
        url("member_add"), {"user": given.format(slug=workspace.slug), "role": "member"}
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert Membership.objects.filter(workspace=workspace).count() == 2


@pytest.mark.parametrize("role", ["manager", "member", "viewer"])
def test_only_owners_add_members(client, workspace, role):
    actor = MembershipFactory(workspace=workspace, role=role).user
    UserFactory(username="lena")
    client.force_login(actor)

    response = client.post(url("member_add"), {"user": "lena", "role": "member"})

    assert response.status_code == 403
    assert not Membership.objects.filter(user__username="lena").exists()


def test_owner_changes_a_role_and_removes_a_member(client, owner, member, viewer):
    client.force_login(owner)

    changed = client.post(
        url("member_change_role", member.memberships.get().pk), {"role": "viewer"}
    )
    removed = client.post(url("member_remove", viewer.memberships.get().pk))

    assert (changed.status_code, removed.status_code) == (302, 302)
    assert member.memberships.get().role == Role.VIEWER
    assert not viewer.memberships.exists()


def test_the_last_owner_cannot_step_down(client, owner):
    client.force_login(owner)

    response = client.post(
        url("member_change_role", owner.memberships.get().pk), {"role": "member"}
    )

    assert response.status_code == 400
    assert "A workspace needs at least one owner" in response.content.decode()
    assert owner.memberships.get().role == Role.OWNER


def test_unknown_role_is_a_form_error(client, owner, member):
    client.force_login(owner)

    response = client.post(url("member_change_role", member.memberships.get().pk), {"role": "boss"})

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_manager_cannot_change_roles_or_remove(client, manager, member):
    client.force_login(manager)
    membership = member.memberships.get()

    changed = client.post(url("member_change_role", membership.pk), {"role": "owner"})
    removed = client.post(url("member_remove", membership.pk))

    assert (changed.status_code, removed.status_code) == (403, 403)
    assert member.memberships.get().role == Role.MEMBER


def test_another_workspaces_membership_is_404(client, owner, outsider):
    client.force_login(owner)
    theirs = outsider.memberships.get()

    assert client.post(url("member_change_role", theirs.pk), {"role": "viewer"}).status_code == 404
    assert client.post(url("member_remove", theirs.pk)).status_code == 404
    assert outsider.memberships.get().role == Role.OWNER


# Reminder defaults -------------------------------------------------------------------------

DEFAULTS = {
    "name": "Northwind Agency",
    "timezone": "Europe/Berlin",
    "reminder_lead_days": "3, 14, 1",
    "overdue_repeat_days": "2",
    "overdue_repeat_limit": "4",
    "warning_window_days": "5",
}


def test_owner_saves_reminder_defaults(client, owner, workspace):
    client.force_login(owner)

    response = client.post(url("workspace_update"), DEFAULTS)

    assert response.status_code == 302
    workspace.refresh_from_db()
    assert workspace.name == "Northwind Agency"
    assert workspace.timezone == "Europe/Berlin"
    assert workspace.reminder_lead_days == [14, 3, 1]
    assert (workspace.overdue_repeat_days, workspace.warning_window_days) == (2, 5)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("reminder_lead_days", "7, soon", "Enter whole days separated by commas"),
        ("reminder_lead_days", "400", "Enter a list of whole days between 0 and 365"),
        ("overdue_repeat_days", "0", "Ensure this value is greater than or equal to 1."),
        ("timezone", "Mars/Olympus", "Select a valid choice."),
    ],
)
def test_invalid_defaults_are_field_errors(client, owner, workspace, field, value, message):
    client.force_login(owner)

    response = client.post(url("workspace_update"), {**DEFAULTS, field: value})

    assert response.status_code == 400
    assert message in response.content.decode()
    workspace.refresh_from_db()
    assert workspace.reminder_lead_days == [7, 1]


@pytest.mark.parametrize("role", ["manager", "viewer"])
def test_only_owners_change_defaults(client, workspace, role):
    client.force_login(MembershipFactory(workspace=workspace, role=role).user)

    response = client.post(url("workspace_update"), DEFAULTS)

    assert response.status_code == 403
    workspace.refresh_from_db()
    assert workspace.name != "Northwind Agency"


# API tokens --------------------------------------------------------------------------------


def test_token_is_shown_once_and_stored_hashed(client, viewer):
    client.force_login(viewer)

    created = client.post(url("api_token_create"), {"name": "CRM sync", "read_only": "on"})

    assert created.status_code == 201
    plain = shown_secret(created)
    token = ApiToken.objects.get(user=viewer)
    assert (token.name, token.read_only) == ("CRM sync", True)
    assert token.secret_hash == hash_secret(plain)
    assert 'data-copy-target="new-secret"' in created.content.decode()  # a copy button
    listed = client.get(section("api-tokens")).content.decode()
    assert plain not in listed
    assert token.prefix in listed


def test_token_form_errors(client, member):
    client.force_login(member)
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()

    nameless = client.post(url("api_token_create"), {"name": ""})
    expired = client.post(url("api_token_create"), {"name": "Bot", "expires_on": yesterday})

    assert (nameless.status_code, expired.status_code) == (400, 400)
    assert "This field is required." in nameless.content.decode()
    assert "Choose an expiry in the future." in expired.content.decode()
    assert not ApiToken.objects.exists()


def test_user_revokes_own_token_but_not_anothers(client, member, manager):
    mine, _ = access.api_token_create(user=member, name="Mine")
    theirs, _ = access.api_token_create(user=manager, name="Theirs")
    client.force_login(member)

    assert client.post(url("api_token_revoke", mine.pk)).status_code == 302
    assert client.post(url("api_token_revoke", theirs.pk)).status_code == 404
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.revoked_at is not None
    assert theirs.revoked_at is None


# Share links -------------------------------------------------------------------------------


def test_manager_creates_a_share_link_that_opens_and_lists_it(client, manager, project):
    client.force_login(manager)
    expires_on = (timezone.localdate() + timedelta(days=30)).isoformat()

    created = client.post(
        url("share_link_create"),
        {
            "project": project.pk,
            "label": "Client team",
            "allow_signoff": "on",
            "expires_on": expires_on,
        },
    )

    assert created.status_code == 201
    link_url = shown_secret(created)
    link = ShareLink.objects.get()
    assert (link.project, link.label, link.allow_signoff) == (project, "Client team", True)
    assert link.expires_at.date() == timezone.localdate() + timedelta(days=31)
    listed = client.get(section("share-links")).content.decode()
    assert '<td data-label="Last opened">Never</td>' in listed
    client.logout()
    assert client.get(link_url.removeprefix("http://testserver")).status_code == 200
    link.refresh_from_db()
    client.force_login(manager)
    opened = timezone.localtime(link.last_viewed_at).strftime("%-d %b %Y %H:%M")
    listed = client.get(section("share-links")).content.decode()
    assert f'<td data-label="Last opened">{opened}</td>' in listed


@pytest.mark.parametrize("role", ["member", "viewer"])
def test_members_and_viewers_cannot_create_share_links(client, workspace, project, role):
    client.force_login(MembershipFactory(workspace=workspace, role=role).user)

    response = client.post(url("share_link_create"), {"project": project.pk})

    assert response.status_code == 403
    assert not ShareLink.objects.exists()


def test_share_link_for_another_workspaces_project_is_a_form_error(client, manager):
    client.force_login(manager)

    response = client.post(url("share_link_create"), {"project": ProjectFactory().pk})

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not ShareLink.objects.exists()


def test_share_link_revoke_by_role_and_workspace(client, workspace, manager, member, project):
    link, token = sharing.share_link_create(project=project, actor=manager)
    foreign_project = ProjectFactory()
    foreign_owner = MembershipFactory(workspace=foreign_project.workspace, role="owner").user
    foreign, _ = sharing.share_link_create(project=foreign_project, actor=foreign_owner)

    client.force_login(member)
    assert client.post(url("share_link_revoke", link.pk)).status_code == 403
    client.force_login(manager)
    assert client.post(url("share_link_revoke", foreign.pk)).status_code == 404
    assert client.post(url("share_link_revoke", link.pk)).status_code == 302

    link.refresh_from_db()
    foreign.refresh_from_db()
    assert link.revoked_at is not None
    assert foreign.revoked_at is None
    client.logout()
    assert client.get(reverse("projects:share", args=[token])).status_code == 404


# Calendar feeds ----------------------------------------------------------------------------


def test_viewer_creates_a_project_feed_and_revokes_it(client, viewer, project):
    client.force_login(viewer)

    created = client.post(url("calendar_feed_create"), {"project": project.pk})

    assert created.status_code == 201
    feed_url = shown_secret(created)
    feed = CalendarFeed.objects.get(user=viewer)
    assert feed.project == project
    assert client.get(feed_url.removeprefix("http://testserver")).status_code == 200
    assert client.post(url("calendar_feed_revoke", feed.pk)).status_code == 302
    assert client.get(feed_url.removeprefix("http://testserver")).status_code == 404


def test_personal_feed_and_other_peoples_feeds(client, member, manager):
    others, _ = access.calendar_feed_create(user=manager)
    client.force_login(member)

    created = client.post(url("calendar_feed_create"), {"project": ""})

    assert created.status_code == 201
    assert CalendarFeed.objects.get(user=member).project is None
    assert client.post(url("calendar_feed_revoke", others.pk)).status_code == 404
    others.refresh_from_db()
    assert others.revoked_at is None


def test_feed_for_another_workspaces_project_is_a_form_error(client, member):
    client.force_login(member)

    response = client.post(url("calendar_feed_create"), {"project": ProjectFactory().pk})

    assert response.status_code == 400
    assert not CalendarFeed.objects.exists()
