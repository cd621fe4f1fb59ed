"""Where a browser goes back to after a form post or a sign-in."""

from django.utils.http import url_has_allowed_host_and_scheme


def is_local_path(target: str) -> bool:
    """Whether `target` is a path on this site ("/projects/3/?tab=plan").

    Anything else is refused, even an absolute URL of this very host: "//evil.example" and
    "/\\evil.example" (which browsers read as another host), "https://…", "javascript:…"."""
    # Django reads backslashes as browsers do and refuses a host or scheme not allowed: with
    # none allowed, only a path starting with a single slash passes.
    return target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts=set())


def safe_next(request, fallback: str) -> str:
    """The page a plain (non-htmx) form post returns to: `next` when it is a path on this
    site, else `fallback`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    return target if is_local_path(target) else fallback
