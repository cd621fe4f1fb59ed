"""Every page of the app, as the role that uses it, on a desk (1440x900) and on a phone
(390x844): nothing may stick out beyond the viewport's width, axe-core may find no serious or
critical accessibility violation, the Content-Security-Policy refuses nothing, and a full-page
screenshot of each goes to var/screenshots/<page>-<size>.png (kept by CI).

The pages show the demo agency (`manage.py seed_demo`: four campaigns, five people) plus what
the demo does not make: notifications, a webhook with its delivery log, a share link, an API
token and a calendar feed. Seeding that through the services takes seconds, too long to repeat
for each of the ~80 page views, so this module seeds it once, serves it with a live server of
its own and empties the database when it is done (as a transactional test does). The pages
only read; nothing here writes between the tests.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connection
from django.test import override_settings
from django.test.utils import setup_databases, teardown_databases
from django.urls import URLResolver, get_resolver, resolve
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from pytest_django.live_server_helper import LiveServer

from deliverables.models import Deliverable, ProofFile
from deliverables.rollups import recompute_everything
from deliverables.services import deliverables as deliverable_services
from deliverables.services import proofs as proof_services
from deliverables.services import versions as version_services
from milestones_site import settings as site_settings
from notifications import services as notification_services
from notifications.events import process_events
from notifications.models import Notification
from notifications.reminders import reminder_scan
from projects.demo import campaigns as plan
from projects.models import ActivityEvent, Client, Phase, Project, Template, Workspace
from projects.playbooks.services import playbooks_sync
from projects.services import access as access_services
from projects.services import sharing as sharing_services
from tests.browser.conftest import REPORT_CSP_VIOLATIONS, login, screenshot
from tests.deliverables.proof_files import pdf, png

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
SIZES = {"desk": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}
SERIOUS = {"serious", "critical"}
# The demo people by the role they sign in as; None is a visitor without an account.
LOGINS = {
    "owner": plan.ADMIN_LOGIN,
    "manager": plan.MANAGER_LOGIN,
    "member": "sam",
    "viewer": plan.STAKEHOLDER_LOGIN,
    None: None,
}


def submit_empty(form: str):
    """Send the form as it stands, past the browser's own checks: the page with its errors."""

    def step(page):
        page.locator(form).evaluate("form => form.submit()")

    return step


def preview_plan(page):
    """The playbook's plan with every computed date, before anything is created."""
    page.get_by_label("Project name").fill("Black Friday 2027")
    page.get_by_role("textbox", name="Launch / event date").fill("2027-11-26")
    page.get_by_role("button", name="Preview").click()


@dataclass(frozen=True)
class Page:
    name: str
    role: str | None
    path: str  # formatted with the seeded world's ids and secrets
    then: Callable[..., None] | None = None  # what the person does there: a form sent
    status: int = 200  # of the page shown last


