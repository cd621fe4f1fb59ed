"""The session's user, loaded with what every signed-in page reads about them.

Django's ModelBackend fetches the user alone; every page then asked for the person's
notification preference (their display timezone) in a second query. Here the one-to-one
preference comes in the same query.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class PreferenceLoadingBackend(ModelBackend):
    def get_user(self, user_id):
        users = get_user_model()._default_manager.select_related("notification_preference")
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
