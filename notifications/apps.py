from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from milestones_site.web import conditional
        from notifications.tasks import enqueue_events
        from notifications.web.context_processors import unread_for
        from projects.activity import events_recorded

        # Every page's frame shows the bell's count.
        conditional.add_part(unread_for, pages_only=True)

        def on_events_recorded(sender, event_ids: list[int], **kwargs) -> None:
            enqueue_events(event_ids)

        events_recorded.connect(
            on_events_recorded, weak=False, dispatch_uid="notifications.on_events_recorded"
        )
