from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from notifications.tasks import enqueue, notify_events
        from projects.activity import event_recorded

        def on_event_recorded(sender, event_id: int, **kwargs) -> None:
            enqueue(notify_events, [event_id])

        event_recorded.connect(
            on_event_recorded, weak=False, dispatch_uid="notifications.on_event_recorded"
        )
