"""CSV exports of milestones and deliverables: the rows (one query, streamed in chunks)
and the columns, with the derived values (health, slip, overdue) computed in the database
like everywhere else."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import models
from django.db.models import ExpressionWrapper, Q, QuerySet
from django.utils import timezone

from deliverables.models import Deliverable
from projects.activity import display_name
from projects.models import Milestone, MilestoneHealth
from projects.statuses import DELIVERABLE_DONE_STATUSES

CHUNK_SIZE = 500
# A cell starting with one of these is a formula to a spreadsheet; prefixing a quote keeps
# a milestone titled "=HYPERLINK(…)" plain text (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]


def _date(value: date | None) -> str:
    return value.isoformat() if value else ""


def _moment(value: datetime | None) -> str:
    return timezone.localtime(value).isoformat(timespec="minutes") if value else ""


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _client(project) -> str:
    return project.client.name if project.client_id else ""


def _number(value) -> str:
    return "" if value is None else str(value)


MILESTONE_COLUMNS = (
    Column("Project", lambda m: m.project.name),
    Column("Client", lambda m: _client(m.project)),
    Column("Phase", lambda m: m.phase.name if m.phase_id else ""),
    Column("Milestone", lambda m: m.title),
    Column("Category", lambda m: m.get_category_display()),
    Column("Status", lambda m: m.get_status_display()),
    Column("Owner", lambda m: display_name(m.owner)),
    Column("Due date", lambda m: _date(m.due_date)),
    Column("Baseline due date", lambda m: _date(m.baseline_due_date)),
    Column("Slip (days)", lambda m: m.slip_days),
    Column("Overdue", lambda m: _yes_no(m.is_overdue)),
    Column("Health", lambda m: MilestoneHealth(m.health).label),
    Column("Deliverables done", lambda m: m.deliverables_done),
    Column("Deliverables total", lambda m: m.deliverables_total),
    Column("Completed at", lambda m: _moment(m.completed_at)),
    Column("KPI", lambda m: m.kpi_name),
    Column("KPI target", lambda m: _number(m.kpi_target)),
    Column("KPI actual", lambda m: _number(m.kpi_actual)),
    Column("KPI unit", lambda m: m.kpi_unit),
)

DELIVERABLE_COLUMNS = (
    Column("Project", lambda d: d.milestone.project.name),
    Column("Client", lambda d: _client(d.milestone.project)),
    Column("Milestone", lambda d: d.milestone.title),
    Column("Deliverable", lambda d: d.title),
    Column("Kind", lambda d: d.get_kind_display()),
    Column("Status", lambda d: d.get_status_display()),
    Column("Owner", lambda d: display_name(d.owner)),
    Column("Due date", lambda d: _date(d.due_date)),
    Column("Overdue", lambda d: _yes_no(d.is_overdue)),
    Column("Approved by", lambda d: d.approver_name if d.approved_at else ""),
    Column("Approved at", lambda d: _moment(d.approved_at)),
    Column("Link", lambda d: d.link),
)


def milestones_for_export(*, projects: QuerySet, today: date) -> QuerySet:
    """Every milestone of `projects` (already scoped to the reader) with its derived values."""
    return (
        Milestone.objects.filter(project__in=projects.values("pk"))
        .with_derived(today=today)
        .select_related("project__client", "phase", "owner")
        .order_by("project__name", "project_id", "due_date", "id")
    )


def deliverables_for_export(*, projects: QuerySet, today: date) -> QuerySet:
    """Every deliverable of `projects` (already scoped to the reader), flagged when overdue."""
    return (
        Deliverable.objects.filter(milestone__project__in=projects.values("pk"))
        .annotate(
            is_overdue=ExpressionWrapper(
                Q(due_date__lt=today) & ~Q(status__in=DELIVERABLE_DONE_STATUSES),
                output_field=models.BooleanField(),
            )
        )
        .select_related("milestone__project__client", "owner", "approved_by")
        .order_by("milestone__project__name", "milestone__project_id", "due_date", "id")
    )


def _cell(value) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return f"'{value}"
    return value


def csv_rows(columns: tuple[Column, ...], rows: QuerySet) -> Iterator[list]:
    """The header row, then one row per object, fetched in chunks as they are written."""
    yield [column.header for column in columns]
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        yield [_cell(column.value(row)) for column in columns]
