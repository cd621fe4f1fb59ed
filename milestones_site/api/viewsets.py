"""The base of every API viewset: parse with an input serializer, call a service, render
the re-read row with an output serializer and its ETag.

A resource subclasses `ServiceViewSet` with the mixins of the operations it offers and
names the services behind them in `writes` (milestones_site.services.writes); the router
registers exactly the routes those mixins provide. An action on one row (`complete/`,
`approve/`) is declared with `row_action`.
"""

from django.db import models, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.http import http_date
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, filters, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response
from rest_framework.views import APIView

from milestones_site.api.concurrency import (
    ensure_matches,
    etag_for,
    expected_version,
    parse_if_match,
)
from milestones_site.api.filters import StrictFilterBackend
from milestones_site.api.idempotency import IdempotentPostMixin
from milestones_site.api.inputs import is_valid_id
from milestones_site.api.locations import location_of
from milestones_site.services.writes import Writes
from milestones_site.web.conditional import (
    not_modified,
    not_modified_since,
    revalidated,
    state_of,
)


def answers_with_etag(method):
    """Marks a view method whose successful answers carry the row's `ETag` (a list's only
    where reads are conditional): the schema declares the header on them."""
    method.answers_with_etag = True
    return method


class ThrottleUnauthenticatedMixin:
    """Callers without valid credentials count against the anonymous (per-IP) limit, so
    guessing tokens is throttled too; DRF would refuse them before throttling."""

    def initial(self, request, *args, **kwargs):
        try:
            super().initial(request, *args, **kwargs)
        except (exceptions.NotAuthenticated, exceptions.AuthenticationFailed):
            self.check_throttles(request)
            raise


