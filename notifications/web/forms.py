"""Forms of the notification pages: input parsing only; services do the writing."""

from django import forms

from notifications.models import NotificationPreference
from notifications.services import PREFERENCE_FIELDS
from projects.models import TIMEZONE_CHOICES


class PreferenceForm(forms.ModelForm):
    timezone = forms.ChoiceField(
        choices=[("", "My workspace's timezone"), *TIMEZONE_CHOICES], required=False
    )

    class Meta:
        model = NotificationPreference
        fields = PREFERENCE_FIELDS
        labels = {
            "email_reminders": "Due-date reminders by email",
            "email_events": "Changes by email",
            "digest": "Status digest",
            "digest_weekday": "Day of the weekly digest",
            "digest_hour": "Time of the digest",
        }


class WebhookEndpointForm(forms.Form):
    workspace = forms.ModelChoiceField(queryset=None, empty_label=None)
    url = forms.URLField(max_length=500, label="URL", assume_scheme="https")
    event_types = forms.CharField(
        required=False,
        help_text="Comma-separated, e.g. milestone.completed, deliverable.approved. "
        "Empty: every event.",
    )

    def __init__(self, *args, workspaces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workspace"].queryset = workspaces

    def clean_event_types(self) -> list[str]:
        raw = self.cleaned_data["event_types"]
        return [item.strip() for item in raw.split(",") if item.strip()]
