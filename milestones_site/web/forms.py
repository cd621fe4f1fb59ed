"""Service errors shown on the form that caused them."""

from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(
    form: forms.Form, error: ValidationError, rename: dict[str, str] | None = None
) -> None:
    """Put each field message of a service's ValidationError on the matching form field
    (`rename` maps service argument names to form field names); the rest go on top."""
    rename = rename or {}
    messages = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
    for name, texts in messages.items():
        field = rename.get(name, name)
        form.add_error(field if field in form.fields else None, texts)
