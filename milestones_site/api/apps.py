from django.apps import AppConfig


class SiteApiConfig(AppConfig):
    """The REST kit as an app: it keeps the answers given under an `Idempotency-Key`
    (models.py) and purges them when they expire (tasks.py)."""

    name = "milestones_site.api"
    label = "site_api"
    default_auto_field = "django.db.models.BigAutoField"
