"""The proofing flow end to end in real Chromium, with a real Celery worker making the
previews: a manager uploads a banner and pins a comment; the client on a share link sees it,
pins a comment and requests changes; the designer uploads v2; the client approves v2; the
history stands on the deliverable. Screenshots go to var/screenshots/proofing-*.png."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from deliverables.models import ProofComment, ReviewRound
from projects.services import sharing
from tests.browser.conftest import login, screenshot
from tests.deliverables.proof_files import png_bytes
from tests.factories import DeliverableFactory, MilestoneFactory, ProjectFactory
from tests.notifications.conftest import broker, smtp_inbox, start_worker  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def campaign(workspace, manager, member, with_password):
    with_password(manager)
    with_password(member)
    member.first_name, member.last_name = "Dee", "Signer"
    member.save()
    project = ProjectFactory(workspace=workspace, owner=manager, name="Black Friday 2026")
    milestone = MilestoneFactory(
        project=project,
        owner=manager,
        title="Creatives signed off",
        due_date=timezone.localdate() + timedelta(days=5),
    )
    banner = DeliverableFactory(milestone=milestone, owner=member, title="Hero banner")
    _, token = sharing.share_link_create(
        project=project, actor=manager, label="Northwind marketing", allow_signoff=True
    )
    return banner, token


def banner_file(tmp_path, name: str, colour: str, text: str):
    path = tmp_path / name
    path.write_bytes(png_bytes(1200, 600, colour=colour, text=text))
    return path


def upload_version(page, path, summary: str) -> None:
    page.get_by_label("Files").set_input_files(path)
    page.get_by_label("What changed").fill(summary)
    page.get_by_role("button", name="Upload").click()
    page.wait_for_load_state()


def wait_for_preview(page, label: str) -> None:
    """The worker makes the preview within seconds; the page shows a placeholder until then."""
    image = page.locator(".proof__page img").first
    for _ in range(60):
        if image.count() and f"({label})" in (image.get_attribute("alt") or ""):
            break
        page.wait_for_timeout(250)
        page.reload()
    expect(image).to_be_visible()


def pin_comment(page, form, text: str, at: tuple[float, float]) -> None:
    """Click the preview at `at` (fractions of its width and height), then comment there."""
    image = page.locator(".proof__page img").first
    box = image.bounding_box()
    image.click(position={"x": box["width"] * at[0], "y": box["height"] * at[1]})
    expect(form.get_by_text("Pinned to page 1")).to_be_visible()
    form.get_by_role("textbox", name="Comment on").fill(text)
    form.get_by_role("button", name="Post comment").click()
    page.wait_for_load_state()


def test_manager_client_and_designer_review_a_banner_to_approval(
    browser,
    page,
    live_server,
    manager,
    member,
    campaign,
    tmp_path,
    start_worker,  # noqa: F811
):
    banner, token = campaign
    start_worker()

    # The manager uploads v1, pins a comment on it and submits it for review.
    login(page, live_server, manager)
    page.goto(f"{live_server.url}/milestones/{banner.milestone_id}/")
    page.get_by_role("link", name="Files, proofs and review of Hero banner").click()
    upload_version(page, banner_file(tmp_path, "hero-banner.png", "#1f4fb8", "v1"), "First cut")
    wait_for_preview(page, "v1")
    pin_comment(
        page,
        page.locator("form.proof-comment-form"),
        "Check the CTA contrast",
        (0.75, 0.7),
    )
    expect(page.locator(".proof__page a.pin")).to_have_text("1")
    page.get_by_role("button", name="Submit for review: Hero banner").click()
    expect(page.locator(".inline-cell .badge")).to_have_text("In review")
    screenshot(page, "proofing-1-manager-uploaded-v1")

    # The client opens the link: sees v1 with the pin, pins a comment, requests changes.
    visitor = browser.new_context(viewport={"width": 1280, "height": 900})
    client_page = visitor.new_page()
    client_page.goto(f"{live_server.url}/share/{token}/")
    card = client_page.locator("#signoff article", has_text="Hero banner")
    expect(card.locator(".proof__page img")).to_be_visible()
    expect(card.locator(".proof__page a.pin")).to_have_count(1)
    comment_form = card.locator("form.proof-comment-form")
    comment_form.get_by_label("Your name").fill("Dana Whitfield")
    comment_form.get_by_label("Your email").fill("dana@northwind.example")
    pin_comment(client_page, comment_form, "Make the logo larger", (0.12, 0.15))
    expect(client_page.get_by_text("Reviewing as Dana Whitfield")).to_be_visible()
    card = client_page.locator("#signoff article", has_text="Hero banner")
    expect(card.locator(".proof__page a.pin")).to_have_count(2)
    expect(card.get_by_label("Your name")).to_have_count(0)
    card.get_by_label("Note").fill("Warmer colours, please, and a larger logo.")
    screenshot(client_page, "proofing-2-client-pins-and-requests-changes")
    card.get_by_role("button", name="Request changes").click()
    expect(client_page.get_by_text("the team will rework “Hero banner”")).to_be_visible()

    # The designer sees the request standing on the deliverable and uploads v2.
    designer = browser.new_context(viewport={"width": 1280, "height": 900})
    designer_page = designer.new_page()
    login(designer_page, live_server, member)
    designer_page.goto(f"{live_server.url}/deliverables/{banner.pk}/")
    expect(designer_page.locator(".standing-request")).to_contain_text("Warmer colours")
    expect(designer_page.locator(".proof-comment")).to_have_count(2)
    upload_version(
        designer_page,
        banner_file(tmp_path, "hero-banner.png", "#d9572b", "v2"),
        "Warmer, logo larger",
    )
    wait_for_preview(designer_page, "v2")
    expect(designer_page.locator(".standing-request")).to_have_count(0)
    designer_page.get_by_role("button", name="Submit for review: Hero banner").click()
    expect(designer_page.locator(".inline-cell .badge")).to_have_text("In review")
    screenshot(designer_page, "proofing-3-designer-uploaded-v2")

    # The client comes back (same visit: not asked their name again) and approves v2.
    client_page.goto(f"{live_server.url}/share/{token}/")
    card = client_page.locator("#signoff article", has_text="Hero banner")
    expect(card.get_by_role("heading", name="v2 · Warmer, logo larger")).to_be_visible()
    card.get_by_text("Earlier versions (1)").click()
    expect(card.get_by_text("Make the logo larger")).to_be_visible()
    expect(card.get_by_label("Your name")).to_have_count(0)
    screenshot(client_page, "proofing-4-client-sees-v2-and-history")
    card.get_by_role("button", name="Approve v2").click()
    expect(client_page.get_by_text("“Hero banner” is approved")).to_be_visible()
    visitor.close()

    # The history stands on the deliverable: two rounds, who decided, on which version.
    page.goto(f"{live_server.url}/deliverables/{banner.pk}/?compare=1&with=2")
    rounds = page.locator(".review-round")
    expect(rounds).to_have_count(2)
    expect(rounds.nth(0)).to_contain_text("Approved v2 by Dana Whitfield (client)")
    expect(rounds.nth(1)).to_contain_text("Changes requested v1 by Dana Whitfield (client)")
    expect(page.get_by_role("heading", name="v1 and v2 side by side")).to_be_visible()
    screenshot(page, "proofing-5-history-and-comparison")
    designer.close()

    decided = list(ReviewRound.objects.order_by("number"))
    assert [(r.decision, r.version_seen.number, r.reviewer_name) for r in decided] == [
        ("changes_requested", 1, "Dana Whitfield"),
        ("approved", 2, "Dana Whitfield"),
    ]
    pins = ProofComment.objects.order_by("id")
    assert [(c.author_display, c.is_pinned) for c in pins] == [
        (manager.get_full_name(), True),
        ("Dana Whitfield", True),
    ]
    banner.refresh_from_db()
    assert (banner.status, banner.approved_by_name) == ("approved", "Dana Whitfield")
