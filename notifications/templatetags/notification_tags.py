"""Template helpers for notification emails."""

from django import template

from notifications.digests import SECTIONS
from notifications.links import absolute as absolute_url
from notifications.models import Notification
from notifications.selectors import following

register = template.Library()


@register.filter
def absolute(path: str) -> str:
    return absolute_url(path)


@register.filter
def digest_sections(notification: Notification) -> list[tuple[str, list[dict]]]:
    """The digest's non-empty sections in reading order, with their headings."""
    sections = notification.data.get("sections", {})
    return [(title, sections[name]) for name, title in SECTIONS if sections.get(name)]


@register.inclusion_tag("notifications/partials/follow_button.html", takes_context=True)
def follow_button(context, subject):
    """`{% follow_button project %}` or `{% follow_button milestone %}` on a page."""
    request = context["request"]
    model = subject._meta.model_name
    return {
        "action": f"/notifications/follow/{model}/{subject.pk}/",
        "following": following(request.user, subject),
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
