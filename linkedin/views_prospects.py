"""The candidate's LinkedIn tab actions: link the candidate to a LinkedIn member, or unlink."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from attract.access import candidate_for_user
from attract.forms import StyledForm
from linkedin import services_prospects


class LinkMemberForm(StyledForm):
    member_urn = forms.CharField(label="LinkedIn member", max_length=100)


def _outcome(request: HttpRequest, done: str, pushed: bool) -> None:
    tail = "" if pushed else " LinkedIn was not told (not connected, or the candidate not synced)."
    messages.success(request, done + tail)


@login_required
@require_POST
def candidate_link(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = candidate_for_user(request.user, pk)
    form = LinkMemberForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a LinkedIn member to link.")
        return redirect("candidates:linkedin", candidate.pk)
    try:
        pushed = services_prospects.candidate_link_member(
            by=request.user, candidate=candidate, member_urn=form.cleaned_data["member_urn"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        _outcome(request, f"{candidate.full_name} is linked to the LinkedIn member.", pushed)
    return redirect("candidates:linkedin", candidate.pk)


@login_required
@require_POST
def candidate_unlink(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = candidate_for_user(request.user, pk)
    pushed = services_prospects.candidate_unlink_member(by=request.user, candidate=candidate)
    _outcome(request, f"{candidate.full_name} is no longer linked to a LinkedIn member.", pushed)
    return redirect("candidates:linkedin", candidate.pk)
