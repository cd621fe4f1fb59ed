"""The client sign-off form on a share page."""

from django import forms

from deliverables.services.deliverables import APPROVE, REQUEST_CHANGES


class SignoffForm(forms.Form):
    """A visitor without an account signs off a deliverable in review."""

    name = forms.CharField(label="Your name", max_length=200)
    email = forms.EmailField(label="Your email", max_length=254)
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when you request changes: say what should change.",
    )
    # Sent by the submit button the visitor presses, not rendered as a field.
    decision = forms.ChoiceField(
        choices=[(APPROVE, "Approve"), (REQUEST_CHANGES, "Request changes")],
        error_messages={"required": "Choose approve or request changes."},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        if data.get("decision") == REQUEST_CHANGES and not (data.get("note") or "").strip():
            self.add_error("note", "Say what needs to change.")
        return data