PAGES = [
    Page("dashboard", "manager", "/"),
    Page("dashboard-viewer", "viewer", "/"),
    Page("my-work", "member", "/my-work/"),
    Page("my-work-manager", "manager", "/my-work/"),
    Page("calendar", "manager", "/calendar/"),
    Page("project", "manager", "/projects/{project}/"),
    Page("project-viewer", "viewer", "/projects/{project}/"),
    Page("project-activity", "manager", "/projects/{project}/activity/"),
    Page(
        "status-update-errors",
        "manager",
        "/projects/{project}/",
        then=submit_empty("form[action$='/status-updates/']"),
        status=422,
    ),
    Page("project-new", "manager", "/projects/new/"),
    Page("project-edit", "manager", "/projects/{project}/edit/"),
    Page("project-delete", "manager", "/projects/{project}/delete/"),
    Page("phase-new", "manager", "/projects/{project}/phases/new/"),
    Page("phase-edit", "manager", "/phases/{phase}/edit/"),
    Page("phase-delete", "manager", "/phases/{phase}/delete/"),
    Page("milestone", "manager", "/milestones/{milestone}/"),
    Page("milestone-new", "manager", "/projects/{project}/milestones/new/"),
    Page(
        "milestone-new-errors",
        "manager",
        "/projects/{project}/milestones/new/",
        then=submit_empty("main form.form"),
    ),
    Page("milestone-edit", "manager", "/milestones/{milestone}/edit/"),
    Page("milestone-delete", "manager", "/milestones/{milestone}/delete/"),
    Page("deliverable", "manager", "/deliverables/{deliverable}/"),
    Page("deliverable-proofs", "manager", "/deliverables/{proofed}/"),
    Page("deliverable-compare", "manager", "/deliverables/{proofed}/?compare=2&with=1"),
    Page("deliverable-new", "manager", "/milestones/{milestone}/deliverables/new/"),
    Page("deliverable-edit", "manager", "/deliverables/{deliverable}/edit/"),
    Page("deliverable-delete", "manager", "/deliverables/{deliverable}/delete/"),
    Page("playbooks", "manager", "/playbooks/"),
    Page("playbook", "manager", "/playbooks/{playbook}/"),
    Page("playbook-use", "manager", "/playbooks/{playbook}/use/"),
    Page("playbook-preview", "manager", "/playbooks/{playbook}/use/", then=preview_plan),
    Page("overdue-milestones", "manager", "/milestones/?when=overdue"),
    Page("milestones-due-soon", "viewer", "/milestones/?when=due_soon"),
    Page("awaiting-review", "manager", "/deliverables/awaiting-review/"),
    Page("settings", "owner", "/settings/"),
    Page("settings-viewer", "viewer", "/settings/"),
    Page("settings-reminders", "owner", "/settings/reminders/"),
    Page("settings-reminders-viewer", "viewer", "/settings/reminders/"),
    Page("settings-clients", "owner", "/settings/clients/"),
    Page("settings-share-links", "manager", "/settings/share-links/"),
    Page("settings-api-tokens", "member", "/settings/api-tokens/"),
    Page("settings-calendar-feeds", "member", "/settings/calendar-feeds/"),
    Page("client-edit", "owner", "/settings/clients/{client}/edit/"),
    Page("client-delete", "owner", "/settings/clients/{client}/delete/"),
    Page("notifications", "manager", "/notifications/"),
    Page("notification-preferences", "manager", "/notifications/preferences/"),
    Page("webhooks", "owner", "/notifications/webhooks/"),
    Page("webhook", "owner", "/notifications/webhooks/{webhook}/"),
    Page("password-change", "manager", "/accounts/password_change/"),
    Page("share", None, "/share/{share}/"),
    Page("sign-in", None, "/accounts/login/"),
    Page("password-reset", None, "/accounts/password_reset/"),
    Page("password-reset-sent", None, "/accounts/password_reset/done/"),
    Page("password-reset-new", None, "/accounts/reset/{reset_uid}/{reset_token}/"),
    Page("password-reset-complete", None, "/accounts/reset/done/"),
    Page("not-found", "manager", "/projects/999999/", status=404),
    Page("not-found-anonymous", None, "/no-such-page/", status=404),
]

# Every visible element whose box sticks out of the viewport's width, scrolled into reach or
# not: on a phone a table wider than the screen is as unusable in a scrolling box as without.
# Only a chart (SVG) may be wider than the screen, inside a box that scrolls sideways (which
# must fit, and which axe requires to be reachable by keyboard): a timeline shrunk to 390 px
# would be unreadable.
OVERFLOWING = """
() => {
  const width = document.documentElement.clientWidth;
  const scrollingChart = (el) => {
    const chart = el.closest("svg");
    for (let up = chart && chart.parentElement; up; up = up.parentElement) {
      if (["auto", "scroll"].includes(getComputedStyle(up).overflowX)) return true;
    }
    return false;
  };
  const describe = (el, box) => {
    const id = el.id ? `#${el.id}` : "";
    const classes = typeof el.className === "string" && el.className.trim()
      ? "." + el.className.trim().split(/\\s+/).join(".") : "";
    const text = (el.innerText || el.getAttribute("aria-label") || "").trim().slice(0, 40);
    return `${el.tagName.toLowerCase()}${id}${classes} [${Math.round(box.left)}..` +
      `${Math.round(box.right)}] ${JSON.stringify(text)}`;
  };
  const offending = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (!el.getClientRects().length || getComputedStyle(el).visibility === "hidden") continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    // Wholly left of the page is how a skip link hides until focused; half out is clipped.
    if ((box.right > width + 1 || (box.left < -1 && box.right > 0)) && !scrollingChart(el)) {
      offending.push(describe(el, box));
    }
  }
  return {
    scrollWidth: document.documentElement.scrollWidth,
    width: width,
    offending: offending,
  };
}
"""

