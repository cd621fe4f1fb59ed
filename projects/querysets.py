"""Chainable reads: scoping to what a user may see, and the derived values of DESIGN.md
(progress, overdue, slip, health) computed in the database so that a page of N rows costs
a constant number of queries."""

import json
from datetime import date

from django.apps import apps
from django.db import models
from django.db.models import (
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import LessThanOrEqual

from milestones_site.querysets.expressions import DaysBetween
from projects.statuses import DELIVERABLE_DONE_STATUSES, MILESTONE_CLOSED_STATUSES


def aggregate_of(queryset: models.QuerySet, group_by: str, aggregate) -> Coalesce:
    """A correlated subquery of one aggregate over `queryset`, which must already filter on
    an OuterRef; 0 when it has no rows."""
    grouped = queryset.order_by().values(group_by).annotate(value=aggregate).values("value")[:1]
    return Coalesce(Subquery(grouped, output_field=IntegerField()), 0)


# COUNT(*), not COUNT(id): counting the id makes the database read every row from the
# table, where counting rows lets it answer from an index on the filtered columns alone
# (deliverables by milestone and status: the dashboard's 25 rows in 10.5 ms, not 12.5).
ROWS = Count("*")


def count_of(queryset: models.QuerySet, group_by: str) -> Coalesce:
    """A correlated COUNT subquery: `queryset` must already filter on an OuterRef."""
    return aggregate_of(queryset, group_by, ROWS)


def percent_of(queryset: models.QuerySet, group_by: str, done: Q) -> Coalesce:
    """The rows of `queryset` matching `done`, in whole percent (0 when there are none).

    One subquery of its own: a percentage computed from the count annotations would repeat
    both count subqueries inside it, as SQL cannot refer to another column of the SELECT."""
    return aggregate_of(queryset, group_by, Count(Value(1), filter=done) * 100 / ROWS)


def deliverables():
    # Looked up lazily: milestone health depends on deliverables by the rules of the design,
    # but the projects app must not import the deliverables app.
    return apps.get_model("deliverables", "Deliverable").objects


def late_dependencies(*, today: date) -> models.QuerySet:
    """Dependencies of the milestone in OuterRef("pk") that are late: still open and either
    overdue themselves or due after the milestone that waits for them."""
    through = apps.get_model("projects", "Milestone").depends_on.through
    return through.objects.filter(
        Q(from_milestone=OuterRef("pk"))
        & ~Q(to_milestone__status__in=MILESTONE_CLOSED_STATUSES)
        & (Q(to_milestone__due_date__lt=today) | Q(to_milestone__due_date__gt=OuterRef("due_date")))
    )


def at_risk_reasons(*, today: date, warning_window) -> Q:
    """Why an open milestone that is not overdue is at risk (DESIGN.md): it is blocked, it
    waits on a late dependency, or it is due within the warning window with deliverables
    still open. `warning_window` is the workspace's warning_window_days as the calling query
    reaches it most cheaply."""
    open_deliverables = deliverables().filter(milestone=OuterRef("pk"))
    open_deliverables = open_deliverables.exclude(status__in=DELIVERABLE_DONE_STATUSES)
    due_within_warning = LessThanOrEqual(DaysBetween(F("due_date"), Value(today)), warning_window)
    return (
        Q(status="blocked")
        | (Q(due_within_warning) & Exists(open_deliverables))
        | Exists(late_dependencies(today=today))
    )


def milestone_at_risk(*, today: date, warning_window) -> Q:
    """Milestones whose health is at_risk: open, not overdue, and one of `at_risk_reasons`.

    A filter on the `health` annotation would evaluate the whole CASE, subqueries and all,
    for every milestone; this tests the cheap columns first."""
    return (
        ~Q(status__in=MILESTONE_CLOSED_STATUSES)
        & Q(due_date__gte=today)
        & at_risk_reasons(today=today, warning_window=warning_window)
    )


class IdListField(models.Field):
    """A list of ids as the database returns it: an array (PostgreSQL) or JSON (SQLite)."""

    def from_db_value(self, value, expression, connection):
        return json.loads(value) if isinstance(value, str) else value


class IdList(Subquery):
    """The values of the `item` column a subquery selects, in its order, as a list: the
    ids of a to-many relation in the row's own query rather than a query per page."""

    template = "(SELECT json_group_array(item) FROM (%(subquery)s))"
    output_field = IdListField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="ARRAY(%(subquery)s)", **extra)


