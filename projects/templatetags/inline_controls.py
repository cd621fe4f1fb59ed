"""The inline status controls of milestone and deliverable rows.

The project page and "my work" show one of these controls on every row, hundreds per page.
Written in the template language a control cost some thirty node renders, which made up
most of those pages' time; each tag renders the same markup in one call. The partials that
the inline-change views return after an htmx post call the same tags, so the markup of a
control is defined here only. Viewers get the status badge and no form."""

import html

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeData, SafeString, mark_safe

from deliverables.models import DeliverableStatus
from deliverables.services.deliverables import TRANSITIONS, possible_moves
from milestones_site.web.id_urls import id_url
from projects.models import MilestoneStatus
from projects.templatetags.milestones_ui import status_badge, status_tone

register = template.Library()

MOVE_LABELS = {
    "start": "Start",
    "submit": "Submit for review",
    "approve": "Approve",
    "request_changes": "Request changes",
    "deliver": "Mark delivered",
}
MILESTONE_STATUS_LABELS = dict(MilestoneStatus.choices)

MILESTONE_FORM = (
    '<form class="inline-status" method="post" action="{url}" hx-post="{url}"'
    ' hx-trigger="change" hx-target="#milestone-status-{pk}" hx-swap="outerHTML">'
    '{hidden}<input type="hidden" name="version" value="{version}">'
    '<label class="visually-hidden" for="milestone-status-select-{pk}">Status of {title}</label>'
    '<select id="milestone-status-select-{pk}" class="status-select {tone}" name="status">'
    "{options}</select>"
    '<noscript><button class="btn btn--small" type="submit">Save</button></noscript></form>'
)
DELIVERABLE_FORM = (
    ' <form method="post" action="{url}" hx-post="{url}" hx-target="#deliverable-status-{pk}"'
    ' hx-swap="outerHTML" class="moves">'
    '{hidden}<input type="hidden" name="version" value="{version}">{layout}{buttons}</form>'
)
# The compact rows of the project page keep the moves in a menu; the form says so, so that
# the cell htmx swaps in after a move is a menu again.
MOVES_MENU = (
    ' <details class="menu menu--inline" data-menu><summary class="btn btn--small"'
    ' aria-label="Actions: {title}">Actions</summary><div class="menu__panel">{form}</div>'
    "</details>"
)
MENU_LAYOUT = mark_safe('<input type="hidden" name="layout" value="menu">')
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


def markup(template: str, **values) -> SafeString:
    """`format_html` for the markup these tags repeat hundreds of times a page: ints and
    values already marked safe go in as they are, any other value is escaped. format_html
    (and mark_safe) check every value for a lazy string first, which made up most of the
    tags' time."""
    return SafeString(
        template.format(
            **{
                name: value if isinstance(value, (int, SafeData)) else html.escape(str(value))
                for name, value in values.items()
            }
        )
    )


def move_button(name: str) -> str:
    """The button of one move, with `{title}` and `{pk}` left for `markup` to fill."""
    return (MOVE_WITH_NOTE if name == "request_changes" else MOVE_BUTTON).format(
        name=name,
        label=MOVE_LABELS[name],
        primary=" btn--primary" if name == "approve" else "",
        title="{title}",
        pk="{pk}",
    )


MOVE_BUTTONS = {name: move_button(name) for name in MOVE_LABELS}


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
DELIVERABLE_BADGES = {status: status_badge(status) for status in DeliverableStatus.values}
MILESTONE_BADGES = {status: status_badge(status) for status in MilestoneStatus.values}


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
    if not (conflict or error):
        return ""
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


def saved_note(saved: bool | str, label: str) -> str:
    """After an inline change: words to show (a celebration) in sight, else a screen-reader
    note of the new status."""
    if isinstance(saved, str) and saved:
        return markup('<span class="celebration" role="status">{words}</span>', words=saved)
    if saved:
        return markup(
            '<span class="visually-hidden" role="status">Saved: {label}</span>', label=label
        )
    return ""


@register.simple_tag(takes_context=True)
def milestone_status_cell(context, milestone, conflict="", error="", saved: bool | str = False):
    """A select that posts on change for roles that may update milestones, else a badge."""
    pk, status = milestone.pk, milestone.status
    label = MILESTONE_STATUS_LABELS[status]
    if "milestone.update" in context["allowed"]:
        control = markup(
            MILESTONE_FORM,
            url=id_url("projects:milestone_status", pk),
            pk=pk,
            hidden=hidden_fields(context),
            version=milestone.version,
            title=milestone.title,
            options=MILESTONE_STATUS_OPTIONS[status],
            tone=status_tone(status),
        )
    else:
        control = MILESTONE_BADGES[status]
    return markup(
        '<div class="inline-cell" id="milestone-status-{pk}">{control}{messages}{saved}</div>',
        pk=pk,
        control=control,
        messages=inline_messages(context, conflict, error),
        saved=saved_note(saved, label),
    )


@register.simple_tag(takes_context=True)
def deliverable_status_cell(context, deliverable, conflict="", error="", menu=False):
    """The deliverable's status badge and a button per review-cycle move the role allows,
    in a menu when `menu` is on."""
    pk, status = deliverable.pk, deliverable.status
    form = ""
    moves = deliverable_moves(status, context["allowed"])
    if moves:
        buttons = "".join(MOVE_BUTTONS[name] for name in moves)
        form = markup(
            DELIVERABLE_FORM,
            url=id_url("deliverables:deliverable_move", pk),
            pk=pk,
            hidden=hidden_fields(context),
            version=deliverable.version,
            layout=MENU_LAYOUT if menu else "",
            buttons=markup(buttons, title=deliverable.title, pk=pk),
        )
        if menu:
            form = markup(MOVES_MENU, title=deliverable.title, form=form)
    return markup(
        '<span class="inline-cell" id="deliverable-status-{pk}">{badge}{form}{messages}</span>',
        pk=pk,
        badge=DELIVERABLE_BADGES[status],
        form=form,
        messages=inline_messages(context, conflict, error),
    )
