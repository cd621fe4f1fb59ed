"""Requests refused before any view runs get the site's own pages."""

import pytest
from django.urls import reverse

from projects.models import StatusUpdate

pytestmark = pytest.mark.django_db


def test_a_form_over_the_body_limit_gets_a_page_that_says_so(signed_in, manager, project, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2_000

    response = signed_in(manager).post(
        reverse("projects:status_update", args=[project.pk]),
        {"health": "on_track", "summary": "Long week. " * 400},
    )

    page = response.content.decode()
    assert response.status_code == 413
    assert "<title>Too much to send · Milestones</title>" in page
    assert "more text than the server accepts (2.0\xa0KB at most)" in page
    assert "nothing was saved" in page and "what you typed is still in the form" in page
    assert "data-history-back" in page
    assert not StatusUpdate.objects.exists()


def test_other_bad_requests_keep_djangos_answer(client, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    response = client.get("/", HTTP_HOST="elsewhere.example")
    assert response.status_code == 400
    assert "Too much to send" not in response.content.decode()
