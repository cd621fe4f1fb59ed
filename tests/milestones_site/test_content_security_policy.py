"""A strict Content-Security-Policy on every page, and templates that need nothing more.

tests/browser/ checks in real Chromium that no page breaks it (tests/browser/conftest.py)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from projects.services.sharing import share_link_create

pytestmark = pytest.mark.django_db

STRICT = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
]


def policy_of(response) -> list[str]:
    return [part.strip() for part in response["Content-Security-Policy"].split(";")]


def test_every_kind_of_page_carries_the_strict_policy(client, signed_in, manager, project):
    _, secret = share_link_create(project=project, actor=manager, label="Client")
    pages = {
        "sign-in": client.get(reverse("login")),
        "API docs": client.get("/api/v1/docs/"),
        "API docs script": client.get("/api/v1/docs/?script="),
        "API": client.get("/api/v1/projects/"),
        "share page": client.get(f"/share/{secret}/"),
        "missing page": client.get("/no-such-page/"),
        "signed-in page": signed_in(manager).get(
            reverse("projects:project_detail", args=[project.pk])
        ),
    }
    for name, response in pages.items():
        assert set(STRICT) <= set(policy_of(response)), name


# Inline script, event handler attributes (onclick=…) and style attributes: what the policy
# refuses. Email templates are read by mail programs, not under this policy.
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")|\son[a-z]+=|\sstyle="
)


def test_no_page_template_holds_inline_script_handlers_or_styles():
    base = Path(settings.BASE_DIR)
    templates = [
        path
        for pattern in ("templates/**/*.html", "*/templates/**/*.html")
        for path in base.glob(pattern)
        if "/email/" not in str(path) and ".venv" not in path.parts
    ]
    assert len(templates) > 50
    offending = [
        f"{path.relative_to(base)}: {match.group(0).strip()}"
        for path in templates
        for match in INLINE.finditer(path.read_text())
    ]
    assert offending == []
