"""The project page's rows: milestones with their deliverables in the plan table, and
milestones on the timeline.

The page shows every milestone of the project (50 in the largest) with every deliverable
(200), and each milestone again on the timeline. Written in the template language these
rows took some 2,000 node renders, most of the page's render time; each tag renders the same
markup in one call per row. Owners come as `owner_name` and deliverables as
`deliverable_list` (see selectors.project_detail)."""

from urllib.parse import quote

from django import template
from django.template.defaultfilters import floatformat
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from milestones_site.web.id_urls import id_url
from projects.models import MilestoneCategory
from projects.templatetags.inline_controls import (
    deliverable_status_cell,
    markup,
    milestone_status_cell,
)
from projects.templatetags.milestones_ui import (
    STATUS_LABELS,
    formatted_day,
    health_badge,
    slip_badge,
    status_tone,
)

register = template.Library()

CATEGORY_LABELS = dict(MilestoneCategory.choices)

# A milestone's row, then a compact row per deliverable in the same columns (its review
# moves in a menu in the status cell). The columns' widths are the table's <colgroup>, so
# they line up from one phase's table to the next.
MILESTONE_ROW = (
    '<tr id="milestone-{pk}" class="plan__milestone {tone}">\n'
    '<td data-label="Milestone"><a class="rowtitle" href="{url}">{title}</a>'
    '<div class="muted small">{category}</div></td>\n'
    '<td data-label="Status">{status}</td>\n'
    '<td data-label="Owner">{owner}</td>\n'
    '<td data-label="Due" class="nowrap">{due} {slip}</td>\n'
    '<td data-label="Health">{health}</td>\n'
    '<td data-label="KPI">{kpi}</td>\n'
    '<td data-label="Deliverables">{count}{add}</td>\n'
    "</tr>{deliverables}"
)
KPI = '<span class="kpi">{name}: {actual} / {target} {unit}</span>'
NO_KPI = mark_safe('<span class="muted">—</span>')
ADD_DELIVERABLE = '<a class="small plan__add" href="{url}?next={back}">+ Add deliverable</a>'
DELIVERABLE_COUNT = '<span class="small">{done} of {total} approved</span>'
DELIVERABLE_ROW = (
    '\n<tr class="plan__deliverable">'
    '<td data-label="Deliverable"><a class="plan__deliverable-title" href="{url}">{title}</a>'
    "{link}</td>"
    '<td data-label="Status">{cell}</td>'
    '<td data-label="Owner">{owner}</td>'
    '<td data-label="Due" class="nowrap">{due}</td>'
    '<td colspan="3"></td></tr>'
)
EXTERNAL_LINK = (
    ' <a class="plan__external" href="{link}" rel="noopener noreferrer" target="_blank"'
    ' aria-label="The work itself: {title} (opens a new tab)" title="Open the work">↗</a>'
)
NO_DELIVERABLES = mark_safe('<span class="muted small">None</span>')

# The full label is the link's name and its tooltip; its text is drawn whole (so the name
# holds what is seen) and fades out before the plot. The baseline's hollow marker is drawn
# last, over the diamond, so it always shows.
TIMELINE_MILESTONE = (
    '<a href="{url}" class="timeline-milestone" data-milestone="{pk}" aria-label="{full}">'
    "<title>{full}</title>\n"
    '<text x="20" y="{text_y}" mask="url(#timeline-label-fade)">{label}</text>\n'
    "{slip_line}"
    '<polygon class="diamond {tone}" data-health="{health}" points="{diamond}"/>\n'
    "{ghost}"
    "</a>"
)
TIMELINE_SLIP_LINE = '<line class="slip-line {tone}" x1="{ghost_x}" x2="{x}" y1="{y}" y2="{y}"/>\n'
# A milestone whose health says it is closed: its slip is history, not lateness.
CLOSED_HEALTH = ("completed", "cancelled")
TIMELINE_GHOST = '<polygon class="ghost" points="{ghost}" data-baseline="{baseline}"/>\n'


def kpi_figure(value) -> str:
    return floatformat(value, "-2g") or "—"


