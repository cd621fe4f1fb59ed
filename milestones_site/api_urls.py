"""REST API v1: every resource is registered here."""

urlpatterns: list = []
