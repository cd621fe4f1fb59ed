"""Template helpers for proofs: file URLs for members or for a share link's visitor, and the
review history of the deliverables a page lists (read once for all of them)."""

from django import template
from django.urls import reverse

from deliverables.selectors.proofing import ReviewHistory, review_histories

register = template.Library()


@register.simple_tag(takes_context=True)
def file_url(context, file, variant: str = "original", page: int | None = None) -> str:
    """The URL of a file, its `thumbnail` or one of its pages (`page=2`): through the share
    link on a share page (the context has its `token`), else the members' URL."""
    if page is not None:
        variant = f"page-{page}"
    token = context.get("token")
    if token:
        return reverse("deliverables:share_file", args=[token, file.pk, variant])
    return reverse("deliverables:proof_file", args=[file.pk, variant])


@register.simple_tag
def review_history_of(deliverables) -> dict[int, ReviewHistory]:
    """`{% review_history_of detail.deliverables as history %}`: rounds by deliverable id."""
    return review_histories(list(deliverables))


@register.filter
def history_for(history: dict[int, ReviewHistory], deliverable) -> ReviewHistory | None:
    return history.get(deliverable.pk)
