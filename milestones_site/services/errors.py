"""The errors services raise; every interface turns them into its own response."""

from django.core.exceptions import PermissionDenied, ValidationError

__all__ = ["PermissionDenied", "StaleVersion", "ValidationError", "invalid"]


def invalid(**messages: str | list[str]) -> ValidationError:
    """A ValidationError with a message per field (`__all__` for the whole object)."""
    return ValidationError(
        {field: [text] if isinstance(text, str) else text for field, text in messages.items()}
    )


class StaleVersion(Exception):
    """The row changed since the caller read it: its version no longer matches."""

    def __init__(self, current):
        self.current = current
        super().__init__(
            f"{current._meta.verbose_name.capitalize()} was changed by someone else "
            f"(now version {current.version})."
        )
