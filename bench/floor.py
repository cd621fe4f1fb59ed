"""The floor: the cheapest useful Django view over the same data, served only in bench mode.

Every figure in the benchmark report is a ratio to this view's throughput and latency,
measured in the same run on the same settings (so connection reuse is the same too)."""

from django.http import JsonResponse

from projects.models import Milestone

FIELDS = ("id", "title", "status", "category", "due_date", "baseline_due_date", "project_id")


def floor(request):
    return JsonResponse({"results": list(Milestone.objects.order_by("id").values(*FIELDS)[:100])})
