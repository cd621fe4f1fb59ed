"""What every browser form shares: date inputs, the version a form was rendered with, and
saving through a service with its refusals shown on the form that caused them."""

from collections.abc import Callable
from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from milestones_site.services.errors import StaleVersion


class DateInput(forms.DateInput):
    """A date picker. A typed value that is no date (2026-02-30) comes back in a text input
    beside its error: a date input would show it empty, as browsers drop any value that is
    not a real date."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        typed = context["widget"]["value"]
        if typed and not _is_iso_date(typed):
            context["widget"]["type"] = "text"
            context["widget"]["attrs"].setdefault("placeholder", "YYYY-MM-DD")
        return context


def _is_iso_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def add_service_errors(
    form: forms.Form, error: ValidationError, rename: dict[str, str] | None = None
) -> None:
    """Put each field message of a service's ValidationError on the matching form field
    (`rename` maps service argument names to form field names); the rest go on top."""
    rename = rename or {}
    found = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
    for name, texts in found.items():
        field = rename.get(name, name)
        form.add_error(field if field in form.fields else None, texts)


def posted_version(request, default: int | None = None) -> int | None:
    """The row version the form was rendered with (hidden field `version`)."""
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return default


def save_form(
    request,
    form: forms.Form,
    save: Callable[[], Any],
    *,
    done: str | Callable[[Any], str] = "",
    rename: dict[str, str] | None = None,
    stale: Callable[[Any], str] | None = None,
) -> Any:
    """On a POST whose `form` is valid, call `save()` (one service call) and return what it
    returns, after flashing `done` (or `done(result)`); None when nothing was saved. A
    service's refusal becomes errors on the form's fields (`rename`: service argument →
    form field), a stale version one message above the form (`stale(current row)`)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = save()
    except ValidationError as error:
        add_service_errors(form, error, rename)
        return None
    except StaleVersion as conflict:
        current = conflict.current
        form.add_error(
            None,
            stale(current)
            if stale
            else f"Someone else saved this {current._meta.verbose_name} while you were "
            "editing. Reload to see it.",
        )
        return None
    message = done(result) if callable(done) else done
    if message:
        flash_done(request, message)
    return result


class Celebration(str):
    """Words of a moment of progress (a milestone or a project completed): flashed to the
    person who made it, set apart from ordinary confirmations."""


def flash_done(request, message: str) -> None:
    """Flash a confirmation (a Celebration with its own look)."""
    tags = "celebration" if isinstance(message, Celebration) else ""
    messages.success(request, message, extra_tags=tags)


def form_page(
    request,
    template_name: str,
    form: forms.Form,
    save: Callable[[], Any],
    *,
    then: str | Callable[[Any], str],
    context: dict | None = None,
    status: int = 200,
    **save_options,
):
    """A page of one form saved through a service (`save_form`): once saved, go to `then`
    (a URL, or `then(what save returned)`); else the page with the form (and its errors)."""
    saved = save_form(request, form, save, **save_options)
    if saved:
        return redirect(then(saved) if callable(then) else then)
    return render(request, template_name, {"form": form, **(context or {})}, status=status)
