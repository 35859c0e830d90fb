"""The candidate overview, adding, editing, merging, and documents."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from attract.access import (
    candidate_for_user,
)
from attract.forms import add_service_errors
from candidates.documents import DocumentRejected
from candidates.forms import (
    AddEmailForm,
    CandidateCreateForm,
    CandidateEditForm,
    DocumentForm,
    MergeConfirmForm,
    MergePickForm,
)
from candidates.models import Candidate
from candidates.selectors import (
    applications_for_notes,
    candidate_lookup,
    document_for_user,
    documents_visible_to,
    merge_counts,
    merge_preview,
)
from candidates.services import (
    candidate_add_email,
    candidate_create,
    candidate_merge,
    candidate_update,
    document_add,
)
from candidates.services.candidates import require_can_add_candidates
from candidates.views.common import (
    _can_edit,
    _chosen_application,
    _tab,
)
from linkedin.selectors_prospects import linkedin_tab


@login_required
@require_GET
def candidate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _overview(request, candidate_for_user(request.user, pk))


def _overview(request, candidate, *, email_form=None, upload_form=None, status=200):
    user = request.user
    can_edit = _can_edit(user)
    writable = applications_for_notes(user, candidate)
    upload_form = upload_form or DocumentForm()
    upload_form.set_applications(
        writable, empty="None: about the candidate" if can_edit else "Choose an application"
    )
    context = {
        "documents": documents_visible_to(user, candidate),
        "can_upload": can_edit or bool(writable),
        "email_form": email_form or AddEmailForm(),
        "upload_form": upload_form,
    }
    return _tab(request, candidate, "overview", context, status)


@login_required
@require_POST
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    candidate = candidate_for_user(user, pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        application = _chosen_application(user, candidate, data["application"])
        try:
            document = document_add(
                candidate=candidate,
                by=user,
                upload=data["file"],
                kind=data["kind"],
                application=application,
            )
        except DocumentRejected as exc:
            add_service_errors(form, ValidationError({"file": exc.error_list}))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{document.original_name} uploaded.")
            return redirect("candidates:detail", candidate.pk)
    return _overview(request, candidate, upload_form=form, status=422)


@login_required
@require_POST
def candidate_add_email_view(request: HttpRequest, pk: int) -> HttpResponse:
    require_can_add_candidates(request.user)
    candidate = candidate_for_user(request.user, pk)
    form = AddEmailForm(request.POST)
    if form.is_valid():
        try:
            row = candidate_add_email(
                candidate=candidate,
                by=request.user,
                email=form.cleaned_data["email"],
                primary=form.cleaned_data["primary"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{row.email} added.")
            return redirect("candidates:detail", candidate.pk)
    return _overview(request, candidate, email_form=form, status=422)


@login_required
@require_http_methods(["GET", "POST"])
def candidate_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_can_add_candidates(request.user)
    candidate = candidate_for_user(request.user, pk)
    data = request.POST if request.method == "POST" else None
    form = CandidateEditForm(data, candidate=candidate)
    if form.is_bound and form.is_valid():
        try:
            candidate_update(candidate=candidate, by=request.user, **form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{candidate.full_name} saved.")
            return redirect("candidates:detail", candidate.pk)
    context = {"form": form, "candidate": candidate}
    return render(
        request, "candidates/candidate_form.html", context, status=422 if form.errors else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def candidate_create_view(request: HttpRequest) -> HttpResponse:
    require_can_add_candidates(request.user)
    data = request.POST if request.method == "POST" else None
    form = CandidateCreateForm(data)
    if form.is_bound and form.is_valid():
        try:
            candidate, created = candidate_create(by=request.user, **form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if created:
                messages.success(request, f"{candidate.full_name} added.")
            else:
                messages.info(
                    request,
                    f"Already in Attract: {candidate.full_name} has the address "
                    f"{form.cleaned_data['email']}. Nothing was created; edit this record "
                    "to add what is new.",
                )
            return redirect("candidates:detail", candidate.pk)
    return render(
        request,
        "candidates/candidate_form.html",
        {"form": form},
        status=422 if form.errors else 200,
    )


# --- Applications: each with its stage history; withdraw, hire, reopen.


@login_required
@require_GET
def candidate_linkedin(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = candidate_for_user(request.user, pk)
    return _tab(request, candidate, "linkedin", linkedin_tab(request.user, candidate))


# --- Merge two records.


@login_required
@require_http_methods(["GET", "POST"])
def candidate_merge_view(request: HttpRequest, pk: int) -> HttpResponse:
    require_can_add_candidates(request.user)
    primary = candidate_for_user(request.user, pk)
    if request.method == "POST":
        return _merge(request, primary)
    form = MergePickForm(request.GET if "duplicate" in request.GET else None)
    duplicate = None
    if form.is_bound and form.is_valid():
        duplicate = candidate_lookup(request.user, form.cleaned_data["duplicate"])
        if duplicate is None:
            form.add_error("duplicate", "No candidate you can see has this id or email.")
        elif duplicate.pk == primary.pk:
            form.add_error("duplicate", "That is this record: pick the duplicate.")
            duplicate = None
    context = {"candidate": primary, "form": form, "duplicate": duplicate}
    if duplicate is not None:
        context["rows"] = merge_preview(primary, duplicate)
        context["counts"] = [merge_counts(request.user, c) for c in (primary, duplicate)]
    status = 422 if form.errors else 200
    return render(request, "candidates/candidate_merge.html", context, status=status)


def _merge(request, primary: Candidate) -> HttpResponse:
    form = MergeConfirmForm(request.POST)
    if not form.is_valid():
        raise Http404("No such candidate.")
    duplicate = candidate_for_user(request.user, form.cleaned_data["duplicate"])
    name, number = duplicate.full_name, duplicate.pk
    try:
        candidate_merge(primary=primary, duplicate=duplicate, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("candidates:merge", primary.pk)
    messages.success(request, f"{name} (#{number}) was merged into this record.")
    return redirect("candidates:detail", primary.pk)


# --- Documents.


@login_required
@require_GET
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    """Documents are only ever served as attachments, after an access check."""
    document = document_for_user(request.user, pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file is missing from storage.") from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
