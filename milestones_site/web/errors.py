"""The site's own answer to a request it refuses before any view runs."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.shortcuts import render
from django.views import defaults


def bad_request(request, exception):
    """A form sent with more than the server reads (DATA_UPLOAD_MAX_MEMORY_SIZE) gets a page
    that says so, in the site's layout, with 413; any other bad request Django's 400."""
    if isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return render(request, "413.html", {"limit": limit}, status=413)
    return defaults.bad_request(request, exception)
