"""Signing in, kept safe: failed sign-ins are throttled (django-axes, per account and per
client address), a return address is a path on this site, a password reset lifts the
account's lock, and a signed-in session ends after a time without use."""

import time

from axes.utils import reset as forget_failed_sign_ins
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth import views as auth_views
from django.shortcuts import render

from milestones_site.web.navigation import is_local_path

# A used session's expiry is pushed forward at most this often: one write a minute at most
# instead of one per request, and the idle timeout holds to within a minute.
RENEW_EVERY_SECONDS = 60
RENEWED_AT = "_idle_renewed_at"


def client_address(request) -> str:
    """The address failed sign-ins are counted against. Behind SIGNIN_TRUSTED_PROXIES
    proxies it is the address the outermost one saw (the N-th X-Forwarded-For entry from the
    right); entries further left are whatever the client claimed and are not trusted."""
    proxies = settings.SIGNIN_TRUSTED_PROXIES
    forwarded = [
        hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop
    ]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def locked_out(request, original_response=None, credentials=None):
    """What django-axes answers a locked-out sign-in (AXES_LOCKOUT_CALLABLE): the sign-in
    page saying why, for how long, and the way back through a password reset."""
    return render(
        request,
        "registration/locked_out.html",
        {"minutes": settings.SIGNIN_LOCKOUT_MINUTES},
        status=429,
    )


class SignInView(auth_views.LoginView):
    """Django's sign-in page, returning only to a path on this site (never another host,
    even through an absolute URL of this one)."""

    def get_redirect_url(self):
        target = self.request.POST.get(
            self.redirect_field_name, self.request.GET.get(self.redirect_field_name, "")
        )
        return target if is_local_path(target) else ""


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choosing a new password through the emailed link is the way back for a locked
    account: its failed sign-ins are forgotten."""

    def form_valid(self, form):
        forget_failed_sign_ins(username=form.user.get_username())
        return super().form_valid(form)


def start_idle_clock(sender, request, user, **kwargs):
    """Signing in counts as the session's first use (connected to `user_logged_in`), so the
    first page after it does not write the session again."""
    request.session[RENEWED_AT] = int(time.time())


class IdleTimeoutMiddleware:
    """A signed-in session lasts SESSION_COOKIE_AGE (the idle timeout) from its last use.

    Django's SESSION_SAVE_EVERY_REQUEST would do it by writing the session on every request
    (a database write per page view, and on SQLite a write lock per read); this renews the
    expiry only when a minute has passed since the last renewal."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if SESSION_KEY in session:
            now = int(time.time())
            if now - session.get(RENEWED_AT, 0) >= RENEW_EVERY_SECONDS:
                session[RENEWED_AT] = now  # modified: saved with a fresh expiry and cookie
        return self.get_response(request)
