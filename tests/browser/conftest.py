"""Real Chromium (the system one at /usr/bin/chromium) driven by Playwright against live_server.

Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from a thread
with a running loop unless told the caller knows what it is doing. The test thread only sets up
data between page actions, so that is safe here.
"""

import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "var" / "screenshots"
PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# Reports every Content-Security-Policy violation of every page the context opens to the test.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation(
    `${event.effectiveDirective} refused ${event.blockedURI || "inline"}` +
      ` at ${event.sourceFile}:${event.lineNumber} on ${document.location.pathname}`
  );
});
"""


@pytest.fixture
def csp_violations():
    """What the browser refused under the Content-Security-Policy (pages opened through
    `page` or `new_checked_context`); every browser test must end with none."""
    violations: list[str] = []
    yield violations
    assert violations == [], "the Content-Security-Policy refused something"


@pytest.fixture
def new_checked_context(browser, csp_violations):
    """`new_checked_context(**options)`: a browser context whose pages report CSP violations
    (as `securitypolicyviolation` events and as console errors) to `csp_violations`."""
    contexts = []

    def open_context(**options):
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        context.expose_binding(
            "reportCspViolation", lambda source, text: csp_violations.append(text)
        )
        context.add_init_script(REPORT_CSP_VIOLATIONS)

        def console_error(message):
            if message.type == "error" and "Content Security Policy" in message.text:
                csp_violations.append(message.text)

        context.on("console", console_error)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_checked_context):
    return new_checked_context(viewport={"width": 1280, "height": 900}).new_page()


def screenshot(page, name: str) -> Path:
    """Save a full-page PNG under var/screenshots/ (collected as a CI artifact)."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def login(page, live_server, user, password: str = PASSWORD) -> None:
    """Sign in through the real login form; the user must have `password` set."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


@pytest.fixture
def with_password():
    """Give a user the known browser-test password: `with_password(user)`."""

    def set_password(user):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
        return user

    return set_password
