"""The deliverable page: its versions and their previews, uploading the next version, pinned
comments, side-by-side comparison and the review rounds; and the files, served to members
of its workspace only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from deliverables.models import Deliverable, DeliverableVersion, ProofComment, ProofFile
from deliverables.selectors.proofing import deliverable_proofing
from deliverables.services import proofs as proof_services
from deliverables.services import versions as version_services
from deliverables.serving import file_response
from deliverables.web.forms import ProofCommentForm, VersionUploadForm
from deliverables.web.views import visible_deliverable
from milestones_site.web.forms import add_service_errors
from projects.web.views.common import allowed_actions


def deliverable_url(pk: int, anchor: str = "") -> str:
    return reverse("deliverables:deliverable_detail", args=[pk]) + (f"#{anchor}" if anchor else "")


def compared_versions(request) -> tuple[int, int] | None:
    try:
        return int(request.GET["compare"]), int(request.GET["with"])
    except (KeyError, ValueError):
        return None


def deliverable_page(request, pk: int, *, status: int = 200, **forms):
    try:
        proofing = deliverable_proofing(
            user=request.user, deliverable_id=pk, compare=compared_versions(request)
        )
    except Deliverable.DoesNotExist:
        raise Http404("No such deliverable.") from None
    deliverable = proofing.deliverable
    context = {
        "proofing": proofing,
        "deliverable": deliverable,
        "milestone": deliverable.milestone,
        "project": deliverable.milestone.project,
        "allowed": allowed_actions(request.user, deliverable.milestone.project.workspace),
        "upload_form": VersionUploadForm(),
        "comment_form": ProofCommentForm(),
        "files_base": "/files/",
        **forms,
    }
    return render(request, "deliverables/deliverable_detail.html", context, status=status)


@login_required
@require_GET
def deliverable_detail(request, pk: int):
    return deliverable_page(request, pk)


@login_required
@require_POST
def version_upload(request, pk: int):
    deliverable = visible_deliverable(request.user, pk)
    form = VersionUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            version = version_services.version_upload(
                deliverable=deliverable,
                actor=request.user,
                files=form.cleaned_data["files"],
                summary=form.cleaned_data["summary"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{version.label} uploaded; previews are on their way.")
            return redirect(deliverable_url(pk, f"version-{version.number}"))
    return deliverable_page(request, pk, status=422, upload_form=form)


@login_required
@require_POST
def proof_comment_post(request, version_pk: int):
    version = get_object_or_404(
        DeliverableVersion.objects.visible_to(request.user)
        .select_related("deliverable__milestone__project__workspace")
        .prefetch_related("files"),
        pk=version_pk,
    )
    form = ProofCommentForm(request.POST, prefix=f"v{version.pk}")
    if form.is_valid():
        try:
            comment = proof_services.proof_comment_post(
                version=version,
                actor=request.user,
                body=form.cleaned_data["body"],
                **form.pin(version),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Comment #{comment.number} posted on {version.label}.")
            return redirect(deliverable_url(version.deliverable_id, f"comment-{comment.pk}"))
    return deliverable_page(request, version.deliverable_id, status=422, comment_form=form)


@login_required
@require_POST
def proof_comment_resolve(request, pk: int):
    comment = get_object_or_404(
        ProofComment.objects.visible_to(request.user).select_related(
            "on_version__deliverable__milestone__project__workspace"
        ),
        pk=pk,
    )
    resolved = request.POST.get("resolved") == "1"
    proof_services.proof_comment_resolve(comment=comment, actor=request.user, resolved=resolved)
    return redirect(deliverable_url(comment.on_version.deliverable_id, f"comment-{comment.pk}"))


@login_required
@require_GET
def proof_file(request, pk: int, variant: str):
    """A file or a preview, for members of its workspace (anyone else: 404)."""
    file = get_object_or_404(ProofFile.objects.visible_to(request.user), pk=pk)
    return file_response(file, variant, download="download" in request.GET)
