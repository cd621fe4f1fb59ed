"""The client sign-off form on a share page, and who the visitor is."""

from django import forms

from deliverables.services.deliverables import APPROVE, REQUEST_CHANGES


class ReviewerForm(forms.Form):
    """Who a visitor without an account is. `reviewer`: the name and email they already
    gave on the page during this visit, which stand in for the fields (so they give them
    once per visit, not once per deliverable)."""

    name = forms.CharField(label="Your name", max_length=200)
    email = forms.EmailField(label="Your email", max_length=254)

    def __init__(self, *args, reviewer: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.reviewer = reviewer
        if reviewer:
            self.fields["name"].required = self.fields["email"].required = False

    def clean(self):
        data = super().clean()
        if self.reviewer:
            data["name"] = data.get("name") or self.reviewer["name"]
            data["email"] = data.get("email") or self.reviewer["email"]
        return data


class SignoffForm(ReviewerForm):
    """A visitor without an account signs off a deliverable in review."""

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
    # The number of the deliverable version the visitor looked at (v2 → 2).
    version_seen = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        if data.get("decision") == REQUEST_CHANGES and not (data.get("note") or "").strip():
            self.add_error("note", "Say what needs to change.")
        return data
