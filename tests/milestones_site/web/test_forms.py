"""What every browser form shares: a date typed wrong comes back as typed, with its error."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_an_impossible_date_comes_back_as_typed_beside_its_error(signed_in, manager, project):
    response = signed_in(manager).post(
        reverse("projects:phase_create", args=[project.pk]),
        {"name": "Strategy", "start_date": "2026-02-30"},
    )

    page = response.content.decode()
    field = re.search(r'<input[^>]*name="start_date"[^>]*>', page)[0]
    assert 'value="2026-02-30"' in field
    # Browsers empty a date input holding no real date, so it is a text input now.
    assert 'type="text"' in field and 'aria-invalid="true"' in field
    assert "Enter a valid date." in page
    assert not project.phases.exists()


def test_a_real_date_stays_in_a_date_input(signed_in, manager, project):
    response = signed_in(manager).post(
        reverse("projects:phase_create", args=[project.pk]),
        {"name": "", "start_date": "2026-02-28"},
    )

    field = re.search(r'<input[^>]*name="start_date"[^>]*>', response.content.decode())[0]
    assert 'type="date"' in field and 'value="2026-02-28"' in field
