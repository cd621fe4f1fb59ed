"""`{% per_request "partial.html" %}`: a part of a page rendered for every request.

Rendered in place on an ordinary page. On a page kept by the read cache it leaves a slot
that projects.read_cache fills for each request, from the view's live context and the
context processors only, so a slot's partial must not read the rest of the page's context."""

from django import template
from django.utils.safestring import SafeString

from ..read_cache import SLOTS_CONTEXT, slot

register = template.Library()


@register.simple_tag(takes_context=True)
def per_request(context, template_name: str) -> SafeString:
    if context.get(SLOTS_CONTEXT):
        return SafeString(slot(template_name))
    return context.template.engine.get_template(template_name).render(context)
