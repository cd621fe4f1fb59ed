"""The tables of the settings page, declared once each: their columns, what a row shows in
each, the row's action, and how a row is added. One template
(projects/settings/section.html) draws every one of them."""

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from projects.activity import display_name


@dataclass(frozen=True)
class Cell:
    """One cell: `kind` says how the template draws it (text, title, person, link, date,
    state, role, edit, action); `value` and `extra` are what it draws."""

    kind: str
    value: Any = None
    extra: Any = None


@dataclass
class Page:
    """What the tables need of the page: the reader and the forms it shows."""

    user: Any
    context: dict

    def add_form(self, url_name: str, form_name: str, heading: str, button: str) -> tuple:
        return reverse(url_name), self.context[form_name], heading, button


@dataclass
class Section:
    anchor: str
    title: str
    columns: list[str]
    rows: list[list[Cell]]
    intro: str = ""
    empty: tuple[str, str] = ("", "")
    # The add form: (url, form, heading, button), or None with a `note` on who may add.
    add: tuple | None = None
    note: str = ""
    errors: list[str] = field(default_factory=list)


def title(text: str, code: str = "") -> Cell:
    return Cell("title", text, code)


def action(url: str, label: str, name: str) -> Cell:
    return Cell("action", url, (label, name))


def no_action() -> Cell:
    return Cell("text", "")


def members(page, memberships, *, can_manage: bool) -> Section:
    def row(membership) -> list[Cell]:
        user = membership.user
        contact = user.get_username() + (f" · {user.email}" if user.email else "")
        cells = [
            Cell("person", display_name(user), contact),
            Cell("role", membership, can_manage),
        ]
        if can_manage:
            remove = reverse("projects:member_remove", args=[membership.pk])
            own = membership.user_id == page.user.pk
            cells.append(no_action() if own else action(remove, "Remove", user.get_username()))
        return cells

    return Section(
        anchor="members",
        title="Members and roles",
        columns=["Person", "Role", *([""] if can_manage else [])],
        rows=[row(membership) for membership in memberships],
        add=page.add_form("projects:member_add", "member_form", "Add a member", "Add member")
        if can_manage
        else None,
        note="Only workspace owners add members or change roles.",
        errors=page.context.get("members_errors", []),
    )


def clients(page, rows, *, can_edit: bool) -> Section:
    dashboard = reverse("projects:dashboard")

    def row(client) -> list[Cell]:
        cells = [
            title(client.name),
            Cell("link", client.contact_email, f"mailto:{client.contact_email}")
            if client.contact_email
            else Cell("text", "—"),
            Cell("link", client.project_count, f"{dashboard}?client={client.pk}")
            if client.project_count
            else Cell("text", 0),
        ]
        if can_edit:
            edit = reverse("projects:client_edit", args=[client.pk])
            cells.append(Cell("edit", edit, client.name))
        return cells

    return Section(
        anchor="clients",
        title="Clients",
        intro="The companies your campaigns are for. A project names its client; the "
        "portfolio filters by it.",
        columns=["Client", "Contact", "Projects", *([""] if can_edit else [])],
        rows=[row(client) for client in rows],
        empty=(
            "No clients yet",
            "Add the companies you run campaigns for, then pick one on each project.",
        ),
        add=page.add_form("projects:client_create", "client_form", "Add a client", "Add client")
        if can_edit
        else None,
        note="Managers and owners add and edit clients.",
    )


def revoke(url_name: str, secret, name: str) -> Cell:
    if secret.revoked_at:
        return no_action()
    return action(reverse(url_name, args=[secret.pk]), "Revoke", name)


def share_links(page, links, *, can_share: bool) -> Section:
    def row(link) -> list[Cell]:
        cells = [
            title(link.label or "Untitled link", f"{link.prefix}…"),
            Cell("text", link.project.name),
            Cell("text", "Allowed" if link.allow_signoff else "Read-only"),
            Cell("date", link.last_viewed_at, ("Never", "j M Y H:i")),
            Cell("state", link),
        ]
        if can_share:
            cells.append(revoke("projects:share_link_revoke", link, str(link)))
        return cells

    return Section(
        anchor="share-links",
        title="Share links",
        intro="A share link shows one project read-only to people without an account; with "
        "sign-off allowed they can approve deliverables in review.",
        columns=["Link", "Project", "Sign-off", "Last opened", "State"]
        + ([""] if can_share else []),
        rows=[row(link) for link in links],
        empty=("No share links yet", "Create one to show a client how their campaign is going."),
        add=page.add_form(
            "projects:share_link_create", "share_form", "Create a share link", "Create share link"
        )
        if can_share
        else None,
        note="Managers and owners create and revoke share links.",
    )


def api_tokens(page, tokens) -> Section:
    return Section(
        anchor="api-tokens",
        title="Your API tokens",
        intro="Personal tokens for the REST API at /api/v1/; they act as you, within your role.",
        columns=["Name", "Access", "Last used", "State", ""],
        rows=[
            [
                title(token.name, f"{token.prefix}…"),
                Cell("text", "Read-only" if token.read_only else "Read and write"),
                Cell("date", token.last_used_at, ("Never", "j M Y H:i")),
                Cell("state", token),
                revoke("projects:api_token_revoke", token, token.name),
            ]
            for token in tokens
        ],
        empty=("No API tokens", "Create one for an integration such as a CRM or chat bot."),
        add=page.add_form(
            "projects:api_token_create", "token_form", "Create an API token", "Create token"
        ),
    )


def calendar_feeds(page, feeds) -> Section:
    return Section(
        anchor="calendar-feeds",
        title="Your calendar feeds",
        intro="Secret iCalendar URLs with due dates for Google Calendar, Outlook or Apple "
        "Calendar.",
        columns=["Feed", "Created", "State", ""],
        rows=[
            [
                title(feed.project.name if feed.project else "My work", f"{feed.prefix}…"),
                Cell("date", feed.created_at, ("", "j M Y")),
                Cell("state", feed),
                revoke("projects:calendar_feed_revoke", feed, f"feed {feed.prefix}"),
            ]
            for feed in feeds
        ],
        empty=("No calendar feeds", "Create one to see due dates in your own calendar."),
        add=page.add_form(
            "projects:calendar_feed_create", "feed_form", "Create a calendar feed", "Create feed"
        ),
    )
