"""URLs that take a single integer id (/milestones/<id>/…), for pages that link every row.

`reverse()` matches the arguments against the URL pattern on every call (~20 µs); a project
page links each of its hundreds of milestones and deliverables two or three times. The path
around the id depends only on the URL name and the script prefix, so it is reversed once per
process and the id is put in place per row."""

from functools import lru_cache

from django.urls import get_script_prefix, reverse

# Any id works as long as it cannot occur elsewhere in the path.
_PLACEHOLDER = 9_876_543_210_123


@lru_cache(maxsize=128)
def _around_id(name: str, script_prefix: str) -> tuple[str, str]:
    before, after = reverse(name, args=[_PLACEHOLDER]).split(str(_PLACEHOLDER))
    return before, after


def id_url(name: str, pk: int) -> str:
    """What `reverse(name, args=[pk])` returns, for a URL whose only argument is an int."""
    before, after = _around_id(name, get_script_prefix())
    return f"{before}{int(pk)}{after}"
