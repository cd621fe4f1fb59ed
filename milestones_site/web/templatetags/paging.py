"""Links between the pages of a list that keep the rest of the query string (filters, sort)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context, number: int) -> str:
    """`?<the current query, its page replaced>`: `{% page_url page_obj.next_page_number %}`."""
    query = context["request"].GET.copy()
    query["page"] = number
    return f"?{query.urlencode()}"
