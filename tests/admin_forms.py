"""The POST body a browser sends when it saves a Django admin change form."""


def change_form_data(response) -> dict:
    """Everything the admin change form rendered in `response` posts when saved as shown:
    the main form, each inline formset's management form and its rows."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for field in form:
            value = field.value()
            if value is not None:
                data[field.html_name] = value
            if field.field.show_hidden_initial:
                data[field.html_initial_name] = value
    return data
