"""Personal secrets: API tokens and calendar feeds, made and revoked by their owner.

Each `*_create` returns the row and the plain secret, which is shown once and never stored;
each `*_for` takes a presented secret and returns the active row or None. Making and
revoking one is recorded in the audit log (an account event: a personal token or feed
belongs to no workspace; a project's feed is recorded in its workspace)."""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from milestones_site.services.editing import validate
from milestones_site.services.errors import invalid
from projects import activity, permissions
from projects.models import ApiToken, CalendarFeed, HashedSecret, Project


def ensure_future(expires_at: datetime | None) -> None:
    """A secret's expiry, when it has one, is in the future."""
    if expires_at is not None and expires_at <= timezone.now():
        raise invalid(expires_at="Choose an expiry in the future.")


def ensure_owner(secret: HashedSecret, actor) -> None:
    """A personal secret is revoked by its owner (or a superuser, or the system)."""
    if actor is not None and actor.pk != secret.user_id and not actor.is_superuser:
        raise PermissionDenied(f"Only the {secret._meta.verbose_name}'s owner can revoke it.")


def revoke(secret: HashedSecret, *, actor, verb: str, target, data: dict) -> HashedSecret:
    """Revoke `secret` once (again is no change), recording `verb` on `target`."""
    if secret.revoked_at is None:
        secret.revoked_at = timezone.now()
        secret.save(update_fields=["revoked_at", "updated_at"])
        activity.record(actor=actor, verb=verb, target=target, data=data)
    return secret


@transaction.atomic
def api_token_create(
    *, user, name: str, read_only: bool = False, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """A named token for the REST API; it may only read, and may expire (in the future)."""
    if not (name or "").strip():
        raise invalid(name="Name the token after what uses it, e.g. “CRM sync”.")
    ensure_future(expires_at)
    token = ApiToken(user=user, name=name.strip()[:100], read_only=read_only, expires_at=expires_at)
    plain = token.set_new_secret()
    validate(token)
    token.save()
    activity.record(
        actor=user,
        verb="api_token.created",
        target=token,
        data={"prefix": token.prefix, "read_only": read_only},
    )
    return token, plain


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor) -> ApiToken:
    """Its owner revokes a token; it stays listed, inactive."""
    ensure_owner(token, actor)
    data = {"prefix": token.prefix}
    return revoke(token, actor=actor, verb="api_token.revoked", target=token, data=data)


def api_token_for(plain: str) -> ApiToken | None:
    """The active token for a presented secret, with its user; marks it used."""
    # The hash is unique: no ordering to ask for.
    token = next(iter(ApiToken.objects.presented(plain).select_related("user")), None)
    if token is None or not token.user.is_active:
        return None
    token.mark_presented("last_used_at")
    return token


@transaction.atomic
def calendar_feed_create(*, user, project: Project | None = None) -> tuple[CalendarFeed, str]:
    """A feed of the user's own due dates, or of one project the user can read."""
    if project is not None and not permissions.can_read(user, project.workspace):
        raise invalid(project="Choose a project you can see.")
    feed = CalendarFeed(user=user, project=project)
    plain = feed.set_new_secret()
    feed.save()
    activity.record(
        actor=user,
        verb="calendar_feed.created",
        target=project or feed,
        data={"prefix": feed.prefix},
    )
    return feed, plain


@transaction.atomic
def calendar_feed_revoke(*, feed: CalendarFeed, actor) -> CalendarFeed:
    """Its owner revokes a feed: calendar apps get a 404 from then on."""
    ensure_owner(feed, actor)
    target, data = feed.project or feed, {"prefix": feed.prefix}
    return revoke(feed, actor=actor, verb="calendar_feed.revoked", target=target, data=data)


def calendar_feed_for(plain: str) -> CalendarFeed | None:
    """The active feed for a presented secret, while its owner may still read it."""
    feed = CalendarFeed.objects.presented(plain).select_related("user", "project__workspace")
    feed = feed.first()
    if feed is None or not feed.user.is_active:
        return None
    # A feed outlives nothing: once its owner leaves the project's workspace it stops.
    if feed.project is not None and not permissions.can_read(feed.user, feed.project.workspace):
        return None
    return feed