def readable_workspace_ids(user) -> models.QuerySet:
    """Ids of the workspaces whose content `user` may read (a subquery, not a list): every
    member reads everything in their workspaces, a superuser every workspace. This is the
    scope of every read; who may change what is decided in projects.permissions."""
    workspaces = apps.get_model("projects", "Workspace").objects
    if user is None or not user.is_authenticated:
        return workspaces.none().values("pk")
    if user.is_superuser:
        return workspaces.values("pk")
    memberships = apps.get_model("projects", "Membership").objects
    return memberships.filter(user=user).values("workspace_id")


class WorkspaceScopedQuerySet(models.QuerySet):
    """Rows that belong to a workspace, whose id the model's `workspace_path` reaches."""

    def visible_to(self, user):
        path = getattr(self.model, "workspace_path", "project__workspace_id")
        return self.filter(**{f"{path}__in": readable_workspace_ids(user)})


class MilestoneQuerySet(WorkspaceScopedQuerySet):
    def open(self):
        return self.exclude(status__in=MILESTONE_CLOSED_STATUSES)

    def overdue(self, *, today: date):
        return self.open().filter(due_date__lt=today)

    def with_health(self, *, today: date):
        """Annotate is_overdue, has_late_dependency and health (see DESIGN.md rules)."""
        # Conditions themselves, not `has_late_dependency=True`: a lookup on an annotation
        # re-resolves the whole subquery every time the query is compiled.
        at_risk = at_risk_reasons(
            today=today, warning_window=F("project__workspace__warning_window_days")
        )
        return self.annotate(
            is_overdue=ExpressionWrapper(
                Q(due_date__lt=today) & ~Q(status__in=MILESTONE_CLOSED_STATUSES),
                output_field=models.BooleanField(),
            ),
            has_late_dependency=Exists(late_dependencies(today=today)),
            health=Case(
                When(status="completed", then=Value("completed")),
                When(status="cancelled", then=Value("cancelled")),
                When(due_date__lt=today, then=Value("off_track")),
                When(at_risk, then=Value("at_risk")),
                default=Value("on_track"),
                output_field=models.CharField(),
            ),
        )

    def with_dependency_ids(self):
        """`depends_on_ids`: the milestones this one waits for, earliest due first."""
        waits_for = self.model.depends_on.through.objects.filter(from_milestone=OuterRef("pk"))
        waits_for = waits_for.order_by("to_milestone__due_date", "to_milestone_id")
        return self.annotate(depends_on_ids=IdList(waits_for.values(item=F("to_milestone_id"))))

    def with_derived(self, *, today: date):
        """Health plus slip_days and deliverable counts: what a milestone row shows."""
        of_milestone = deliverables().filter(milestone=OuterRef("pk"))
        done = of_milestone.filter(status__in=DELIVERABLE_DONE_STATUSES)
        return self.with_health(today=today).annotate(
            slip_days=DaysBetween(F("due_date"), F("baseline_due_date")),
            deliverables_total=count_of(of_milestone, "milestone"),
            deliverables_done=count_of(done, "milestone"),
        )


