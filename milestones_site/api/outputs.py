"""Plain rendering for the API's busiest lists: a function per row, with related data
fetched once per page (the Sentry way), rendering each value exactly as the resource's DRF
serializer would. The serializers still describe the schema; schemathesis checks every
response against it (tests/milestones_site/api/test_fuzzing.py)."""

from datetime import date, datetime, tzinfo
from decimal import Decimal


def instant(value: datetime | None, zone: tzinfo) -> str | None:
    """A date-time as DRF renders it: ISO 8601 in `zone` (the active timezone, which a page
    of rows looks up once: `timezone.get_current_timezone()`), `Z` for UTC."""
    if value is None:
        return None
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def decimal(value: Decimal | None, places: int) -> str | None:
    """A decimal as DRF renders it: a string with the field's decimal places."""
    if value is None:
        return None
    return f"{value.quantize(Decimal(1).scaleb(-places)):f}"
