"""Browser forms: they parse and check input; the services do the writing and the rules."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from milestones_site.web.forms import DateInput
from projects.activity import display_name
from projects.models import Client, Health, Milestone, Phase, Project, StatusUpdate, Workspace
from projects.selectors.portfolio import PORTFOLIO_ORDERINGS, PortfolioFilters
from projects.services.milestones import MILESTONE_FIELDS
from projects.services.projects import PHASE_FIELDS, PROJECT_FIELDS

User = get_user_model()


class MemberChoiceField(forms.ModelChoiceField):
    """A member of the workspace by name; the empty choice says what it means."""

    def __init__(self, *args, empty_label="Unassigned", **kwargs):
        super().__init__(*args, empty_label=empty_label, **kwargs)

    def label_from_instance(self, user) -> str:
        return display_name(user)


class MilestoneChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, milestone) -> str:
        return f"{milestone.title} (due {milestone.due_date:%d %b %Y})"


def members_of(workspace: Workspace):
    return User.objects.filter(memberships__workspace=workspace).order_by(
        "first_name", "last_name", "username"
    )


class ProjectForm(forms.ModelForm):
    """A project's details. The budgets may be left empty: no budget is the model's 0."""

    OPTIONAL_BUDGETS = ("budget_planned", "budget_spent")

    owner = MemberChoiceField(queryset=User.objects.none(), required=False)

    class Meta:
        model = Project
        fields = PROJECT_FIELDS
        widgets = {
            "start_date": DateInput(),
            "target_date": DateInput(),
            "objective": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "currency": "Three letters, e.g. EUR or USD.",
            "client": "Managers add clients under Settings → Clients.",
        }

    def __init__(self, *args, workspace: Workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = Client.objects.filter(workspace=workspace)
        self.fields["client"].empty_label = "Internal (no client)"
        self.fields["owner"].queryset = members_of(workspace)
        for name in self.OPTIONAL_BUDGETS:
            self.fields[name].required = False

    def clean(self):
        data = super().clean()
        for name in self.OPTIONAL_BUDGETS:
            if data.get(name) is None and name not in self.errors:
                data[name] = Project._meta.get_field(name).default
        return data


class PhaseForm(forms.ModelForm):
    class Meta:
        model = Phase
        fields = PHASE_FIELDS
        widgets = {"start_date": DateInput(), "end_date": DateInput()}
        help_texts = {"order": "Phases are listed in this order; leave empty to add it last."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order"].required = False
        if self.instance.pk is None:
            # Empty, not the model's default 0 (which would put the new phase first).
            self.initial["order"] = None

    def clean_order(self):
        """Left empty: a new phase goes last (the service's default), an edited one stays."""
        order = self.cleaned_data.get("order")
        if order is None and self.instance.pk:
            return self.instance.order
        return order


# The browser leaves a milestone's reminder days to the workspace's defaults.
MILESTONE_DETAIL_FIELDS = tuple(name for name in MILESTONE_FIELDS if name != "reminder_days")


class MilestoneForm(forms.ModelForm):
    """Create (with a due date) or edit the details of a milestone; its date moves only by
    rescheduling, so the edit form has no due date."""

    owner = MemberChoiceField(queryset=User.objects.none(), required=False)
    depends_on = MilestoneChoiceField(
        queryset=Milestone.objects.none(),
        required=False,
        label="Depends on",
        help_text="Milestones of this project that must be completed first.",
    )

    class Meta:
        model = Milestone
        # The due date comes right after the title: it is what a milestone is about.
        fields = ["title", "due_date", *(f for f in MILESTONE_DETAIL_FIELDS if f != "title")]
        widgets = {
            "due_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "success_criteria": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].queryset = Phase.objects.filter(project=project).order_by("order")
        self.fields["phase"].empty_label = "No phase"
        self.fields["owner"].queryset = members_of(project.workspace)
        others = Milestone.objects.filter(project=project).order_by("due_date", "id")
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
            del self.fields["due_date"]
            self.initial["depends_on"] = list(self.instance.depends_on.values_list("pk", flat=True))
        self.fields["depends_on"].queryset = others

    def details(self) -> dict:
        return {name: self.cleaned_data[name] for name in MILESTONE_DETAIL_FIELDS}


class RescheduleForm(forms.Form):
    prefix = "reschedule"
    new_date = forms.DateField(label="New due date", widget=DateInput())
    reason = forms.CharField(
        label="Why does it move?",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept in the date-change history, e.g. “Print supplier delayed proofs”.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class CompleteForm(forms.Form):
    prefix = "complete"
    force = forms.BooleanField(
        required=False, label="Complete anyway (managers only; the reason is kept in the log)"
    )
    reason = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Reason for forcing"
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class MilestoneStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Milestone.Status.choices)
    version = forms.IntegerField()


class StatusUpdateForm(forms.ModelForm):
    class Meta:
        model = StatusUpdate
        fields = ["health", "summary"]
        widgets = {
            "health": forms.RadioSelect,
            "summary": forms.Textarea(
                attrs={
                    "rows": 3,
                    "placeholder": "What moved this week, what is at risk, what's next",
                }
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["health"].choices = Health.choices


class CommentForm(forms.Form):
    body = forms.CharField(label="Comment", widget=forms.Textarea(attrs={"rows": 3}))


HEALTH_FILTER_CHOICES = [("", "Any health"), *Health.choices]


class FlatSelect(forms.Select):
    """A select of plain choices (no groups, no option attributes) built in Python: the
    stock template includes two sub-templates per option, and even one template loop over
    the options cost the dashboard, with every member as an option, ~2 ms a page."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '\n  <option value="{}"{}>{}</option>',
            (
                (option["value"], " selected" if option["selected"] else "", option["label"])
                for _group, group_options, _index in widget["optgroups"]
                for option in group_options
            ),
        )
        # As Django's attrs.html writes them, in their order (flatatt moves some first).
        attributes = mark_safe(
            "".join(
                format_html(" {}", key) if value is True else format_html(' {}="{}"', key, value)
                for key, value in widget["attrs"].items()
                if value is not False
            )
        )
        return format_html('<select name="{}"{}>{}\n</select>', widget["name"], attributes, options)


class PortfolioFilterForm(forms.Form):
    """The dashboard's filters, read from the query string so a view can be bookmarked."""

    client = forms.ModelChoiceField(
        queryset=Client.objects.none(),
        required=False,
        empty_label="All clients",
        widget=FlatSelect,
    )
    status = forms.ChoiceField(
        choices=[("", "Any status"), *Project.Status.choices], required=False, widget=FlatSelect
    )
    owner = MemberChoiceField(
        queryset=User.objects.none(), required=False, empty_label="Anyone", widget=FlatSelect
    )
    health = forms.ChoiceField(choices=HEALTH_FILTER_CHOICES, required=False, widget=FlatSelect)
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, workspace: Workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = Client.objects.filter(workspace=workspace)
        self.fields["owner"].queryset = members_of(workspace)

    def filters(self) -> PortfolioFilters:
        """The filters asked for; an unknown value is ignored rather than an error page."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        sort = data.get("sort") or "name"
        return PortfolioFilters(
            client=data["client"].pk if data.get("client") else None,
            status=data.get("status", ""),
            owner=data["owner"].pk if data.get("owner") else None,
            health=data.get("health", ""),
            ordering=sort if sort in PORTFOLIO_ORDERINGS else "name",
        )


def filter_params(filters: PortfolioFilters) -> dict[str, str]:
    """The filters set (no sort, no page) as query parameters, for links that keep them."""
    values = {
        "client": filters.client,
        "status": filters.status,
        "owner": filters.owner,
        "health": filters.health,
    }
    return {name: str(value) for name, value in values.items() if value}
