"""Output serializers render from a plan made once per class (milestones_site/api_output.py);
what they render must be exactly what DRF's own field-by-field rendering gives."""

from datetime import date
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from rest_framework import serializers

from milestones_site.api_output import OutputListSerializer, OutputSerializer
from projects.api.serializers import MilestoneSerializer
from tests.factories import MilestoneFactory

from .conftest import client_with_token
from .test_query_counts import LIST_ROUTES, seed


def responses(api, paths: list[str]) -> dict[str, bytes]:
    return {path: api.get(path).content for path in paths}


@pytest.mark.django_db
def test_every_list_and_detail_renders_as_drf_would(workspace, owner, monkeypatch):
    api = client_with_token(owner)
    seed(workspace, owner, 6, start=0)
    paths = [f"/api/v1/{route}?page_size=200" for route in LIST_ROUTES]
    paths += [
        f"/api/v1/{route}{row['id']}/"
        for route in LIST_ROUTES
        for row in api.get(f"/api/v1/{route}?page_size=2").json()["results"]
    ]
    planned = responses(api, paths)
    monkeypatch.setattr(
        OutputSerializer, "to_representation", serializers.ModelSerializer.to_representation
    )
    monkeypatch.setattr(
        OutputListSerializer, "to_representation", serializers.ListSerializer.to_representation
    )
    assert responses(api, paths) == planned


@pytest.mark.django_db
def test_a_row_without_the_annotations_renders_as_drf_would(project):
    milestone = MilestoneFactory(project=project)
    planned = MilestoneSerializer(milestone).data
    assert planned == serializers.ModelSerializer.to_representation(
        MilestoneSerializer(), milestone
    )
    # Missing annotations: nullable ones are null, the others left out, as in DRF.
    assert planned["phase_name"] is None
    assert "health" not in planned and "project_name" not in planned


@pytest.mark.django_db
@pytest.mark.parametrize("zone", ["UTC", "Europe/Berlin", "America/New_York"])
def test_date_times_render_in_the_active_timezone_as_drf_would(project, zone):
    milestone = MilestoneFactory(project=project)
    with timezone.override(ZoneInfo(zone)):
        planned = MilestoneSerializer(milestone).data
        assert planned == serializers.ModelSerializer.to_representation(
            MilestoneSerializer(), milestone
        )
    assert planned["created_at"].endswith("Z") == (zone == "UTC")


@pytest.mark.django_db
@pytest.mark.parametrize("zone", ["UTC", "Europe/Berlin"])
def test_a_list_renders_its_date_times_in_the_active_timezone_as_drf_would(project, zone):
    milestones = [MilestoneFactory(project=project) for _ in range(2)]
    with timezone.override(ZoneInfo(zone)):
        planned = MilestoneSerializer(milestones, many=True).data
        drf = [
            serializers.ModelSerializer.to_representation(MilestoneSerializer(), milestone)
            for milestone in milestones
        ]
    assert planned == drf
    assert planned[0]["created_at"].endswith("Z") == (zone == "UTC")


@pytest.mark.django_db
def test_depends_on_lists_the_dependencies_earliest_due_first(project, owner):
    due = [date(2027, 3, 1), date(2027, 1, 1), date(2027, 2, 1)]
    late, early, middle = (MilestoneFactory(project=project, due_date=day) for day in due)
    launch = MilestoneFactory(project=project, due_date=date(2027, 4, 1))
    launch.depends_on.set([late, early, middle])
    api = client_with_token(owner)
    assert api.get(f"/api/v1/milestones/{launch.pk}/").json()["depends_on"] == [
        early.pk,
        middle.pk,
        late.pk,
    ]
    assert api.get(f"/api/v1/milestones/{early.pk}/").json()["depends_on"] == []
