"""Browser forms for deliverables and checklists; writes go through deliverables.services."""

from django import forms
from django.contrib.auth import get_user_model

from deliverables.models import ChecklistItem, Deliverable
from deliverables.services.deliverables import DELIVERABLE_FIELDS, TRANSITIONS
from milestones_site.web.forms import DateInput
from projects.web.forms.project import MemberChoiceField, members_of


class DeliverableForm(forms.ModelForm):
    owner = MemberChoiceField(queryset=get_user_model().objects.none(), required=False)
    link = forms.URLField(
        assume_scheme="https",
        required=False,
        max_length=500,
        help_text="Where the work lives: a Figma file, a doc, a staging page.",
    )

    class Meta:
        model = Deliverable
        fields = DELIVERABLE_FIELDS
        widgets = {"due_date": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members_of(workspace)


class ChecklistItemForm(forms.ModelForm):
    class Meta:
        model = ChecklistItem
        fields = ["text"]
        labels = {"text": "New checklist item"}


class DeliverableMoveForm(forms.Form):
    move = forms.ChoiceField(choices=[(name, name) for name in TRANSITIONS])
    version = forms.IntegerField()
    note = forms.CharField(required=False, max_length=2000)
