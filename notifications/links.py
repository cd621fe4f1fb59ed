"""Absolute links back to the pages, for emails and webhook payloads."""

from django.conf import settings
from django.urls import NoReverseMatch, reverse

# The page each subject opens, by URL name; the first name that resolves wins, so the
# links follow the projects app's pages as they are added.
PAGE_NAMES = {
    "milestone": ("projects:milestone_detail", "projects:milestone"),
    "deliverable": ("deliverables:deliverable_detail", "deliverables:deliverable"),
    "project": ("projects:project_detail", "projects:project"),
}


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def page_path(model: str, pk: int) -> str:
    """The path of a subject's page, or the notification centre when it has none."""
    for name in PAGE_NAMES.get(model, ()):
        try:
            return reverse(name, args=[pk])
        except NoReverseMatch:
            continue
    return reverse("notifications:centre")
