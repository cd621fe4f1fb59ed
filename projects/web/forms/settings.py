"""Forms of the workspace settings page. They parse and check input; the writes happen in
projects.services and projects.access."""

from datetime import datetime, time, timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from milestones_site.web.forms import DateInput
from projects.models import TIMEZONE_CHOICES, Client, Project, Role, validate_lead_days
from projects.services.workspaces import CLIENT_FIELDS


def end_of_day(day) -> datetime:
    """The moment a chosen expiry date is over, in the timezone the user is shown."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


class MemberAddForm(forms.Form):
    user = forms.CharField(
        label="Username or email",
        max_length=254,
        help_text="The person needs an account already.",
    )
    role = forms.ChoiceField(choices=Role.choices, initial=Role.MEMBER)

    def clean_user(self):
        given = self.cleaned_data["user"].strip()
        users = list(
            get_user_model().objects.filter(
                Q(username__iexact=given) | Q(email__iexact=given), is_active=True
            )[:2]
        )
        if not users:
            raise forms.ValidationError("No account has that username or email.")
        if len(users) > 1:
            raise forms.ValidationError("Several accounts use that email; enter the username.")
        return users[0]


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)


class ReminderDefaultsForm(forms.Form):
    """The workspace's name, timezone and reminder defaults."""

    name = forms.CharField(max_length=120)
    timezone = forms.ChoiceField(choices=TIMEZONE_CHOICES)
    reminder_lead_days = forms.CharField(
        label="Remind owners (days before the due date)",
        max_length=60,
        help_text="Whole days separated by commas, e.g. 7, 1.",
    )
    overdue_repeat_days = forms.IntegerField(
        label="Repeat overdue reminders every (days)", min_value=1, max_value=365
    )
    overdue_repeat_limit = forms.IntegerField(
        label="Stop after this many overdue reminders", min_value=0, max_value=100
    )
    warning_window_days = forms.IntegerField(
        label="At-risk window (days)",
        min_value=0,
        max_value=365,
        help_text="A milestone due this soon with open deliverables is at risk.",
    )
    weekly_load_limit = forms.IntegerField(
        label="Weekly limit per person",
        required=False,
        min_value=1,
        max_value=200,
        help_text="Milestones and deliverables one person can have due in a week before the "
        "workload page flags the week.",
    )

    @classmethod
    def for_workspace(cls, workspace, data=None):
        initial = {name: getattr(workspace, name) for name in cls.base_fields}
        initial["reminder_lead_days"] = ", ".join(str(d) for d in workspace.reminder_lead_days)
        return cls(data, initial=initial)

    def clean_weekly_load_limit(self) -> int:
        """Left empty, the limit stays as it is."""
        limit = self.cleaned_data["weekly_load_limit"]
        return self.initial["weekly_load_limit"] if limit is None else limit

    def clean_reminder_lead_days(self) -> list[int]:
        parts = [part.strip() for part in self.cleaned_data["reminder_lead_days"].split(",")]
        parts = [part for part in parts if part]
        if not all(part.isdigit() for part in parts):
            raise forms.ValidationError("Enter whole days separated by commas, e.g. 7, 1.")
        days = sorted({int(part) for part in parts}, reverse=True)
        validate_lead_days(days)
        return days


class ApiTokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What uses it, e.g. “CRM sync”.")
    read_only = forms.BooleanField(label="Read-only", required=False)
    expires_on = forms.DateField(
        label="Expires after",
        required=False,
        widget=DateInput(),
        help_text="Leave empty for no expiry.",
    )


class ShareLinkForm(forms.Form):
    project = forms.ModelChoiceField(
        queryset=Project.objects.none(), empty_label="Choose a project"
    )
    label = forms.CharField(
        max_length=100, required=False, help_text="Who it is for, e.g. “Client marketing team”."
    )
    allow_signoff = forms.BooleanField(
        label="Allow client sign-off on deliverables in review", required=False
    )
    expires_on = forms.DateField(
        label="Expires after",
        required=False,
        widget=DateInput(),
        help_text="Leave empty to keep it until you revoke it.",
    )

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects


class CalendarFeedForm(forms.Form):
    project = forms.ModelChoiceField(
        queryset=Project.objects.none(),
        required=False,
        empty_label="My work: what I own, in every workspace",
        label="Feed of",
    )

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects


class ClientForm(forms.ModelForm):
    class Meta:
        model = Client
        fields = CLIENT_FIELDS
        help_texts = {"contact_email": "Who signs off on their side (optional)."}
