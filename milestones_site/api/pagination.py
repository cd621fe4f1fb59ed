"""Page-number pagination: `?page=`, `?page_size=` (at most 200) and a total `count`.
A page or page size that is not a whole number from 1 is refused (400); a page size above
200 gives pages of 200.

A list that nothing filters may know its total from stored roll-ups (the viewset's
`stored_count`); then the database is not asked to count the rows again."""

from functools import partial

from django.core.paginator import Paginator
from rest_framework import exceptions, pagination

from milestones_site.api.inputs import is_whole_number


def whole_number_from_1(request, param: str, accepts: str) -> int | None:
    """The parameter's value as a whole number of at least 1; None when not sent."""
    raw = request.query_params.get(param)
    if raw is None:
        return None
    if not is_whole_number(raw) or int(raw) < 1:
        raise exceptions.ValidationError({param: [f'"{raw}" is not {accepts}.']})
    return int(raw)


class KnownCountPaginator(Paginator):
    """Django's paginator, told how many rows there are instead of counting them."""

    def __init__(self, object_list, per_page, *, count: int, **options):
        super().__init__(object_list, per_page, **options)
        self.count = count  # `count` is a cached property: this is its value


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        accepts = f"a page size; use a whole number from 1 to {self.max_page_size}"
        size = whole_number_from_1(request, self.page_size_query_param, accepts)
        return self.page_size if size is None else min(size, self.max_page_size)

    def check_params(self, request) -> None:
        """The page and page size asked for are whole numbers from 1 (or `last`)."""
        self.get_page_size(request)
        if request.query_params.get(self.page_query_param) not in self.last_page_strings:
            self.get_page_number(request, None)

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        if raw in self.last_page_strings:
            return paginator.num_pages
        accepts = "a page number; use a whole number from 1 (or `last`)"
        return whole_number_from_1(request, self.page_query_param, accepts) or 1

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"] |= {"minimum": 1}
            if parameter["name"] == self.page_size_query_param:
                parameter["description"] = (
                    f"Rows per page; at most {self.max_page_size} are served (a larger value "
                    "gives pages of that many)."
                )
        return parameters

    def paginate_queryset(self, queryset, request, view=None):
        counted = hasattr(view, "stored_count") and view.unfiltered()
        known = view.stored_count() if counted else None
        self.django_paginator_class = (
            Paginator if known is None else partial(KnownCountPaginator, count=known)
        )
        return super().paginate_queryset(queryset, request, view)