class ProjectQuerySet(WorkspaceScopedQuerySet):
    def with_progress(self):
        """Milestone and deliverable counts and progress percentages.

        Cancelled milestones leave the scope: they are neither done nor to do."""
        milestone_model = self.model.milestones.rel.related_model
        milestones = milestone_model.objects.filter(project=OuterRef("pk")).exclude(
            status="cancelled"
        )
        project_deliverables = deliverables().filter(milestone__project=OuterRef("pk"))
        project_deliverables = project_deliverables.exclude(milestone__status="cancelled")
        completed = Q(status="completed")
        done = Q(status__in=DELIVERABLE_DONE_STATUSES)
        return self.annotate(
            milestones_total=count_of(milestones, "project"),
            milestones_completed=count_of(milestones.filter(completed), "project"),
            milestone_progress=percent_of(milestones, "project", completed),
            deliverables_total=count_of(project_deliverables, "milestone__project"),
            deliverables_done=count_of(project_deliverables.filter(done), "milestone__project"),
            deliverable_progress=percent_of(project_deliverables, "milestone__project", done),
        )

    def with_health(self, *, today: date):
        """Latest status update's health, else the worst open milestone's, plus overdue count.

        An open milestone is off_track exactly when it is overdue."""
        milestone_model = self.model.milestones.rel.related_model
        status_update_model = self.model.status_updates.rel.related_model
        milestones = milestone_model.objects.filter(project=OuterRef("pk"))
        overdue = milestones.overdue(today=today)
        latest_update = status_update_model.objects.filter(project=OuterRef("pk")).order_by(
            "-created_at", "-id"
        )
        latest_update_health = Subquery(latest_update.values("health")[:1])
        window = OuterRef("workspace__warning_window_days")
        return self.annotate(
            overdue_count=count_of(overdue, "project"),
            latest_update_health=latest_update_health,
            health=Coalesce(
                latest_update_health,
                Case(
                    When(Exists(overdue), then=Value("off_track")),
                    When(
                        Exists(
                            milestones.filter(milestone_at_risk(today=today, warning_window=window))
                        ),
                        then=Value("at_risk"),
                    ),
                    default=Value("on_track"),
                ),
                output_field=models.CharField(),
            ),
        )

    def with_overview(self, *, today: date):
        """Progress, health and the next milestone: what every project row shows."""
        return self.with_progress().with_health(today=today).with_next_milestone()

    def with_next_milestone(self):
        """The earliest open milestone's title and due date."""
        milestone_model = self.model.milestones.rel.related_model
        upcoming = (
            milestone_model.objects.filter(project=OuterRef("pk")).open().order_by("due_date", "id")
        )
        return self.annotate(
            next_milestone_id=Subquery(upcoming.values("pk")[:1]),
            next_milestone_title=Subquery(upcoming.values("title")[:1]),
            next_milestone_due=Subquery(upcoming.values("due_date")[:1]),
        )


class TemplateQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Built-in playbooks for anyone signed in, plus their own workspaces' templates."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(workspace__isnull=True) | Q(workspace_id__in=readable_workspace_ids(user))
        )

    def with_summary(self):
        """`phase_count`, `milestone_count`, `deliverable_count`, `anchor_title` (the
        milestone a backward plan lands on: the marked anchor, else the last one, as in
        planning.anchor_of) and `plans_backward` (an anchor is marked)."""
        phases = self.model.phases.rel.related_model.objects.filter(template=OuterRef("pk"))
        milestone_model = self.model.milestones.rel.related_model
        milestones = milestone_model.objects.filter(template=OuterRef("pk"))
        deliverable_model = milestone_model.deliverables.rel.related_model
        deliverables = deliverable_model.objects.filter(milestone__template=OuterRef("pk"))
        return self.annotate(
            phase_count=count_of(phases, "template"),
            milestone_count=count_of(milestones, "template"),
            deliverable_count=count_of(deliverables, "milestone__template"),
            anchor_title=Subquery(
                milestones.order_by("-is_anchor", "-offset_days", "-id").values("title")[:1]
            ),
            plans_backward=Exists(milestones.filter(is_anchor=True)),
        )
