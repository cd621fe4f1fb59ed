"""Browser forms for playbooks: plan a template as a project, save a project as a template."""

from django import forms

from milestones_site.web.forms import DateInput
from projects.models import Client, Template, Workspace
from projects.playbooks.planning import Direction
from projects.web.forms.project import MemberChoiceField, members_of

DATE_LABELS = {Direction.FORWARD: "Start date", Direction.BACKWARD: "Launch / event date"}
ROLE_PREFIX = "role_"


class PlaybookUseForm(forms.Form):
    """Name, client, direction and date, and one member per role placeholder of the template.
    Role fields are named role_0, role_1, … in the order of `template.roles`."""

    name = forms.CharField(label="Project name", max_length=200)
    client = forms.ModelChoiceField(
        queryset=Client.objects.none(), required=False, empty_label="Internal (no client)"
    )
    direction = forms.TypedChoiceField(
        label="Plan",
        choices=[
            (Direction.BACKWARD.value, "Backward from a launch / event date"),
            (Direction.FORWARD.value, "Forward from a start date"),
        ],
        coerce=Direction,
        widget=forms.RadioSelect,
        initial=Direction.BACKWARD.value,
    )
    on = forms.DateField(widget=DateInput())
    skip_weekends = forms.BooleanField(
        label="Move dates off weekends",
        required=False,
        initial=True,
        help_text="Work due on a weekend moves to the Friday before the event "
        "(or the Monday after it); the anchor never moves.",
    )

    def __init__(self, *args, template: Template, workspace: Workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.template = template
        self.fields["client"].queryset = Client.objects.filter(workspace=workspace)
        self.fields["on"].label = DATE_LABELS[self.chosen_direction()]
        members = members_of(workspace)
        for index, role in enumerate(template.roles):
            self.fields[f"{ROLE_PREFIX}{index}"] = MemberChoiceField(
                queryset=members, required=False, label=role, empty_label="Unassigned"
            )

    date_labels = {direction.value: label for direction, label in DATE_LABELS.items()}

    def chosen_direction(self) -> Direction:
        value = self.data.get("direction") if self.is_bound else self.initial.get("direction")
        return Direction(value) if value in Direction.__members__.values() else Direction.BACKWARD

    def role_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(ROLE_PREFIX)]

    def plan_arguments(self) -> dict:
        """Keyword arguments for template_plan / template_instantiate (after is_valid)."""
        data = self.cleaned_data
        return {
            "direction": data["direction"],
            "on": data["on"],
            "skip_weekends": data["skip_weekends"],
            "role_map": {
                role: data[f"{ROLE_PREFIX}{index}"]
                for index, role in enumerate(self.template.roles)
                if data[f"{ROLE_PREFIX}{index}"] is not None
            },
        }


class SaveAsTemplateForm(forms.Form):
    name = forms.CharField(
        label="Template name",
        max_length=200,
        required=False,
        help_text="Leave empty to call it “<project name> (template)”.",
    )
