"""Admin classes whose writes go through the services (STYLE.md rule 1).

A form saves by calling a service at the end of its own validation, so that whatever
the service refuses becomes an error on the form's fields instead of a 500. The admin
may only do what a service exists for: without `create`, `update` or `delete` the add,
change or delete permission is simply absent. When any form of a page fails, the page
is shown again and everything the other forms wrote in that request is rolled back.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms.formsets import DELETION_FIELD_NAME
from django.shortcuts import redirect

from milestones_site.services.errors import invalid
from milestones_site.services.writes import Writes


def refusal_text(error: ValidationError | PermissionDenied) -> str:
    """A service refusal as one sentence for an admin message."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or "You may not do this."


def refuse_changes_except(data: dict, allowed: set[str]) -> None:
    """Refuse changes to fields that no service can change once the row exists."""
    refused = sorted(set(data) - allowed)
    if refused:
        raise invalid(**dict.fromkeys(refused, "This cannot change once saved; add a new one."))


class ServiceForm(forms.ModelForm):
    """A model form that writes through its admin's services when it validates."""

    admin = None  # the ServiceWrites admin or inline that built this form class
    request = None
    outcome = None  # "added", "changed" or "deleted" once written

    def _post_clean(self):
        super()._post_clean()
        # Like Django, a row ticked for deletion is deleted whatever else it says.
        if self._errors and not self.cleaned_data.get(DELETION_FIELD_NAME):
            return
        try:
            with transaction.atomic():
                self.outcome = self.admin.write(self.request, self)
        except (ValidationError, PermissionDenied) as error:
            # A formset skips the errors of rows ticked for deletion: a refused deletion
            # must un-tick, or the page would report success.
            self.cleaned_data.pop(DELETION_FIELD_NAME, None)
            self.add_refusal(error)

    def add_refusal(self, error: ValidationError | PermissionDenied) -> None:
        if isinstance(error, PermissionDenied):
            self.add_error(None, refusal_text(error))
            return
        for field, errors in error.update_error_dict({}).items():
            self.add_error(self.field_shown_for(field), errors)

    def field_shown_for(self, key: str) -> str | None:
        """The visible field a service error key belongs to; None puts it above the form
        (an inline's hidden parent field would swallow it unseen)."""
        field = self.admin.error_fields.get(key, key)
        shown = field in self.fields and not self.fields[field].widget.is_hidden
        return field if shown else None


class ServiceWrites:
    """Shared by model admins and inlines: the services behind add, change and delete, as
    the model's `writes` declares them (milestones_site.services.writes)."""

    form = ServiceForm
    writes = Writes()
    # Service error keys that are not form fields, mapped to the field they concern.
    error_fields: dict[str, str] = {}

    def has_add_permission(self, request, *args):
        return self.writes.create is not None and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return self.writes.update is not None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.writes.delete is not None and super().has_delete_permission(request, obj)

    def create(self, request, data: dict):
        return self.writes.create_row(actor=request.user, data=data)

    def update(self, request, obj, data: dict):
        if self.writes.editable is not None:
            refuse_changes_except(data, set(self.writes.editable))
        return self.writes.update_row(obj, actor=request.user, data=data)

    def delete(self, request, obj) -> None:
        self.writes.delete_row(obj, actor=request.user)

    def bind(self, form_class: type[ServiceForm], request) -> type[ServiceForm]:
        # Django builds a fresh form class per call, so it may carry this request.
        form_class.admin, form_class.request = self, request
        return form_class

    def write(self, request, form: ServiceForm) -> str | None:
        """Add, change or delete `form.instance` through the services; say which."""
        pk_name = form._meta.model._meta.pk.name
        if form.cleaned_data.get(DELETION_FIELD_NAME):
            if form.instance.pk is None:
                return None
            self.delete(request, type(form.instance)._default_manager.get(pk=form.instance.pk))
            return "deleted"
        data = {
            name: value
            for name, value in form.cleaned_data.items()
            if name not in (pk_name, DELETION_FIELD_NAME)
        }
        if form.instance.pk is None:
            form.instance = self.create(request, data)
            return "added"
        if form.has_changed():
            changed = {name: data[name] for name in form.changed_data if name in data}
            # A change-only field (the reason for moving a date) goes with every change.
            for name in getattr(self, "change_only_fields", ()):
                changed.setdefault(name, data.get(name, ""))
            form.instance = self.update(request, form.instance, changed)
            return "changed"
        return None

    def run_service_action(self, request, queryset, call, done: str = "") -> None:
        """Call `call(obj, actor)` for each selected row; report refusals, and how many
        rows it did when `done` names it."""
        moved = 0
        for obj in queryset:
            try:
                call(obj, request.user)
                moved += 1
            except (ValidationError, PermissionDenied) as error:
                self.message_user(request, f"“{obj}”: {refusal_text(error)}", messages.ERROR)
        if moved and done:
            self.message_user(request, f"{done}: {moved}.", messages.SUCCESS)


class ServiceAdmin(ServiceWrites, admin.ModelAdmin):
    """A model admin whose forms, inlines and deletions call the services."""

    # Fields set when the row is created and fixed afterwards (e.g. its workspace).
    create_only_fields: tuple[str, ...] = ()
    # Fields shown only when changing a row (e.g. a reason for moving its date).
    change_only_fields: tuple[str, ...] = ()

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            for name in self.change_only_fields:
                form_class.base_fields.pop(name, None)  # a declared, non-model field
        return self.bind(form_class, request)

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is not None:
            return fields
        hidden = {*self.readonly_fields, *self.change_only_fields}
        return [name for name in fields if name not in hidden]

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        return (*readonly, *self.create_only_fields) if obj is not None else readonly

    def get_inlines(self, request, obj):
        # Children are written by services that need their parent saved first.
        return self.inlines if obj is not None else ()

    def render_change_form(self, request, context, *args, **kwargs):
        response = super().render_change_form(request, context, *args, **kwargs)
        if request.method == "POST":
            # Shown again because a form failed: undo what the others wrote meanwhile.
            # (Django runs this view in a transaction and renders the page after it.)
            transaction.set_rollback(True)
        return response

    def save_model(self, request, obj, form, change):
        """Nothing left to do: the form wrote through the service when it validated."""

    def save_related(self, request, form, formsets, change):
        # The inline forms wrote while validating too (so `form.save_m2m` must not run);
        # keep what they did for the admin's change message.
        for formset in formsets:
            rows = formset.forms
            formset.new_objects = [row.instance for row in rows if row.outcome == "added"]
            formset.changed_objects = [
                (row.instance, row.changed_data) for row in rows if row.outcome == "changed"
            ]
            formset.deleted_objects = [row.instance for row in rows if row.outcome == "deleted"]

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ValidationError as error:
            self.message_user(request, refusal_text(error), messages.ERROR)
            opts = self.opts
            return redirect(f"admin:{opts.app_label}_{opts.model_name}_change", object_id)

    def delete_model(self, request, obj):
        self.delete(request, obj)

    def delete_queryset(self, request, queryset):
        # Django reports the deletion itself; only refusals need a message here.
        self.run_service_action(request, queryset, lambda obj, actor: self.delete(request, obj))


class ServiceInline(ServiceWrites, admin.TabularInline):
    extra = 1
    show_change_link = True

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        self.bind(formset.form, request)
        return formset
