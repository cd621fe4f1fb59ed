"""Row links built around the id match what reverse() gives, under any script prefix."""

import pytest
from django.urls import clear_script_prefix, reverse, set_script_prefix

from milestones_site.web.id_urls import id_url

NAMES = (
    "projects:milestone_detail",
    "projects:milestone_status",
    "projects:project_detail",
    "deliverables:deliverable_move",
    "deliverables:deliverable_create",
)


@pytest.mark.parametrize("prefix", ["/", "/milestones-app/"])
def test_id_url_is_reverse(prefix):
    set_script_prefix(prefix)
    try:
        for name in NAMES:
            for pk in (1, 7, 10, 123456):
                assert id_url(name, pk) == reverse(name, args=[pk])
    finally:
        clear_script_prefix()


def test_id_url_takes_only_integers():
    with pytest.raises(ValueError):
        id_url("projects:milestone_detail", "1/../../admin")
