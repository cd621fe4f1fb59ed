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


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input (Django's documented way: one clean per file)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


class VersionUploadForm(forms.Form):
    files = MultipleFileField(
        label="Files", help_text="One or more files: they become the next version together."
    )
    summary = forms.CharField(
        label="What changed",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ProofCommentForm(forms.Form):
    """A comment on a version; the pin (file, page, x, y) is set by clicking the preview."""

    body = forms.CharField(
        label="Comment", max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    file = forms.IntegerField(required=False, widget=forms.HiddenInput)
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    x = forms.FloatField(required=False, min_value=0, max_value=1, widget=forms.HiddenInput)
    y = forms.FloatField(required=False, min_value=0, max_value=1, widget=forms.HiddenInput)

    def pin(self, version) -> dict:
        """The pin's arguments for the comment services; a file id that is not one of the
        version's files names no file, and the service says the pin needs one."""
        data = self.cleaned_data
        file = next((f for f in version.files.all() if f.pk == data["file"]), None)
        return {"file": file, "page": data["page"], "x": data["x"], "y": data["y"]}
