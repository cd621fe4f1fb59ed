"""`unread_notifications` for the navigation's bell: counted only if the page shows it (or
its validator asks), once per request."""

from django.utils.functional import SimpleLazyObject

from notifications.selectors import unread_count


def unread_for(request) -> int:
    """The signed-in person's unread count, counted once per request."""
    if "_unread_notifications" not in request.__dict__:
        request.__dict__["_unread_notifications"] = unread_count(request.user)
    return request.__dict__["_unread_notifications"]


def unread_notifications(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_for(request))}
