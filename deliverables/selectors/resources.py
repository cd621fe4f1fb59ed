"""The rows each REST resource of this app shows, scoped to the reader and annotated with
what its representation carries (see projects.selectors.resources)."""

from datetime import date

from django.db.models import F, QuerySet

from deliverables.models import ChecklistItem, Deliverable
from milestones_site.querysets.names import person_name
from projects.selectors.resources import reader_today


def deliverable_rows(reader, today: date | None = None) -> QuerySet:
    today = today or reader_today(reader)
    return (
        Deliverable.objects.visible_to(reader)
        .with_derived(today=today)
        .annotate(
            milestone_title=F("milestone__title"),
            project_pk=F("milestone__project_id"),
            project_name=F("milestone__project__name"),
        )
    )


def checklist_item_rows(reader) -> QuerySet:
    items = ChecklistItem.objects.visible_to(reader)
    return items.annotate(done_by_name=person_name("done_by"))
