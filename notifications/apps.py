from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from notifications.tasks import enqueue_events
        from projects.activity import events_recorded

        def on_events_recorded(sender, event_ids: list[int], **kwargs) -> None:
            enqueue_events(event_ids)

        events_recorded.connect(
            on_events_recorded, weak=False, dispatch_uid="notifications.on_events_recorded"
        )
