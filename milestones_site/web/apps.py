from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in


class SiteWebConfig(AppConfig):
    """The browser kit as an app: its sign-in hooks are connected when Django starts."""

    name = "milestones_site.web"
    label = "site_web"

    def ready(self):
        from milestones_site.web import accounts

        user_logged_in.connect(accounts.start_idle_clock, dispatch_uid="start_idle_clock")