class ServiceViewSet(ThrottleUnauthenticatedMixin, IdempotentPostMixin, viewsets.GenericViewSet):
    model: type[models.Model]
    writes: Writes | None = None
    output_serializer_class = None
    create_serializer_class = None
    update_serializer_class = None
    # Reads answer `If-None-Match` with 304 (milestones_site.web.conditional): only for
    # resources whose representations show nothing but the content of workspaces.
    conditional_reads = False

    def get_serializer_class(self):
        return self.output_serializer_class

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            # Schema generation: no caller and no database to read.
            return self.model.objects.none()
        return self.visible_queryset()

    def visible_queryset(self) -> models.QuerySet:
        """The rows the caller may read, annotated and prefetched for the output serializer."""
        raise NotImplementedError

    def rows_to_change(self) -> models.QuerySet:
        """The rows a write may name: those the caller may read. The service re-reads its
        row under a lock and the response re-reads it with its annotations, so a resource
        may leave the annotations out here and add the related rows its services read."""
        return self.get_queryset()

    def create_object(self, data: dict) -> models.Model:
        return self.writes.create_row(actor=self.request.user, data=data)

    def update_object(self, row: models.Model, data: dict, *, expected_version) -> models.Model:
        return self.writes.update_row(
            row, actor=self.request.user, data=data, expected_version=expected_version
        )

    def delete_object(self, row: models.Model) -> None:
        self.writes.delete_row(row, actor=self.request.user)

    def get_object(self):
        lookup = self.kwargs.get(self.lookup_url_kwarg or self.lookup_field)
        if not is_valid_id(lookup):
            raise Http404
        if self.request.method in SAFE_METHODS or self.request.query_params:
            # Reads, and filters (which may name annotations), go through DRF.
            return super().get_object()
        row = get_object_or_404(self.rows_to_change(), **{self.lookup_field: lookup})
        self.check_object_permissions(self.request, row)
        return row

    def filter_queryset(self, queryset):
        # One row by id without query parameters: the filter backends would only add an
        # ordering that the lookup drops, after building a filter form.
        if getattr(self, "detail", False) and not self.request.query_params:
            return queryset
        if not self.request.query_params.keys() - self.page_params():
            # Nothing to filter or search by: only the default ordering applies. The
            # other backends would build and validate an empty filter form to change nothing.
            for backend in self.filter_backends:
                if issubclass(backend, filters.OrderingFilter):
                    queryset = backend().filter_queryset(self.request, queryset, self)
            return queryset
        return super().filter_queryset(queryset)

    def page_params(self) -> set[str]:
        paginator = self.paginator
        if paginator is None:
            return set()
        return {paginator.page_query_param, paginator.page_size_query_param}

    def query_param_names(self) -> set[str]:
        """The parameters this list takes: its filters, ordering, search and paging."""
        names = self.page_params()
        for backend in self.filter_backends:
            if issubclass(backend, StrictFilterBackend):
                names |= backend().parameter_names(self, self.model._default_manager.none())
            elif issubclass(backend, filters.OrderingFilter):
                names.add(backend.ordering_param)
            elif issubclass(backend, filters.SearchFilter) and getattr(self, "search_fields", ()):
                names.add(backend.search_param)
        return names

    def check_query_values(self) -> None:
        """Reads every parameter's value as the list would (a bad one is a 400) without
        reading a row: filter sets and orderings build querysets lazily."""
        self.filter_queryset(self.get_queryset())
        if self.paginator is not None:
            self.paginator.check_params(self.request)

    def check_query_params(self) -> None:
        """A parameter the list does not take is refused, naming those it takes: a
        misspelt filter must not return the whole list as if it had matched."""
        known = self.query_param_names()
        unknown = self.request.query_params.keys() - known
        if unknown:
            takes = ", ".join(sorted(self.query_param_names()))
            raise exceptions.ValidationError(
                {
                    name: [f"Unknown parameter; this list takes: {takes}."]
                    for name in sorted(unknown)
                }
            )

    def unfiltered(self) -> bool:
        """The list is every row the caller may read (in any order)."""
        ordering = {
            backend.ordering_param
            for backend in self.filter_backends
            if issubclass(backend, filters.OrderingFilter)
        }
        return not self.request.query_params.keys() - self.page_params() - ordering

    def stored_count(self) -> int | None:
        """How many rows `unfiltered` lists, when stored roll-ups know it without a count."""
        return None

    def parse(self, serializer_class, *, partial: bool = False) -> dict:
        serializer = serializer_class(
            data=self.request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def render(self, rows: list[models.Model]) -> list[dict]:
        """The output of these rows: the output serializer's, unless the resource renders
        its rows with plain functions (milestones_site/api/outputs.py)."""
        return self.get_serializer(rows, many=True).data

    def read_state(self, *extra) -> str | None:
        """The state this caller's reads of the resource show, plus `extra` (None where
        reads are not conditional)."""
        return state_of(self.request, *extra) if self.conditional_reads else None

    def tag_for(self, instance: models.Model) -> str:
        return etag_for(instance, self.read_state())

    def current_representation(self, instance: models.Model) -> tuple[dict, str]:
        """The row re-read with its annotations, as the resource shows it."""
        fresh = self.get_queryset().get(pk=instance.pk)
        return self.render([fresh])[0], self.tag_for(fresh)

    def respond(self, instance: models.Model, status_code: int = status.HTTP_200_OK) -> Response:
        data, etag = self.current_representation(instance)
        if status_code == status.HTTP_201_CREATED:
            return self.created(instance, data, etag=etag)
        return Response(data, status=status_code, headers={"ETag": etag})

    def created(
        self, instance: models.Model, body, *, etag: str | None = None, shows_secret: bool = False
    ) -> Response:
        """The 201 answer to a POST that made `instance`: its representation `body`, its
        `Location` (the detail route of the resource that shows it) and its ETag. Every 201
        of the API is made here. `shows_secret`: the body holds a secret shown only once
        (a token, a secret URL), which an Idempotency-Key must not keep."""
        headers = {"Location": location_of(self.request, instance)}
        if etag is not None:
            headers["ETag"] = etag
        response = Response(body, status=status.HTTP_201_CREATED, headers=headers)
        response.shows_secret_once = shows_secret
        return response

    def check_precondition(self, instance: models.Model, *, by_service: bool) -> int | None:
        """Honour If-Match. Versioned rows handed to a service that takes
        `expected_version` get the version to check under the service's lock; otherwise
        the row is locked and compared here (call inside a transaction)."""
        tags = parse_if_match(self.request.headers.get("If-Match"))
        if by_service and hasattr(instance, "version"):
            return expected_version(instance, tags)
        if tags is not None:
            current = type(instance)._base_manager.select_for_update().get(pk=instance.pk)
            ensure_matches(current, tags)
        return None

    def run_action(self, serializer_class, service) -> Response:
        """A POST action on one row: parse the body, honour If-Match, call the service
        (which takes the row as `<model name>=`), render the row as it is now."""
        instance = self.get_object()
        data = self.parse(serializer_class)
        with transaction.atomic():
            expected = self.check_precondition(instance, by_service=True)
            instance = service(
                **{instance._meta.model_name: instance},
                actor=self.request.user,
                expected_version=expected,
                **data,
            )
        return self.respond(instance)


class UnknownEndpointView(APIView):
    """Any path under the API that names no endpoint: a JSON 404, never an HTML page."""

    schema = None
    authentication_classes = ()
    permission_classes = ()

    def http_method_not_allowed(self, request, *args, **kwargs):
        raise exceptions.NotFound("No endpoint at this path; the schema lists them all.")


class ListMixin:
    """GET on the collection: the caller's rows, filtered, searched, ordered and paged; 304
    without reading them when nothing the list shows has changed."""

    @answers_with_etag
    def list(self, request, *args, **kwargs):
        self.check_query_params()
        state = self.read_state(request.get_full_path())
        if state is None:
            return self.listed()
        etag = f'"{state}"'
        unchanged = not_modified(request, etag)
        if unchanged is not None:
            self.check_query_values()  # a bad value is a 400, never a 304
        response = unchanged or self.listed()
        response["ETag"] = etag
        return revalidated(response)

    def listed(self) -> Response:
        rows = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(rows)
        if page is None:
            return Response(self.render(list(rows)))
        return self.get_paginated_response(self.render(list(page)))


class RetrieveMixin:
    """GET on one row; where reads are conditional, 304 for `If-None-Match` naming its tag
    or `If-Modified-Since` no earlier than its `updated_at` (sent as `Last-Modified`)."""

    @answers_with_etag
    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        etag = self.tag_for(instance)
        if not self.conditional_reads:
            return Response(self.render([instance])[0], headers={"ETag": etag})
        last_modified = getattr(instance, "updated_at", None)
        unchanged = not_modified(request, etag) or not_modified_since(request, last_modified, etag)
        if unchanged is not None:
            return revalidated(unchanged)
        response = Response(self.render([instance])[0], headers={"ETag": etag})
        if last_modified is not None:
            response["Last-Modified"] = http_date(last_modified.timestamp())
        return revalidated(response)


class CreateMixin:
    @answers_with_etag
    def create(self, request, *args, **kwargs):
        instance = self.create_object(self.parse(self.create_serializer_class))
        return self.respond(instance, status.HTTP_201_CREATED)


class UpdateMixin:
    """PATCH only: the fields sent are written, the others stay as they are."""

    @answers_with_etag
    def partial_update(self, request, *args, **kwargs):
        instance = self.get_object()
        data = self.parse(self.update_serializer_class, partial=True)
        with transaction.atomic():
            expected = self.check_precondition(instance, by_service=True)
            instance = self.update_object(instance, data, expected_version=expected)
        return self.respond(instance)


class DestroyMixin:
    def destroy(self, request, *args, **kwargs):
        instance = self.get_object()
        with transaction.atomic():
            self.check_precondition(instance, by_service=False)
            self.delete_object(instance)
        return Response(status=status.HTTP_204_NO_CONTENT)


def row_action(name: str, service, input_serializer, output_serializer, *, description: str):
    """`POST /<resource>/{id}/<name>/` (dashes for underscores): parse the body with
    `input_serializer`, honour If-Match, call `service` on the row (as `<model name>=`) with
    the caller as actor, and answer with the row as it is now."""

    @answers_with_etag
    def run(self, request, pk=None):
        return self.run_action(input_serializer, service)

    run.__name__ = name
    run.__doc__ = description
    run = action(detail=True, methods=["post"], url_path=name.replace("_", "-"))(run)
    return extend_schema(request=input_serializer, responses=output_serializer)(run)
