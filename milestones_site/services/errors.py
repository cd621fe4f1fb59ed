"""The errors services raise; every interface turns them into its own response."""

from contextlib import contextmanager

from django.core.exceptions import PermissionDenied, ValidationError

__all__ = [
    "PermissionDenied",
    "StaleVersion",
    "ValidationError",
    "errors_under",
    "invalid",
    "messages_of",
]


def invalid(**messages: str | list[str]) -> ValidationError:
    """A ValidationError with a message per field (`__all__` for the whole object)."""
    return ValidationError(
        {field: [text] if isinstance(text, str) else text for field, text in messages.items()}
    )


def messages_of(error: ValidationError) -> dict[str, list[str]]:
    """{field: [messages]} of any ValidationError (`__all__` for one without fields)."""
    return error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}


@contextmanager
def errors_under(prefix: str):
    """Report a service's field errors under `prefix` (e.g. `phases.1.milestones.0`), so
    that a refusal in a nested write names where it is: `phases.1.milestones.0.due_date`."""
    try:
        yield
    except ValidationError as error:
        raise ValidationError(
            {f"{prefix}.{field}": texts for field, texts in messages_of(error).items()}
        ) from None


class StaleVersion(Exception):
    """The row changed since the caller read it: its version no longer matches."""

    def __init__(self, current):
        self.current = current
        super().__init__(
            f"{current._meta.verbose_name.capitalize()} was changed by someone else "
            f"(now version {current.version})."
        )
