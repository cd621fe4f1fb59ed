"""Lists without filter parameters skip the filter backends but keep the default order;
with parameters the filters apply and validate as before (milestones_site/api_views.py)."""

from datetime import date

import pytest

from tests.clients import client_with_token
from tests.factories import MilestoneFactory

API = "/api/v1/milestones/"
DUE = [date(2027, 3, 1), date(2027, 1, 1), date(2027, 2, 1)]


@pytest.fixture
def milestones(project):
    return [MilestoneFactory(project=project, due_date=day, title=f"M{day}") for day in DUE]


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


@pytest.mark.django_db
def test_a_list_without_filters_is_in_the_default_order_on_every_page(milestones, manager):
    api = client_with_token(manager)
    by_due_date = [m.pk for m in sorted(milestones, key=lambda m: m.due_date)]
    assert ids(api.get(API)) == by_due_date
    assert ids(api.get(f"{API}?page_size=2")) == by_due_date[:2]
    assert ids(api.get(f"{API}?page_size=2&page=2")) == by_due_date[2:]


@pytest.mark.django_db
def test_filters_search_and_ordering_still_apply_and_validate(milestones, manager):
    api = client_with_token(manager)
    late, early, _middle = milestones
    assert ids(api.get(f"{API}?ordering=-due_date&page_size=1")) == [late.pk]
    assert ids(api.get(f"{API}?due_before=2027-01-15")) == [early.pk]
    assert ids(api.get(f"{API}?search={early.title}")) == [early.pk]
    assert api.get(f"{API}?status=nonsense").status_code == 400
