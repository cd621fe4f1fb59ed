"""Return addresses (milestones_site/web/navigation.py): a path on this site, nothing else."""

import pytest

from milestones_site.web.navigation import is_local_path, safe_next

# What an attacker puts in ?next= to send a signed-in person elsewhere.
HOSTILE_RETURN_ADDRESSES = [
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example/",
    "https://evil.example/",
    "http://testserver/projects/",  # this very host, but absolute
    "javascript:alert(document.cookie)",
    "/\t/evil.example/",
    "///evil.example/",
    "projects/3/",
]


@pytest.mark.parametrize("target", HOSTILE_RETURN_ADDRESSES)
def test_anything_but_a_path_on_this_site_falls_back(rf, target):
    assert not is_local_path(target)
    assert safe_next(rf.post("/", {"next": target}), "/fallback/") == "/fallback/"
    assert safe_next(rf.get("/", {"next": target}), "/fallback/") == "/fallback/"


def test_a_path_on_this_site_is_kept(rf):
    target = "/projects/3/?tab=plan#deliverable-4"
    assert safe_next(rf.post("/", {"next": target}), "/fallback/") == target
