"""How one row is found for a detail request (milestones_site/api_views.py): query
parameters filter it on reads and writes alike, and only rows the caller may read count."""

import pytest

from tests.clients import client_with_token
from tests.factories import MilestoneFactory


@pytest.fixture
def milestone(project):
    return MilestoneFactory(project=project, status="planned")


@pytest.mark.django_db
def test_a_read_honours_the_list_filters(milestone, manager):
    api = client_with_token(manager)
    path = f"/api/v1/milestones/{milestone.pk}/"
    assert api.get(path).status_code == 200
    assert api.get(f"{path}?status=planned").status_code == 200
    assert api.get(f"{path}?status=blocked").status_code == 404


@pytest.mark.django_db
def test_a_write_honours_the_list_filters(milestone, manager):
    api = client_with_token(manager)
    path = f"/api/v1/milestones/{milestone.pk}/"
    change = {"status": "in_progress"}
    assert api.patch(f"{path}?health=off_track", change, format="json").status_code == 404
    assert api.patch(f"{path}?status=planned", change, format="json").status_code == 200
    milestone.refresh_from_db()
    assert milestone.status == "in_progress"


@pytest.mark.django_db
def test_a_write_to_a_row_of_another_workspace_is_not_found(milestone, outsider):
    api = client_with_token(outsider)
    path = f"/api/v1/milestones/{milestone.pk}/"
    assert api.patch(path, {"status": "blocked"}, format="json").status_code == 404
    assert api.delete(path).status_code == 404
    milestone.refresh_from_db()
    assert milestone.status == "planned"
