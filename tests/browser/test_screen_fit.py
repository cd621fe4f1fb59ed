"""Pages fit the screen, on a phone (390 x 844) and on a desk (1440 x 900): no element reaches
past the right edge of the viewport (which would make the page scroll sideways or clip it),
and the navigation stays compact."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from notifications.models import Notification, WebhookEndpoint
from projects.models import Role, Template
from tests.browser.conftest import login, screenshot
from tests.factories import (
    DeliverableFactory,
    MembershipFactory,
    MilestoneFactory,
    ProjectFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

SIZES = {"phone": {"width": 390, "height": 844}, "desk": {"width": 1440, "height": 900}}

# Every visible element whose box ends past the viewport's right edge, described by its tag,
# classes and start of text. A skip link waits off-screen to the left, so only the right
# edge counts; elements inside a box that scrolls sideways on purpose are still counted:
# nothing should need it.
PAST_THE_RIGHT_EDGE = """
() => {
  const width = document.documentElement.clientWidth;
  return [...document.body.querySelectorAll("*")]
    .filter((element) => {
      const box = element.getBoundingClientRect();
      return box.width > 0 && box.height > 0 && box.right > width + 0.5;
    })
    .map((element) =>
      `${element.tagName.toLowerCase()}.${[...element.classList].join(".")}` +
      ` "${(element.textContent || "").trim().slice(0, 30)}"` +
      ` right=${Math.round(element.getBoundingClientRect().right)}`
    );
}
"""

# The rows the main navigation takes: the distinct tops of its links.
NAVIGATION_ROWS = """
() => new Set(
  [...document.querySelectorAll(".mainnav a")].map((a) => Math.round(a.getBoundingClientRect().top))
).size
"""


@pytest.fixture
def busy_workspace(workspace, owner):
    """Work of every kind with long names, owned by the workspace's owner (who sees every
    control of the members' table), and members with long usernames and emails."""
    today = workspace.today()
    project = ProjectFactory(
        workspace=workspace,
        owner=owner,
        name="Ridgeback 2 waterproof trail jacket launch across the UK and the Nordics",
    )
    for days in (-3, 0, 2, 12, 40):
        milestone = MilestoneFactory(
            project=project,
            owner=owner,
            title=f"Launch film and product photography locked for retail partners ({days})",
            due_date=today + timedelta(days=days),
            baseline_due_date=today + timedelta(days=days - 4),
        )
        DeliverableFactory(
            milestone=milestone,
            owner=owner,
            title="Sixty-second launch film with subtitles in four languages",
            due_date=today + timedelta(days=days),
        )
    for n in range(3):
        MembershipFactory(
            workspace=workspace,
            role=Role.MEMBER,
            user=UserFactory(
                username=f"colleague-with-a-long-name-{n}",
                email=f"colleague.with.a.rather.long.address.{n}@northwind-creative.example.com",
            ),
        )
    for n in range(3):
        Notification.objects.create(
            recipient=owner,
            kind="milestone_completed",
            key=f"fit:{n}",
            title=f"Launch film and product photography locked for retail partners ({n})",
            body="Completed by Lena Fischer, two days ahead of the baseline date.",
            url="/my-work/",
        )
    WebhookEndpoint.objects.create(
        workspace=workspace,
        url="https://hooks.northwind-creative.example.com/milestones/incoming/a-long-path",
        secret="whsec-0123456789abcdef0123456789abcdef0123456789abcdef",
    )
    return workspace


def pages(page, live_server):
    """Each page the check covers, opened in `page`: its name as it goes."""
    page.goto(f"{live_server.url}/my-work/")
    yield "my-work"
    page.goto(f"{live_server.url}/settings/members/")
    yield "settings"
    playbook = Template.objects.get(workspace=None, key="black-friday-cyber-monday")
    page.goto(f"{live_server.url}/playbooks/{playbook.pk}/use/")
    page.get_by_label("Project name").fill("Black Friday 2026")
    page.get_by_role("textbox", name="Launch / event date").fill("2026-11-27")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("tr.preview-anchor")).to_be_visible()
    yield "playbook-preview"
    for name, path in (
        ("notifications", ""),
        ("notification-preferences", "preferences/"),
        ("webhooks", "webhooks/"),
        ("webhook", f"webhooks/{WebhookEndpoint.objects.get().pk}/"),
    ):
        page.goto(f"{live_server.url}/notifications/{path}")
        yield name


@pytest.mark.parametrize("size", SIZES)
def test_pages_fit_the_screen(
    new_checked_context, live_server, busy_workspace, owner, with_password, size
):
    page = new_checked_context(viewport=SIZES[size]).new_page()
    with_password(owner)
    login(page, live_server, owner)

    for name in pages(page, live_server):
        screenshot(page, f"fit-{name}-{size}")
        assert page.evaluate(PAST_THE_RIGHT_EDGE) == [], f"{name} at {size}"
        assert page.evaluate(NAVIGATION_ROWS) == 1, f"{name} at {size}: the navigation wraps"
