"""Page-number pagination: `?page=`, `?page_size=` (at most 200) and a total `count`."""

from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