RUN_AXE = """
async () => {
  const results = await axe.run(document, { resultTypes: ["violations"] });
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => `${n.target.join(" ")}: ${n.failureSummary.split("\\n")
      .slice(1).join(" ").trim()}`),
  }));
}
"""


@pytest.fixture(scope="module", autouse=True)
def proof_storage(tmp_path_factory):
    """The proof files of the module's world stay for all its tests (tests/conftest.py gives
    each test a folder of its own)."""
    location = tmp_path_factory.mktemp("proofs")
    with pytest.MonkeyPatch.context() as environment:
        environment.setenv("MILESTONES_FILE_STORAGE", "local")
        environment.setenv("MILESTONES_FILES_DIR", str(location))
        storages = {**settings.STORAGES, "proofs": site_settings.proof_storage()}
        with override_settings(STORAGES=storages):
            yield


@pytest.fixture(scope="module")
def test_database(django_db_setup, django_db_blocker):
    """pytest-django creates the test database only when a selected test asks for `db`;
    these tests hold theirs for the whole module, so they create it when nothing else did."""
    with django_db_blocker.unblock():
        if connection.settings_dict["NAME"] == connection.creation._get_test_db_name():
            yield
            return
        created = setup_databases(verbosity=0, interactive=False, aliases={DEFAULT_DB_ALIAS})
        yield
        teardown_databases(created, verbosity=0)


@pytest.fixture(scope="module")
def world(test_database, django_db_blocker):
    """The demo workspace and what the demo lacks, served by a live server of this module;
    the database is emptied afterwards."""
    with django_db_blocker.unblock():
        # The hasher of the tests (tests/conftest.py), or the demo's passwords would not verify.
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            call_command("seed_demo", stdout=StringIO())
            ids = seed_what_the_demo_lacks()
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        try:
            yield server, ids
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            drift = recompute_everything()
            call_command("flush", interactive=False, verbosity=0)
    assert not drift, f"stored roll-ups drifted: {drift}"


def seed_proofs(project, manager) -> Deliverable:
    """A deliverable of the project in review with two versions (an image, then the image
    again and a two-page PDF), their previews made as the worker would, and a pinned comment:
    what its page, the share page and the side-by-side view show."""
    deliverable = Deliverable.objects.filter(
        milestone__project=project,
        status__in=[Deliverable.Status.IN_PROGRESS, Deliverable.Status.CHANGES_REQUESTED],
    ).first()
    owner = deliverable.owner
    version_services.version_upload(
        deliverable=deliverable, actor=owner, files=[png(text="v1")], summary="First cut"
    )
    latest = version_services.version_upload(
        deliverable=deliverable,
        actor=owner,
        files=[png(text="v2", colour="#0b5f58"), pdf()],
        summary="Logo larger; the printed leaflet as a PDF",
    )
    for file in ProofFile.objects.filter(version__deliverable=deliverable):
        version_services.proof_file_make_previews(file_id=file.pk)
    proof_services.proof_comment_post(
        version=latest,
        actor=manager,
        body="Move the logo a little higher, it crowds the headline.",
        file=latest.files.first(),
        x=0.3,
        y=0.2,
    )
    deliverable.refresh_from_db()
    return deliverable_services.deliverable_submit(deliverable=deliverable, actor=owner)


