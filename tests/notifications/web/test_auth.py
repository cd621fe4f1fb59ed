"""The session's user (notifications/auth.py): loaded as the ORM loads them, with their
notification preference, in one query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.models import NotificationPreference
from notifications.web.auth import PreferenceLoadingBackend
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def fields(row) -> dict:
    return {field.attname: getattr(row, field.attname) for field in row._meta.concrete_fields}


def test_the_user_comes_with_their_preference_in_one_query():
    person = UserFactory(first_name="Ana", last_name="Ruiz")
    preference = NotificationPreference.objects.create(user=person, timezone="Europe/Oslo")
    with CaptureQueriesContext(connection) as queries:
        user = PreferenceLoadingBackend().get_user(person.pk)
        assert user.notification_preference.timezone == "Europe/Oslo"
        assert user.notification_preference.user is user
    assert len(queries) == 1
    assert fields(user) == fields(type(person).objects.get(pk=person.pk))
    assert fields(user.notification_preference) == fields(preference)


def test_without_a_preference_none_is_looked_up_again():
    person = UserFactory()
    with CaptureQueriesContext(connection) as queries:
        user = PreferenceLoadingBackend().get_user(person.pk)
        assert getattr(user, "notification_preference", None) is None
    assert len(queries) == 1


def test_unknown_and_inactive_users_are_nobody():
    assert PreferenceLoadingBackend().get_user(10**9) is None
    assert PreferenceLoadingBackend().get_user(UserFactory(is_active=False).pk) is None
