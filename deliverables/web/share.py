"""What a client does with proofs through a share link, without an account: see the files
and previews of the link's project, and comment on a version awaiting their sign-off."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from deliverables.models import Deliverable, DeliverableVersion, ProofFile
from deliverables.services import proofs as proof_services
from deliverables.serving import file_response
from deliverables.web.forms import ProofCommentForm
from projects.web.forms.sharing import ReviewerForm
from projects.web.views.sharing import (
    active_link,
    remember_reviewer,
    remembered_reviewer,
    share_page,
)


@require_GET
@share_page
def share_file(request, token: str, pk: int, variant: str):
    """A file or preview of the link's project; any other file does not exist here."""
    link = active_link(token)
    file = get_object_or_404(
        ProofFile.objects.filter(version__deliverable__milestone__project_id=link.project_id),
        pk=pk,
    )
    return file_response(file, variant, download="download" in request.GET)


@require_POST
@share_page
def share_comment(request, token: str, version_pk: int):
    """A client's comment, pinned or not, on a version of a deliverable awaiting sign-off."""
    link = active_link(token)
    version = get_object_or_404(
        DeliverableVersion.objects.select_related(
            "deliverable__milestone__project"
        ).prefetch_related("files"),
        pk=version_pk,
    )
    back = reverse("projects:share", args=[token]) + f"#signoff-{version.deliverable_id}"
    form = ProofCommentForm(request.POST, prefix=f"v{version.pk}")
    who = ReviewerForm(
        request.POST, prefix=f"v{version.pk}", reviewer=remembered_reviewer(request, link)
    )
    if not (form.is_valid() and who.is_valid()):
        errors = [e for f in (who, form) for errors in f.errors.values() for e in errors]
        messages.error(request, " ".join(errors))
        return redirect(back)
    try:
        comment = proof_services.proof_comment_post_by_client(
            link=link,
            version=version,
            reviewer_name=who.cleaned_data["name"],
            reviewer_email=who.cleaned_data["email"],
            body=form.cleaned_data["body"],
            **form.pin(version),
        )
    except Deliverable.DoesNotExist:
        raise Http404("There is no such deliverable on this link.") from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    remember_reviewer(request, link, who.cleaned_data["name"], who.cleaned_data["email"])
    messages.success(request, f"Thank you: comment #{comment.number} is with the team.")
    return redirect(back)
