"""Writes and look-ups for secrets: API tokens, share links and calendar feeds.

Each `*_create` returns the row and the plain secret, which is shown once and never
stored; each look-up takes a presented secret and returns the active row or None."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from milestones_site.services.errors import invalid
from projects import activity, permissions
from projects.models import ApiToken, CalendarFeed, HashedSecret, Project, ShareLink
from projects.permissions import Action
from projects.secrets import hash_secret, new_secret

SHARE_LINK_ACTION = Action.PROJECT_UPDATE


def _ensure_future(expires_at: datetime | None) -> None:
    if expires_at is not None and expires_at <= timezone.now():
        raise invalid(expires_at="Choose an expiry in the future.")


@transaction.atomic
def api_token_create(
    *, user, name: str, read_only: bool = False, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    if not (name or "").strip():
        raise invalid(name="Name the token after what uses it, e.g. “CRM sync”.")
    _ensure_future(expires_at)
    secret = new_secret("ms")
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:100],
        read_only=read_only,
        expires_at=expires_at,
        prefix=secret.prefix,
        secret_hash=secret.hash,
    )
    return token, secret.plain


def api_token_revoke(*, token: ApiToken, actor) -> ApiToken:
    if actor is not None and actor.pk != token.user_id and not actor.is_superuser:
        raise permissions.PermissionDenied("Only the token's owner can revoke it.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_for(plain: str) -> ApiToken | None:
    """The active token for a presented secret, with its user; marks it used."""
    token = (
        ApiToken.objects.active()
        .select_related("user")
        .filter(secret_hash=hash_secret(plain))
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    stamp(token, "last_used_at")
    return token


def stamp(secret: HashedSecret, field: str) -> None:
    """Record in `field` that the secret was just presented, at most once a minute: a busy
    integration or a much-visited share page should not write on every request."""
    now = timezone.now()
    last = getattr(secret, field)
    if last is None or (now - last).total_seconds() > 60:
        type(secret).objects.filter(pk=secret.pk).update(**{field: now})
        setattr(secret, field, now)


@transaction.atomic
def share_link_create(
    *,
    project: Project,
    actor,
    label: str = "",
    allow_signoff: bool = False,
    expires_at: datetime | None = None,
) -> tuple[ShareLink, str]:
    permissions.ensure(actor, SHARE_LINK_ACTION, project.workspace)
    _ensure_future(expires_at)
    secret = new_secret("sh")
    link = ShareLink.objects.create(
        project=project,
        label=label.strip()[:100],
        allow_signoff=allow_signoff,
        expires_at=expires_at,
        created_by=actor,
        prefix=secret.prefix,
        secret_hash=secret.hash,
    )
    activity.record(
        actor=actor,
        verb="share_link.created",
        target=project,
        data={"link": link.pk, "allow_signoff": allow_signoff},
    )
    return link, secret.plain


@transaction.atomic
def share_link_revoke(*, link: ShareLink, actor) -> ShareLink:
    permissions.ensure(actor, SHARE_LINK_ACTION, link.project.workspace)
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
        activity.record(
            actor=actor, verb="share_link.revoked", target=link.project, data={"link": link.pk}
        )
    return link


def share_link_for(plain: str) -> ShareLink | None:
    """The active link for a presented secret; marks it viewed."""
    link = (
        ShareLink.objects.active()
        .select_related("project__workspace")
        .filter(secret_hash=hash_secret(plain))
        .first()
    )
    if link is not None:
        stamp(link, "last_viewed_at")
    return link


def calendar_feed_create(*, user, project: Project | None = None) -> tuple[CalendarFeed, str]:
    """A feed of the user's own due dates, or of one project the user can read."""
    if project is not None and not permissions.can_read(user, project.workspace):
        raise invalid(project="Choose a project you can see.")
    secret = new_secret("cal")
    feed = CalendarFeed.objects.create(
        user=user, project=project, prefix=secret.prefix, secret_hash=secret.hash
    )
    return feed, secret.plain


def calendar_feed_revoke(*, feed: CalendarFeed, actor) -> CalendarFeed:
    if actor is not None and actor.pk != feed.user_id and not actor.is_superuser:
        raise permissions.PermissionDenied("Only the feed's owner can revoke it.")
    if feed.revoked_at is None:
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
    return feed


def calendar_feed_for(plain: str) -> CalendarFeed | None:
    feed = CalendarFeed.objects.active().select_related("user", "project__workspace")
    feed = feed.filter(secret_hash=hash_secret(plain)).first()
    if feed is None or not feed.user.is_active:
        return None
    # A feed outlives nothing: once its owner leaves the project's workspace it stops.
    if feed.project is not None and not permissions.can_read(feed.user, feed.project.workspace):
        return None
    return feed
