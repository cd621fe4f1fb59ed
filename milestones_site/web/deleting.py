"""Deleting a row in the browser (a project, phase, milestone, deliverable or client): a page
that says what goes with it, then a POST that deletes it through its service and returns to
where it lived."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.utils.text import capfirst


@dataclass(frozen=True)
class Deletion:
    noun: str  # "milestone"
    name: str
    consequences: list[str]
    cancel_url: str
    done_url: str
    delete: Callable[[], None]


def counted(count: int, noun: str) -> str:
    """“1 milestone”, “3 milestones”."""
    return f"{count} {noun}{pluralize(count)}"


def confirm_delete(request, deletion: Deletion, **context):
    """GET: the confirmation page. POST: delete, say so, go to `done_url`."""
    if request.method == "POST":
        deletion.delete()
        messages.success(request, f"{capfirst(deletion.noun)} “{deletion.name}” deleted.")
        return redirect(deletion.done_url)
    return render(request, "confirm_delete.html", {"deletion": deletion, **context})