def seed_what_the_demo_lacks() -> dict:
    playbooks_sync()  # the built-in playbooks, gone if a transactional test emptied the database
    workspace = Workspace.objects.get(slug=plan.WORKSPACE["slug"])
    users = {user.username: user for user in get_user_model().objects.all()}
    owner, manager = users[plan.ADMIN_LOGIN], users[plan.MANAGER_LOGIN]
    # The project with the most milestones, its first phase, its milestone with the most
    # deliverables and a deliverable in review: the busiest pages the demo can show.
    project = max(Project.objects.filter(workspace=workspace), key=lambda p: p.milestones.count())
    milestone = max(project.milestones.all(), key=lambda m: m.deliverables.count())
    deliverable = (
        Deliverable.objects.filter(milestone__project=project)
        .order_by("-status")
        .filter(status=Deliverable.Status.IN_REVIEW)
        .first()
        or milestone.deliverables.first()
    )
    with override_settings(MILESTONES_WEBHOOK_ALLOW_PRIVATE=True):
        webhook = notification_services.webhook_endpoint_create(
            workspace=workspace,
            actor=owner,
            url="http://127.0.0.1:9/hooks/milestones",
            event_types=["milestone.completed", "deliverable.approved"],
        )
    _link, share_secret = sharing_services.share_link_create(
        project=project, actor=manager, label="Client review board", allow_signoff=True
    )
    access_services.api_token_create(
        user=owner, name="CRM sync", expires_at=timezone.now() + timedelta(days=90)
    )
    proofed = seed_proofs(project, manager)
    access_services.calendar_feed_create(user=owner)
    access_services.calendar_feed_create(user=owner, project=project)
    # What the workers would do after these commits: notifications, deliveries, reminders.
    process_events(list(ActivityEvent.objects.values_list("pk", flat=True)))
    reminder_scan()
    assert Notification.objects.filter(recipient=manager).exists()
    return {
        "project": project.pk,
        "phase": Phase.objects.filter(project=project).order_by("order").first().pk,
        "milestone": milestone.pk,
        "deliverable": deliverable.pk,
        "proofed": proofed.pk,
        "playbook": Template.objects.get(workspace=None, name="Black Friday / Cyber Monday").pk,
        "client": Client.objects.filter(workspace=workspace).first().pk,
        "webhook": webhook.pk,
        "share": share_secret,
        "reset_uid": urlsafe_base64_encode(force_bytes(manager.pk)),
        "reset_token": default_token_generator.make_token(manager),
    }


@pytest.fixture(scope="module")
def axe_source() -> str:
    return AXE.read_text()


@pytest.fixture(scope="module")
def signed_in(browser, world):
    """One browser context per (role, size), signed in once and reused by every page of
    that role and size; each reports what the Content-Security-Policy refused."""
    server, _ids = world
    contexts: dict = {}
    refused: list[str] = []
    users = {user.username: user for user in get_user_model().objects.all()}

    def context_for(role: str | None, size: str):
        if (role, size) not in contexts:
            context = browser.new_context(viewport=SIZES[size])
            context.set_default_timeout(15_000)
            context.expose_binding("reportCspViolation", lambda source, text: refused.append(text))
            context.add_init_script(REPORT_CSP_VIOLATIONS)
            if LOGINS[role]:
                page = context.new_page()
                login(page, server, users[LOGINS[role]], password=plan.PASSWORD)
                page.close()
            contexts[(role, size)] = context
        return contexts[(role, size)]

    yield context_for, refused
    for context in contexts.values():
        context.close()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("spec", PAGES, ids=[spec.name for spec in PAGES])
def test_page_fits_and_passes_axe(spec, size, world, signed_in, axe_source):
    server, ids = world
    context_for, refused = signed_in
    refused.clear()
    page = context_for(spec.role, size).new_page()
    try:
        response = page.goto(server.url + spec.path.format(**ids))
        if spec.then:
            with page.expect_response(lambda answer: answer.request.method == "POST") as sent:
                spec.then(page)
            page.wait_for_load_state()
            response = sent.value
        assert response.status == spec.status, f"{spec.path} answered {response.status}"
        if LOGINS[spec.role]:
            assert "/accounts/login/" not in page.url, f"{spec.role} was sent to sign in"
        screenshot(page, f"{spec.name}-{size}")
        problems = []

        fit = page.evaluate(OVERFLOWING)
        if fit["scrollWidth"] > fit["width"] or fit["offending"]:
            problems.append(
                f"the page is {fit['scrollWidth']}px wide in a {fit['width']}px viewport; "
                f"{len(fit['offending'])} element(s) stick out:\n  "
                + "\n  ".join(fit["offending"][:40])
            )
        # axe-core is evaluated through the DevTools protocol, which the page's CSP does not
        # govern (an injected <script> would be refused, rightly).
        page.evaluate(axe_source)
        violations = [v for v in page.evaluate(RUN_AXE) if v["impact"] in SERIOUS]
        if violations:
            problems.append("axe: " + json.dumps(violations, indent=1))
        if refused:
            problems.append(f"the Content-Security-Policy refused: {refused}")
        assert not problems, f"{spec.name} at {size}: " + "\n".join(problems)
    finally:
        page.close()


