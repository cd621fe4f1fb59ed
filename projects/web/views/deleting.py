"""Deleting a project, phase, milestone or deliverable in the browser: a page that says what
goes with it, then a POST that deletes it through its service and returns to its parent."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils.text import capfirst

from projects.permissions import Action, can


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


def delete_url(user, action: Action, workspace, url_name: str, pk: int) -> str | None:
    """Where an edit page links to delete its object, when the user's role allows it."""
    return reverse(url_name, args=[pk]) if can(user, action, workspace) else None
