"""The rows of the proofing resources of the REST API, scoped to the reader and prefetched
for their representations (a fixed number of queries for a page of any length)."""

from django.db.models import Prefetch, QuerySet

from deliverables.models import DeliverableVersion, ProofComment, ProofFile, ReviewRound
from milestones_site.querysets.names import person_name


def version_rows(reader) -> QuerySet:
    files = ProofFile.objects.order_by("position")
    return (
        DeliverableVersion.objects.visible_to(reader)
        .annotate(uploaded_by_name=person_name("uploaded_by"))
        .prefetch_related(Prefetch("files", queryset=files))
    )


def review_round_rows(reader) -> QuerySet:
    return (
        ReviewRound.objects.visible_to(reader)
        .select_related("opened_on", "version_seen")
        .annotate(opened_by_name=person_name("opened_by"), reviewer_person=person_name("reviewer"))
    )


def proof_comment_rows(reader) -> QuerySet:
    return (
        ProofComment.objects.visible_to(reader)
        .select_related("on_version")
        .annotate(author_person=person_name("author"), resolved_by_name=person_name("resolved_by"))
    )


def proof_file_rows(reader) -> QuerySet:
    return ProofFile.objects.visible_to(reader)
