"""API: your notifications (list, read marks), your preferences, and webhook endpoints
with their delivery log. Built on milestones_site.api.viewsets like every other resource."""

from django.db import transaction
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from milestones_site.api.viewsets import (
    CreateMixin,
    DestroyMixin,
    ListMixin,
    RetrieveMixin,
    ServiceViewSet,
    ThrottleUnauthenticatedMixin,
    UpdateMixin,
)
from notifications import selectors, services
from notifications.api import filters, inputs
from notifications.api import outputs as out
from notifications.models import Follow, Notification, WebhookEndpoint
from notifications.preferences import preference_for
from projects import permissions
from projects.permissions import Action
from projects.querysets import readable_workspace_ids


class NotificationViewSet(ListMixin, RetrieveMixin, ServiceViewSet):
    """Your notifications, newest first; `?unread=true` for the unread ones."""

    model = Notification
    output_serializer_class = out.NotificationSerializer
    filterset_class = filters.NotificationFilter
    ordering_fields = ("created_at",)
    ordering = ("-created_at", "-id")
    search_fields = ("title",)

    def visible_queryset(self):
        return selectors.notifications_of(self.request.user)

    @extend_schema(request=None, responses=out.NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = services.notification_mark_read(
            notification=self.get_object(), user=request.user
        )
        return Response(out.NotificationSerializer(notification).data)

    @extend_schema(
        request=None,
        responses=inline_serializer("MarkedRead", {"marked": serializers.IntegerField()}),
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": services.notification_mark_all_read(user=request.user)})


class FollowViewSet(ListMixin, RetrieveMixin, CreateMixin, DestroyMixin, ServiceViewSet):
    """What you follow, as the follow buttons of the project and milestone pages do: you
    hear about changes to them. POST a project or a milestone to follow it (201, or 200 when
    you followed it already); DELETE to unfollow."""

    model = Follow
    output_serializer_class = out.FollowSerializer
    create_serializer_class = inputs.FollowInput
    ordering_fields = ("created_at",)
    ordering = ("-created_at", "-id")

    def visible_queryset(self):
        return selectors.follows_of(self.request.user)

    @extend_schema(responses={201: out.FollowSerializer, 200: out.FollowSerializer})
    def create(self, request, *args, **kwargs):
        subject = self.parse(inputs.FollowInput)["subject"]
        follow, created = services.follow_start(user=request.user, subject=subject)
        return self.respond(follow, status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    def delete_object(self, follow):
        subject = follow.project or follow.milestone
        services.follow_stop(user=self.request.user, subject=subject)


class NotificationPreferenceView(ThrottleUnauthenticatedMixin, APIView):
    """Your notification preferences (defaults until you change them)."""

    @extend_schema(responses=out.PreferenceSerializer)
    def get(self, request):
        return Response(out.PreferenceSerializer(preference_for(request.user)).data)

    @extend_schema(request=inputs.PreferenceInput, responses=out.PreferenceSerializer)
    def patch(self, request):
        data = inputs.PreferenceInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        preference = services.preference_update(user=request.user, data=data.validated_data)
        return Response(out.PreferenceSerializer(preference).data)


class WebhookEndpointViewSet(
    ListMixin, RetrieveMixin, CreateMixin, UpdateMixin, DestroyMixin, ServiceViewSet
):
    """Webhook endpoints of your workspaces; owners manage them. The signing secret is
    shown once, in the create response."""

    model = WebhookEndpoint
    writes = services.WEBHOOK_ENDPOINT_WRITES
    output_serializer_class = out.WebhookEndpointSerializer
    create_serializer_class = inputs.WebhookCreateInput
    update_serializer_class = inputs.WebhookUpdateInput
    ordering_fields = ("created_at",)
    ordering = ("id",)

    def visible_queryset(self):
        endpoints = WebhookEndpoint.objects.filter(
            workspace_id__in=readable_workspace_ids(self.request.user)
        )
        if self.action == "list":
            # Only owners see endpoints (they say where data goes); others see none. A
            # detail route finds the row and answers 403 to members (get_object).
            return endpoints.filter(
                workspace__in=selectors.manageable_workspaces(self.request.user)
            )
        return endpoints

    def get_object(self):
        endpoint = super().get_object()
        permissions.ensure(self.request.user, Action.WORKSPACE_UPDATE, endpoint.workspace)
        return endpoint

    @extend_schema(responses={201: out.CreatedWebhookEndpointSerializer})
    def create(self, request, *args, **kwargs):
        data = self.parse(inputs.WebhookCreateInput)
        endpoint = services.webhook_endpoint_create(
            workspace=data["workspace"],
            actor=request.user,
            url=data["url"],
            event_types=data.get("event_types", []),
        )
        body = out.CreatedWebhookEndpointSerializer(endpoint).data
        return self.created(endpoint, body, shows_secret=True)

    @extend_schema(
        request=inputs.WebhookRotateSecretInput,
        responses=out.CreatedWebhookEndpointSerializer,
    )
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, pk=None):
        """A new signing secret, shown once; deliveries carry a signature with each of the
        new and the previous secret until `previous_secret_expires_at`."""
        endpoint = self.get_object()
        data = self.parse(inputs.WebhookRotateSecretInput)
        with transaction.atomic():
            self.check_precondition(endpoint, by_service=False)
            endpoint = services.webhook_endpoint_rotate_secret(
                endpoint=endpoint, actor=request.user, overlap_hours=data["overlap_hours"]
            )
        return Response(out.CreatedWebhookEndpointSerializer(endpoint).data)

    @extend_schema(responses=out.WebhookDeliverySerializer(many=True))
    @action(detail=True, methods=["get"])
    def deliveries(self, request, pk=None):
        page = self.paginate_queryset(selectors.delivery_log(self.get_object()))
        return self.get_paginated_response(out.WebhookDeliverySerializer(page, many=True).data)