# Where the keyboard's focus is, and whether it shows: the control (or a part of it, like a
# timeline marker's diamond) looks different focused than not.
FOCUSED = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const look = () => [el, ...el.querySelectorAll("*")].map((part) => {
    const style = getComputedStyle(part);
    return [style.outlineStyle, style.outlineWidth, style.outlineColor, style.boxShadow,
      style.backgroundColor, style.color, style.borderColor, style.textDecorationLine,
      style.fill, style.stroke, style.strokeWidth, style.fontWeight].join(" ");
  }).join("|");
  const focused = look();
  el.blur();
  const unfocused = look();
  el.focus();  // after a key press the focus stays visible, and Tab goes on from here
  const id = el.id ? `#${el.id}` : "";
  const text = (el.innerText || el.getAttribute("aria-label") || el.name || "").trim();
  return {
    key: el.outerHTML.slice(0, 200),
    label: `${el.tagName.toLowerCase()}${id} ${JSON.stringify(text.slice(0, 40))}`,
    visible: focused !== unfocused,
  };
}
"""
KEYBOARD_PAGES = [
    spec
    for spec in PAGES
    if spec.name in {"dashboard", "project", "my-work", "settings", "share", "sign-in"}
]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("spec", KEYBOARD_PAGES, ids=[spec.name for spec in KEYBOARD_PAGES])
def test_keyboard_focus_is_visible(spec, size, world, signed_in):
    """Tabbing through the page, every control it reaches shows that it has the focus."""
    server, ids = world
    context_for, _refused = signed_in
    page = context_for(spec.role, size).new_page()
    try:
        page.goto(server.url + spec.path.format(**ids))
        reached, unmarked = [], []
        for _ in range(60):
            page.keyboard.press("Tab")
            focused = page.evaluate(FOCUSED)
            if focused is None or (reached and focused["key"] == reached[0]):
                break  # round the page and back
            reached.append(focused["key"])
            if not focused["visible"]:
                unmarked.append(focused["label"])
        assert len(reached) >= 3, f"the keyboard reaches only {len(reached)} control(s)"
        assert unmarked == [], f"{spec.name} at {size}: focus does not show on {unmarked}"
    finally:
        page.close()


def test_every_page_of_the_app_is_visited(world):
    """A page added to the URLconf joins PAGES (or NOT_PAGES, when it has no page of its own)."""
    _server, ids = world
    visited = {
        resolve(spec.path.format(**ids).split("?")[0]).view_name
        for spec in PAGES
        if spec.path != "/no-such-page/"
    }
    assert page_names() - visited - NOT_PAGES == set()


# POST-only actions, files, feeds and exports: URLs without an HTML page of their own.
NOT_PAGES = {
    "logout",
    "password_change_done",  # the password-change form's answer, like the other redirects
    *(
        f"projects:{name}"
        for name in (
            "switch_workspace",
            "status_update",
            "project_save_as_template",
            "milestone_status",
            "milestone_reschedule",
            "milestone_complete",
            "milestone_rebaseline",
            "milestone_comment",
            "calendar_feed",
            "share_signoff",
            "export_milestones",
            "export_deliverables",
            "member_add",
            "member_change_role",
            "member_remove",
            "workspace_update",
            "client_create",
            "api_token_create",
            "api_token_revoke",
            "share_link_create",
            "share_link_revoke",
            "calendar_feed_create",
            "calendar_feed_revoke",
        )
    ),
    *(
        f"deliverables:{name}"
        for name in (
            "deliverable_move",
            "checklist_add",
            "checklist_toggle",
            "version_upload",
            "proof_comment",
            "proof_comment_resolve",
            "proof_file",
            "share_file",
            "share_comment",
        )
    ),
    *(
        f"notifications:{name}"
        for name in ("mark_read", "mark_all_read", "follow_project", "follow_milestone")
    ),
}


def page_names() -> set[str]:
    """The names of every URL of the browser side (not the API's, not the admin's)."""

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace not in {"api", "admin"}:
                    yield from walk(pattern.url_patterns, pattern.namespace or namespace)
            elif pattern.name:
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    return set(walk(get_resolver().url_patterns, None))
