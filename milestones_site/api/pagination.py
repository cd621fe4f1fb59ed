"""Page-number pagination: `?page=`, `?page_size=` (at most 200) and a total `count`.

A list that nothing filters may know its total from stored roll-ups (the viewset's
`stored_count`); then the database is not asked to count the rows again."""

from functools import partial

from django.core.paginator import Paginator
from rest_framework import pagination


class KnownCountPaginator(Paginator):
    """Django's paginator, told how many rows there are instead of counting them."""

    def __init__(self, object_list, per_page, *, count: int, **options):
        super().__init__(object_list, per_page, **options)
        self.count = count  # `count` is a cached property: this is its value


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(self, queryset, request, view=None):
        counted = hasattr(view, "stored_count") and view.unfiltered()
        known = view.stored_count() if counted else None
        self.django_paginator_class = (
            Paginator if known is None else partial(KnownCountPaginator, count=known)
        )
        return super().paginate_queryset(queryset, request, view)
