"""Signing in, kept safe (milestones_site/web/accounts.py): failed sign-ins throttled per
account and per client address with a way back by password reset, return addresses on this
site only, and sessions that end after a time without use."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from milestones_site.web.accounts import client_address
from tests.factories import UserFactory
from tests.milestones_site.web.test_navigation import HOSTILE_RETURN_ADDRESSES

pytestmark = pytest.mark.django_db

PASSWORD = "pass-1234-word"  # tests.factories.UserFactory's password
LIMIT = 5  # SIGNIN_FAILURE_LIMIT's default


def sign_in(client, username: str, password: str, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_right_password_after_too_many_wrong_ones_is_refused_and_says_why(client, manager):
    statuses = [sign_in(client, manager.username, "guess").status_code for _ in range(LIMIT)]
    assert statuses == [200] * (LIMIT - 1) + [429], "the last allowed failure locks"
    response = sign_in(client, manager.username, PASSWORD)
    page = response.content.decode()
    assert response.status_code == 429
    assert "Too many failed sign-ins" in page and "for 15 minutes" in page
    assert f'href="{reverse("password_reset")}"' in page
    assert not is_signed_in(client)
    other_address = Client(REMOTE_ADDR="203.0.113.9")
    assert sign_in(other_address, manager.username, PASSWORD).status_code == 429, (
        "the account is locked from every address"
    )


def test_failures_from_one_address_lock_it_for_every_account(client, manager, member):
    for n in range(LIMIT):
        sign_in(client, f"nobody-{n}", "guess")
    assert sign_in(client, manager.username, PASSWORD).status_code == 429
    elsewhere = Client(REMOTE_ADDR="203.0.113.9")
    assert sign_in(elsewhere, member.username, PASSWORD).status_code == 302
    assert is_signed_in(elsewhere)


def test_the_lock_lifts_after_the_lockout_minutes(client, manager):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _ in range(LIMIT):
            sign_in(client, manager.username, "guess")
        clock.shift(timedelta(minutes=14))
        assert sign_in(client, manager.username, PASSWORD).status_code == 429
        clock.shift(timedelta(minutes=16))
        assert sign_in(client, manager.username, PASSWORD).status_code == 302


def test_a_success_forgets_the_failures_before_it(client, manager):
    for _ in range(LIMIT - 1):
        sign_in(client, manager.username, "guess")
    assert sign_in(client, manager.username, PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(LIMIT - 1):
        sign_in(client, manager.username, "guess")
    assert sign_in(client, manager.username, PASSWORD).status_code == 302


def test_a_password_reset_is_the_way_back_for_a_locked_account(client, manager):
    for _ in range(LIMIT):
        sign_in(client, manager.username, "guess")
    assert sign_in(client, manager.username, PASSWORD).status_code == 429

    client.post(reverse("password_reset"), {"email": manager.email})
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "spring-launch-2027", "new_password2": "spring-launch-2027"},
    )

    assert sign_in(client, manager.username, "spring-launch-2027").status_code == 302
    assert is_signed_in(client)


def test_the_client_address_is_the_one_the_trusted_proxy_saw(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7")
    settings.SIGNIN_TRUSTED_PROXIES = 0
    assert client_address(request) == "10.0.0.2"
    settings.SIGNIN_TRUSTED_PROXIES = 1
    assert client_address(request) == "198.51.100.7", "the client's own claim is not trusted"


@pytest.mark.parametrize("target", HOSTILE_RETURN_ADDRESSES)
def test_sign_in_returns_only_to_a_path_on_this_site(client, manager, target):
    response = client.post(
        reverse("login"),
        {"username": manager.username, "password": PASSWORD, "next": target},
    )
    assert response["Location"] == reverse("projects:dashboard")


def test_sign_in_returns_to_the_page_that_asked(client, manager):
    response = client.post(
        reverse("login"),
        {"username": manager.username, "password": PASSWORD, "next": "/calendar/?month=2026-12"},
    )
    assert response["Location"] == "/calendar/?month=2026-12"


def test_a_session_ends_after_the_idle_timeout_and_lasts_while_used(client, settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600  # SESSION_IDLE_TIMEOUT_MINUTES's default
    # The database's expiry follows the moved clock; Redis's copy (cached_db) expires after
    # the same age, but on Redis's own clock, which a test cannot move.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    person = UserFactory()
    dashboard = reverse("projects:dashboard")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.force_login(person)
        for _ in range(3):  # a working day and more, with a request every 7 hours
            clock.shift(timedelta(hours=7))
            assert client.get(dashboard).status_code == 200
        clock.shift(timedelta(hours=8, minutes=1))
        response = client.get(dashboard)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_session_is_written_at_most_once_a_minute_while_used(client):
    from django.contrib.sessions.models import Session

    person = UserFactory()
    dashboard = reverse("projects:dashboard")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.force_login(person)
        client.get(dashboard)
        renewed = Session.objects.get().expire_date
        clock.shift(timedelta(seconds=30))
        client.get(dashboard)
        assert Session.objects.get().expire_date == renewed
        clock.shift(timedelta(seconds=31))
        client.get(dashboard)
        assert Session.objects.get().expire_date == renewed + timedelta(seconds=61)
