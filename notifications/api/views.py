"""API: your notifications (list, read marks), your preferences, and webhook endpoints
with their delivery log. Built on milestones_site.api_views like every other resource."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from milestones_site.api.inputs import InputSerializer, ModelInputSerializer, VisibleRelatedField
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
from notifications.models import (
    Notification,
    NotificationPreference,
    WebhookDelivery,
    WebhookEndpoint,
)
from notifications.preferences import preference_for
from projects import permissions
from projects.models import Workspace
from projects.permissions import Action, readable_workspace_ids

# Outputs -------------------------------------------------------------------------------------


class NotificationSerializer(serializers.ModelSerializer):
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = (
            "id",
            "kind",
            "title",
            "body",
            "url",
            "created_at",
            "read_at",
            "is_read",
            "email_state",
        )

    def get_is_read(self, notification) -> bool:
        return notification.read_at is not None


class PreferenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = NotificationPreference
        fields = (
            "timezone",
            "email_reminders",
            "email_events",
            "digest",
            "digest_weekday",
            "digest_hour",
        )


class WebhookEndpointSerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookEndpoint
        fields = (
            "id",
            "workspace",
            "url",
            "event_types",
            "active",
            "consecutive_failures",
            "disabled_reason",
            "created_at",
        )


class CreatedWebhookEndpointSerializer(WebhookEndpointSerializer):
    class Meta(WebhookEndpointSerializer.Meta):
        fields = (*WebhookEndpointSerializer.Meta.fields, "secret")


class WebhookDeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = (
            "id",
            "event",
            "event_type",
            "state",
            "attempts",
            "response_status",
            "last_error",
            "next_attempt_at",
            "created_at",
            "delivered_at",
        )


# Inputs --------------------------------------------------------------------------------------


class PreferenceInput(ModelInputSerializer):
    class Meta:
        model = NotificationPreference
        fields = PreferenceSerializer.Meta.fields


class EventTypesField(serializers.ListField):
    child = serializers.CharField(max_length=64)


class WebhookCreateInput(InputSerializer):
    workspace = VisibleRelatedField(queryset=Workspace.objects.all())
    url = serializers.URLField(max_length=500)
    event_types = EventTypesField(required=False, max_length=50)


class WebhookUpdateInput(InputSerializer):
    url = serializers.URLField(max_length=500, required=False)
    event_types = EventTypesField(required=False, max_length=50)
    active = serializers.BooleanField(required=False)


# Views ---------------------------------------------------------------------------------------


class NotificationViewSet(ListMixin, RetrieveMixin, ServiceViewSet):
    """Your notifications, newest first; `?unread=true` for the unread ones."""

    model = Notification
    output_serializer_class = NotificationSerializer
    ordering_fields = ("created_at",)
    ordering = ("-created_at", "-id")
    search_fields = ("title",)

    def visible_queryset(self):
        notifications = selectors.notifications_of(self.request.user)
        if self.request.query_params.get("unread") in ("true", "1"):
            notifications = notifications.unread()
        return notifications

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = services.notification_mark_read(
            notification=self.get_object(), user=request.user
        )
        return Response(NotificationSerializer(notification).data)

    @extend_schema(
        request=None,
        responses=inline_serializer("MarkedRead", {"marked": serializers.IntegerField()}),
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": services.notification_mark_all_read(user=request.user)})


class NotificationPreferenceView(ThrottleUnauthenticatedMixin, APIView):
    """Your notification preferences (defaults until you change them)."""

    @extend_schema(responses=PreferenceSerializer)
    def get(self, request):
        return Response(PreferenceSerializer(preference_for(request.user)).data)

    @extend_schema(request=PreferenceInput, responses=PreferenceSerializer)
    def patch(self, request):
        data = PreferenceInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        preference = services.preference_update(user=request.user, data=data.validated_data)
        return Response(PreferenceSerializer(preference).data)


class WebhookEndpointViewSet(
    ListMixin, RetrieveMixin, CreateMixin, UpdateMixin, DestroyMixin, ServiceViewSet
):
    """Webhook endpoints of your workspaces; owners manage them. The signing secret is
    shown once, in the create response."""

    model = WebhookEndpoint
    output_serializer_class = WebhookEndpointSerializer
    create_serializer_class = WebhookCreateInput
    update_serializer_class = WebhookUpdateInput
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

    @extend_schema(responses={201: CreatedWebhookEndpointSerializer})
    def create(self, request, *args, **kwargs):
        data = self.parse(WebhookCreateInput)
        endpoint = services.webhook_endpoint_create(
            workspace=data["workspace"],
            actor=request.user,
            url=data["url"],
            event_types=data.get("event_types", []),
        )
        return Response(
            CreatedWebhookEndpointSerializer(endpoint).data, status=status.HTTP_201_CREATED
        )

    def update_object(self, endpoint, data, *, expected_version):
        return services.webhook_endpoint_update(
            endpoint=endpoint, actor=self.request.user, data=data
        )

    def delete_object(self, endpoint):
        services.webhook_endpoint_delete(endpoint=endpoint, actor=self.request.user)

    @extend_schema(responses=WebhookDeliverySerializer(many=True))
    @action(detail=True, methods=["get"])
    def deliveries(self, request, pk=None):
        page = self.paginate_queryset(selectors.delivery_log(self.get_object()))
        return self.get_paginated_response(WebhookDeliverySerializer(page, many=True).data)
