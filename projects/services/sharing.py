"""Share links: a read-only project page for people without an account, optionally with
client sign-off. Made and revoked by those who may update the project; every change is
recorded in the audit log."""

from datetime import datetime

from django.db import transaction

from milestones_site.services.editing import validate
from projects import activity, permissions
from projects.models import Project, ShareLink
from projects.permissions import Action
from projects.services.access import ensure_future, revoke

SHARE_LINK_ACTION = Action.PROJECT_UPDATE


@transaction.atomic
def share_link_create(
    *,
    project: Project,
    actor,
    label: str = "",
    allow_signoff: bool = False,
    expires_at: datetime | None = None,
) -> tuple[ShareLink, str]:
    """A new link to the project's page; the plain secret is returned once."""
    permissions.ensure(actor, SHARE_LINK_ACTION, project.workspace)
    ensure_future(expires_at)
    link = ShareLink(
        project=project,
        label=label.strip()[:100],
        allow_signoff=allow_signoff,
        expires_at=expires_at,
        created_by=actor,
    )
    plain = link.set_new_secret()
    validate(link)
    link.save()
    activity.record(
        actor=actor,
        verb="share_link.created",
        target=project,
        data={"link": link.pk, "allow_signoff": allow_signoff},
    )
    return link, plain


@transaction.atomic
def share_link_revoke(*, link: ShareLink, actor) -> ShareLink:
    """The link stops working at once; it stays listed, revoked."""
    permissions.ensure(actor, SHARE_LINK_ACTION, link.project.workspace)
    data = {"link": link.pk}
    return revoke(link, actor=actor, verb="share_link.revoked", target=link.project, data=data)


def share_link_for(plain: str) -> ShareLink | None:
    """The active link for a presented secret; marks it viewed."""
    link = ShareLink.objects.presented(plain).select_related("project__workspace").first()
    if link is not None:
        link.mark_presented("last_viewed_at")
    return link
