"""API tokens, share links and calendar feeds: secrets stored only as hashes, and look-ups
that accept only active secrets of users who still belong."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from projects.models import ActivityEvent, ApiToken, CalendarFeed, ShareLink, hash_secret
from projects.services import access, sharing
from projects.services import workspaces as workspace_services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SECRET_MODELS = [ApiToken, ShareLink, CalendarFeed]


def stored_text(row) -> str:
    """Every column of the row as the database holds it, in one string."""
    values = type(row).objects.filter(pk=row.pk).values().get()
    return " ".join(str(value) for value in values.values())


def expire(row) -> None:
    type(row).objects.filter(pk=row.pk).update(expires_at=timezone.now() - timedelta(seconds=1))


@pytest.fixture
def secrets_of_every_kind(project, manager):
    token, token_secret = access.api_token_create(user=manager, name="CRM sync")
    link, link_secret = sharing.share_link_create(project=project, actor=manager, label="Client")
    feed, feed_secret = access.calendar_feed_create(user=manager, project=project)
    return [(token, token_secret), (link, link_secret), (feed, feed_secret)]


def test_only_a_hash_and_a_short_prefix_are_stored(secrets_of_every_kind):
    for row, plain in secrets_of_every_kind:
        assert plain not in stored_text(row)
        row.refresh_from_db()
        assert row.secret_hash == hash_secret(plain)
        assert plain.startswith(row.prefix)
        assert len(row.prefix) < len(plain) // 3


def test_secrets_are_unguessable_and_distinct(manager):
    plains = {access.api_token_create(user=manager, name=f"Sync {n}")[1] for n in range(5)}
    assert len(plains) == 5
    assert all(plain.startswith("ms_") and len(plain) > 40 for plain in plains)


LOOKUPS = {
    ApiToken: access.api_token_for,
    ShareLink: sharing.share_link_for,
    CalendarFeed: access.calendar_feed_for,
}


def test_active_secrets_are_found(secrets_of_every_kind):
    for row, plain in secrets_of_every_kind:
        assert LOOKUPS[type(row)](plain) == row


def test_unknown_secrets_find_nothing(secrets_of_every_kind):
    for row, plain in secrets_of_every_kind:
        assert LOOKUPS[type(row)](plain + "x") is None
        assert LOOKUPS[type(row)](row.prefix) is None
        assert LOOKUPS[type(row)](row.secret_hash) is None


def test_expired_secrets_find_nothing(secrets_of_every_kind):
    for row, plain in secrets_of_every_kind:
        expire(row)
        assert LOOKUPS[type(row)](plain) is None


def test_revoked_secrets_find_nothing(secrets_of_every_kind, manager):
    token, link, feed = (row for row, _ in secrets_of_every_kind)
    access.api_token_revoke(token=token, actor=manager)
    sharing.share_link_revoke(link=link, actor=manager)
    access.calendar_feed_revoke(feed=feed, actor=manager)
    for row, plain in secrets_of_every_kind:
        row.refresh_from_db()
        assert row.revoked_at is not None
        assert not row.is_active
        assert LOOKUPS[type(row)](plain) is None


def test_a_deactivated_user_s_token_and_feed_stop(secrets_of_every_kind, manager):
    manager.is_active = False
    manager.save()
    (_, token_secret), _, (_, feed_secret) = secrets_of_every_kind
    assert access.api_token_for(token_secret) is None
    assert access.calendar_feed_for(feed_secret) is None


def field_values(row) -> dict:
    return {field.attname: getattr(row, field.attname) for field in row._meta.concrete_fields}


def test_a_token_comes_with_its_user(manager):
    expires = timezone.now() + timedelta(days=30)
    token, plain = access.api_token_create(user=manager, name="CRM", expires_at=expires)

    found = access.api_token_for(plain)
    assert field_values(found) == field_values(ApiToken.objects.get(pk=token.pk))
    assert field_values(found.user) == field_values(type(manager).objects.get(pk=manager.pk))


@pytest.mark.parametrize("create", ["api_token", "share_link"])
def test_expiry_must_be_in_the_future(project, manager, create):
    past = timezone.now() - timedelta(minutes=1)
    with pytest.raises(ValidationError) as error:
        if create == "api_token":
            access.api_token_create(user=manager, name="Old", expires_at=past)
        else:
            sharing.share_link_create(project=project, actor=manager, expires_at=past)
    assert error.value.message_dict == {"expires_at": ["Choose an expiry in the future."]}
    assert not any(model.objects.exists() for model in SECRET_MODELS)


# API tokens -------------------------------------------------------------------------------


def test_api_token_needs_a_name(manager):
    with pytest.raises(ValidationError) as error:
        access.api_token_create(user=manager, name="  ")
    assert error.value.message_dict == {
        "name": ["Name the token after what uses it, e.g. “CRM sync”."]
    }
    assert not ApiToken.objects.exists()


def test_api_token_use_is_stamped_at_most_once_a_minute(manager):
    token, plain = access.api_token_create(user=manager, name="CRM sync", read_only=True)
    first = access.api_token_for(plain).last_used_at
    assert first is not None
    assert access.api_token_for(plain).last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    assert access.api_token_for(plain).last_used_at > first
    assert access.api_token_for(plain).read_only


def test_share_link_views_are_stamped_at_most_once_a_minute(manager, project):
    link, plain = sharing.share_link_create(project=project, actor=manager)
    assert link.last_viewed_at is None
    first = sharing.share_link_for(plain).last_viewed_at
    assert ShareLink.objects.get(pk=link.pk).last_viewed_at == first is not None
    assert sharing.share_link_for(plain).last_viewed_at == first
    ShareLink.objects.filter(pk=link.pk).update(last_viewed_at=first - timedelta(minutes=2))
    assert sharing.share_link_for(plain).last_viewed_at > first


def test_only_the_owner_revokes_a_token(manager, member):
    token, plain = access.api_token_create(user=manager, name="CRM sync")
    with pytest.raises(PermissionDenied):
        access.api_token_revoke(token=token, actor=member)
    assert access.api_token_for(plain) == token
    access.api_token_revoke(token=token, actor=UserFactory(is_superuser=True))
    assert access.api_token_for(plain) is None


# Share links ------------------------------------------------------------------------------


def test_share_link_create_and_revoke_are_recorded_once(project, manager):
    link, _ = sharing.share_link_create(project=project, actor=manager, allow_signoff=True)
    created = ActivityEvent.objects.get(verb="share_link.created")
    assert (created.actor, created.target, created.data) == (
        manager,
        project,
        {"link": link.pk, "allow_signoff": True},
    )
    sharing.share_link_revoke(link=link, actor=manager)
    sharing.share_link_revoke(link=link, actor=manager)
    assert ActivityEvent.objects.filter(verb="share_link.revoked").count() == 1


@pytest.mark.parametrize("who", ["member", "viewer", "outsider"])
def test_share_links_are_for_managers(request, project, who):
    with pytest.raises(PermissionDenied):
        sharing.share_link_create(project=project, actor=request.getfixturevalue(who))
    assert not ShareLink.objects.exists()


# Calendar feeds ---------------------------------------------------------------------------


def test_a_project_feed_needs_a_readable_project(project, outsider):
    with pytest.raises(ValidationError) as error:
        access.calendar_feed_create(user=outsider, project=project)
    assert error.value.message_dict == {"project": ["Choose a project you can see."]}
    assert not CalendarFeed.objects.exists()


def test_a_viewer_may_follow_a_project_feed(project, viewer):
    feed, plain = access.calendar_feed_create(user=viewer, project=project)
    assert access.calendar_feed_for(plain) == feed


def test_the_project_feed_stops_when_its_user_leaves_the_workspace(workspace, project, owner):
    leaver = UserFactory()
    membership = workspace_services.membership_add(
        workspace=workspace, user=leaver, role="member", actor=owner
    )
    feed, plain = access.calendar_feed_create(user=leaver, project=project)
    assert access.calendar_feed_for(plain) == feed
    workspace_services.membership_remove(membership=membership, actor=owner)
    assert access.calendar_feed_for(plain) is None


def test_only_the_owner_revokes_a_feed(member, manager):
    feed, plain = access.calendar_feed_create(user=member)
    with pytest.raises(PermissionDenied):
        access.calendar_feed_revoke(feed=feed, actor=manager)
    assert access.calendar_feed_for(plain) == feed
    access.calendar_feed_revoke(feed=feed, actor=member)
    assert access.calendar_feed_for(plain) is None


@pytest.mark.django_db(transaction=True)
def test_the_token_lookup_survives_a_rolled_back_transaction_and_a_new_connection(manager):
    token, plain = access.api_token_create(user=manager, name="CRM")
    with pytest.raises(RuntimeError), transaction.atomic():
        assert access.api_token_for(plain) == token
        raise RuntimeError("rolled back")
    assert access.api_token_for(plain) == token
    connection.close()
    assert access.api_token_for(plain) == token


def test_making_and_revoking_personal_secrets_is_audited(project, manager):
    token, _ = access.api_token_create(user=manager, name="CRM")
    feed, _ = access.calendar_feed_create(user=manager)
    access.calendar_feed_create(user=manager, project=project)
    access.api_token_revoke(token=token, actor=manager)
    access.calendar_feed_revoke(feed=feed, actor=manager)
    access.api_token_revoke(token=token, actor=manager)  # again: no change, no event

    events = ActivityEvent.objects.order_by("id")
    assert [(e.verb, e.workspace_id, e.actor) for e in events] == [
        ("api_token.created", None, manager),
        ("calendar_feed.created", None, manager),
        ("calendar_feed.created", project.workspace_id, manager),
        ("api_token.revoked", None, manager),
        ("calendar_feed.revoked", None, manager),
    ]
    assert events[0].data == {"prefix": token.prefix, "read_only": False}
    assert events[2].target == project
