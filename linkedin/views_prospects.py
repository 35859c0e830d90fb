"""The candidate's LinkedIn tab actions: link the candidate to a LinkedIn member, or unlink; save
the member to a LinkedIn Recruiter project, send an InMail, keep me updated."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from attract.access import candidate_for_user
from attract.forms import StyledForm, add_service_errors
from candidates.models import Candidate
from candidates.views.common import _tab
from linkedin import services_actions, services_prospects
from linkedin.forms_actions import InMailForm, ProjectForm
from linkedin.selectors_prospects import linkedin_tab


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


# --- Recruiter actions (done in LinkedIn Recruiter with the user's own connection) -------------


def _tab_again(
    request: HttpRequest, candidate: Candidate, form, error: ValidationError | None = None
) -> HttpResponse:
    """The tab again with the refused form and its errors (nothing was sent to LinkedIn)."""
    context = linkedin_tab(request.user, candidate)
    actions = context.get("actions") or {"ready": False}
    if not actions["ready"]:  # no form to show it on: the tab says why the actions are off
        messages.error(request, " ".join(error.messages) if error else "Not sent.")
        return redirect("candidates:linkedin", candidate.pk)
    if error is not None:
        add_service_errors(form, error)
    if isinstance(form, ProjectForm):
        form.set_projects(actions.get("projects") or [])
        actions = {**actions, "project_form": form}
    else:
        actions = {**actions, "inmail_form": form}
    return _tab(request, candidate, "linkedin", {**context, "actions": actions}, status=422)


@login_required
@require_POST
def candidate_save_to_project(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = candidate_for_user(request.user, pk)
    form = ProjectForm(request.POST)
    if not form.is_valid():
        return _tab_again(request, candidate, form)
    try:
        done = services_actions.candidate_save_to_project(
            by=request.user, candidate=candidate, project_urn=form.cleaned_data["project"]
        )
    except ValidationError as exc:
        return _tab_again(request, candidate, form, exc)
    verb = "was already in" if done.already else "is saved to"
    messages.success(request, f"{candidate.full_name} {verb} the project {done.name}.")
    return redirect("candidates:linkedin", candidate.pk)


@login_required
@require_POST
def candidate_send_inmail(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = candidate_for_user(request.user, pk)
    form = InMailForm(request.POST)
    if not form.is_valid():
        return _tab_again(request, candidate, form)
    try:
        services_actions.candidate_send_inmail(
            by=request.user,
            candidate=candidate,
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
        )
    except ValidationError as exc:
        return _tab_again(request, candidate, form, exc)
    messages.success(
        request,
        f"InMail sent to {candidate.full_name}. It shows in the InMail history after the next "
        "LinkedIn sync.",
    )
    return redirect("candidates:linkedin", candidate.pk)


@login_required
@require_POST
def candidate_keep_updated(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = candidate_for_user(request.user, pk)
    try:
        done = services_actions.candidate_keep_updated(by=request.user, candidate=candidate)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("candidates:linkedin", candidate.pk)
    already = "already " if done.already else ""
    messages.success(
        request,
        f"You {already}get LinkedIn Recruiter alerts when {candidate.full_name}'s profile changes.",
    )
    return redirect("candidates:linkedin", candidate.pk)