def back_here(context) -> str:
    """This page's address as the `next` of the links that leave it, quoted once a page."""
    key = "project_plan.back_here"
    if key not in context.render_context:
        context.render_context[key] = quote(context["request"].get_full_path())
    return context.render_context[key]


def deliverable_rows(context, deliverables, language: str) -> str:
    """Title (linking to its page, and to the work itself when it has a link), status cell
    with the moves in a menu, owner and due day."""
    return mark_safe(
        "".join(
            markup(
                DELIVERABLE_ROW,
                url=id_url("deliverables:deliverable_detail", deliverable.pk),
                title=deliverable.title,
                link=markup(EXTERNAL_LINK, link=deliverable.link, title=deliverable.title)
                if deliverable.link
                else "",
                cell=deliverable_status_cell(context, deliverable, menu=True),
                owner=deliverable.owner_name or "Unassigned",
                due=formatted_day(deliverable.due_date, "j M Y", language)
                if deliverable.due_date
                else "",
            )
            for deliverable in deliverables
        )
    )


@register.simple_tag(takes_context=True)
def milestone_rows(context, milestones):
    """The rows of a phase's plan table."""
    language = get_language()
    return SafeString("\n".join(milestone_row(context, m, language) for m in milestones))


def milestone_row(context, milestone, language: str) -> SafeString:
    """A row of the plan table: title, status control, owner, due day and slip, health,
    KPI, how many deliverables are approved (with a link to add one while the milestone is
    open), followed by the deliverables' rows."""
    pk = milestone.pk
    add = ""
    if "deliverable.edit" in context["allowed"] and not milestone.is_closed:
        add = markup(
            ADD_DELIVERABLE,
            url=id_url("deliverables:deliverable_create", pk),
            back=back_here(context),
        )
    kpi = NO_KPI
    if milestone.kpi_name:
        kpi = markup(
            KPI,
            name=milestone.kpi_name,
            actual=kpi_figure(milestone.kpi_actual),
            target=kpi_figure(milestone.kpi_target),
            unit=milestone.kpi_unit,
        )
    return markup(
        MILESTONE_ROW,
        pk=pk,
        tone=status_tone(milestone.status),
        url=id_url("projects:milestone_detail", pk),
        title=milestone.title,
        category=CATEGORY_LABELS.get(milestone.category, milestone.category),
        status=milestone_status_cell(context, milestone),
        owner=milestone.owner_name or "Unassigned",
        due=formatted_day(milestone.due_date, "j M Y", language),
        slip=slip_badge(milestone),
        health=health_badge(milestone.health),
        kpi=kpi,
        count=markup(
            DELIVERABLE_COUNT, done=milestone.deliverables_done, total=milestone.deliverables_total
        )
        if milestone.deliverables_total
        else NO_DELIVERABLES,
        add=add,
        deliverables=deliverable_rows(context, milestone.deliverable_list, language),
    )


@register.simple_tag
def timeline_milestone(row):
    """A milestone on the timeline (a `charts.TimelineRow`): its label, a diamond at the due
    date and, when it moved, a hollow one at the baseline joined by a slip line; its full
    label, health, due date and slip are the link's name and tooltip."""
    language = get_language()
    due = formatted_day(row.due, "j M Y", language)
    full = f"{row.label} — {STATUS_LABELS[row.health].lower()}, due {due}"
    ghost = slip_line = ""
    if row.ghost:
        full += (
            f" ({row.slip_days:+d} days against the baseline,"
            f" {formatted_day(row.baseline, 'j M Y', language)})"
        )
        slip = (
            "slipped" if row.health in CLOSED_HEALTH else "slip" if row.slip_days > 0 else "ahead"
        )
        slip_line = markup(
            TIMELINE_SLIP_LINE, ghost_x=row.ghost_x, x=row.x, y=row.y, tone=status_tone(slip)
        )
        ghost = markup(TIMELINE_GHOST, ghost=row.ghost, baseline=row.baseline.isoformat())
    return markup(
        TIMELINE_MILESTONE,
        url=id_url("projects:milestone_detail", row.id),
        pk=row.id,
        full=full,
        text_y=f"{row.y + 4:g}",
        label=row.label,
        slip_line=slip_line,
        ghost=ghost,
        health=row.health,
        tone=status_tone(row.health),
        diamond=row.diamond,
    )
