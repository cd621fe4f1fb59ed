"""The session's user, loaded with what every signed-in page reads about them.

Django's ModelBackend fetches the user alone; every page then asked for the person's
notification preference (their display timezone) in a second query. Here the one-to-one
preference is joined in, in a query prepared once per connection (projects.prepared): every
signed-in request runs it.
"""

from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import connection

from projects import prepared

from .models import NotificationPreference


@cache
def session_user_query() -> tuple[str, prepared.Columns, prepared.Columns]:
    quote = connection.ops.quote_name
    users = prepared.Columns(get_user_model(), "u")
    preferences = prepared.Columns(NotificationPreference, "p")
    user_column = quote(NotificationPreference._meta.get_field("user").column)
    sql = (
        f"SELECT {', '.join(users.sql() + preferences.sql())}"
        f" FROM {quote(get_user_model()._meta.db_table)} u"
        f" LEFT JOIN {quote(NotificationPreference._meta.db_table)} p ON p.{user_column} = u.id"
        " WHERE u.id = %s"
    )
    return sql, users, preferences


class PreferenceLoadingBackend(ModelBackend):
    def get_user(self, user_id):
        sql, users, preferences = session_user_query()
        with connection.cursor() as cursor:
            cursor.execute(prepared.statement("session_user", sql), [user_id])
            row = cursor.fetchone()
        if row is None:
            return None
        user = users.instance(row[: len(users)])
        found = row[len(users) :]
        # As select_related leaves it: the preference, or None when the person has none.
        preference = preferences.instance(found) if found[0] is not None else None
        related = get_user_model().notification_preference.related
        related.set_cached_value(user, preference)
        if preference is not None:
            related.field.set_cached_value(preference, user)
        return user if self.user_can_authenticate(user) else None
