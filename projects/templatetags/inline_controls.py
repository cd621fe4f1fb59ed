"""The inline status controls of milestone and deliverable rows.

The project page and "my work" show one of these controls on every row, hundreds per page.
Written in the template language a control cost some thirty node renders, which made up
most of those pages' time; each tag renders the same markup in one call. The partials that
the inline-change views return after an htmx post call the same tags, so the markup of a
control is defined here only. Viewers get the status badge and no form."""

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from deliverables.models import DeliverableStatus
from deliverables.services import TRANSITIONS, possible_moves

from ..id_urls import id_url
from ..models import MilestoneStatus

register = template.Library()

MOVE_LABELS = {
    "start": "Start",
    "submit": "Submit for review",
    "approve": "Approve",
    "request_changes": "Request changes",
    "deliver": "Mark delivered",
}
MILESTONE_STATUS_LABELS = dict(MilestoneStatus.choices)
DELIVERABLE_STATUS_LABELS = dict(DeliverableStatus.choices)

MILESTONE_FORM = (
    '<form class="inline-status" method="post" action="{url}" hx-post="{url}"'
    ' hx-trigger="change" hx-target="#milestone-status-{pk}" hx-swap="outerHTML">'
    '{hidden}<input type="hidden" name="version" value="{version}">'
    '<label class="visually-hidden" for="milestone-status-select-{pk}">Status of {title}</label>'
    '<select id="milestone-status-select-{pk}" name="status">{options}</select>'
    '<noscript><button class="btn btn--small" type="submit">Save</button></noscript></form>'
)
DELIVERABLE_FORM = (
    ' <form method="post" action="{url}" hx-post="{url}" hx-target="#deliverable-status-{pk}"'
    ' hx-swap="outerHTML" class="moves">'
    '{hidden}<input type="hidden" name="version" value="{version}">{buttons}</form>'
)
MOVE_BUTTON = (
    '<button class="btn btn--small{primary}" type="submit" name="move" value="{name}"'
    ' aria-label="{label}: {title}">{label}</button>'
)
# Sending a deliverable back asks what needs to change first.
MOVE_WITH_NOTE = (
    '<details class="move-note"><summary class="btn btn--small">{label}</summary>'
    '<span class="inline-status"><label class="visually-hidden" for="note-{pk}">'
    "What needs to change in {title}</label>"
    '<input type="text" id="note-{pk}" name="note" placeholder="What needs to change?">'
    '<button class="btn btn--small" type="submit" name="move" value="{name}">Send back</button>'
    "</span></details>"
)


def status_options(selected: str) -> str:
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (value, " selected" if value == selected else "", label)
            for value, label in MilestoneStatus.choices
        ),
    )


# Every row offers the same options; only the selected one differs.
MILESTONE_STATUS_OPTIONS = {value: status_options(value) for value in MilestoneStatus.values}


def hidden_fields(context) -> str:
    """The CSRF token and where a plain post returns to: the same for every row of a page,
    so rendered once per page."""
    key = "inline_controls.hidden_fields"
    if key not in context.render_context:
        next_url = context.get("next_url") or context["request"].get_full_path()
        context.render_context[key] = format_html(
            '{}<input type="hidden" name="next" value="{}">',
            CsrfTokenNode().render(context),
            next_url,
        )
    return context.render_context[key]


def inline_messages(context, conflict: str, error: str) -> str:
    """Why an inline change was refused: a stale row (with a reload link) or a bad value."""
    messages = []
    if conflict:
        messages.append(
            format_html(
                '<span class="inline-error" role="alert">{} <a href="{}">Reload</a></span>',
                conflict,
                context.get("next_url", ""),
            )
        )
    if error:
        messages.append(format_html('<span class="inline-error" role="alert">{}</span>', error))
    return mark_safe("".join(messages))  # each part built by format_html


def deliverable_moves(status: str, allowed) -> list[str]:
    """The review-cycle moves from `status` that the viewer's role allows."""
    return [name for name in possible_moves(status) if TRANSITIONS[name].action.value in allowed]


@register.simple_tag(takes_context=True)
def milestone_status_cell(context, milestone, conflict="", error="", saved=False):
    """A select that posts on change for roles that may update milestones, else a badge."""
    pk, status = milestone.pk, milestone.status
    label = MILESTONE_STATUS_LABELS[status]
    if "milestone.update" in context["allowed"]:
        control = format_html(
            MILESTONE_FORM,
            url=id_url("projects:milestone_status", pk),
            pk=pk,
            hidden=hidden_fields(context),
            version=milestone.version,
            title=milestone.title,
            options=MILESTONE_STATUS_OPTIONS[status],
        )
    else:
        control = format_html('<span class="badge badge--{}">{}</span>', status, label)
    return format_html(
        '<div class="inline-cell" id="milestone-status-{}">{}{}{}</div>',
        pk,
        control,
        inline_messages(context, conflict, error),
        format_html('<span class="visually-hidden" role="status">Saved: {}</span>', label)
        if saved
        else "",
    )


@register.simple_tag(takes_context=True)
def deliverable_status_cell(context, deliverable, conflict="", error=""):
    """The deliverable's status badge and a button per review-cycle move the role allows."""
    pk, status, title = deliverable.pk, deliverable.status, deliverable.title
    form = ""
    moves = deliverable_moves(status, context["allowed"])
    if moves:
        buttons = [
            format_html(
                MOVE_WITH_NOTE if name == "request_changes" else MOVE_BUTTON,
                name=name,
                label=MOVE_LABELS[name],
                title=title,
                pk=pk,
                primary=" btn--primary" if name == "approve" else "",
            )
            for name in moves
        ]
        form = format_html(
            DELIVERABLE_FORM,
            url=id_url("deliverables:deliverable_move", pk),
            pk=pk,
            hidden=hidden_fields(context),
            version=deliverable.version,
            buttons=mark_safe("".join(buttons)),  # each built by format_html
        )
    return format_html(
        '<span class="inline-cell" id="deliverable-status-{pk}">'
        '<span class="badge badge--{status}" data-status="{status}">{label}</span>{form}'
        "{messages}</span>",
        pk=pk,
        status=status,
        label=DELIVERABLE_STATUS_LABELS[status],
        form=form,
        messages=inline_messages(context, conflict, error),
    )
