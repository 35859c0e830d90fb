"""The candidate page and its tabs, adding and merging candidates, document downloads.

Each view checks access through `attract.access`, parses input with a form, calls one service
and redirects; the services hold the rules and refuse what the role matrix forbids.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from attract.access import (
    Perm,
    application_for_user,
    can_use_pools,
    candidate_for_user,
    is_admin,
    job_can,
)
from attract.forms import add_service_errors
from attract.models import User
from candidates.documents import DocumentRejected
from candidates.forms import (
    AddEmailForm,
    CandidateCreateForm,
    CandidateEditForm,
    DocumentForm,
    FeedbackForm,
    MergeConfirmForm,
    MergePickForm,
    NoteEditForm,
    NoteForm,
    WithdrawForm,
    rating_formset,
)
from candidates.models import Application, Candidate, InterviewFeedback, Note
from candidates.selectors import (
    applications_for_notes,
    applications_with_feedback,
    applications_with_history,
    candidate_lookup,
    document_for_user,
    documents_visible_to,
    feedback_panel,
    merge_counts,
    merge_preview,
    notes_visible_to,
)
from candidates.services import (
    application_hire,
    application_reopen,
    application_withdraw,
    candidate_add_email,
    candidate_create,
    candidate_merge,
    candidate_update,
    document_add,
    feedback_submit,
    note_add,
    note_delete,
    note_edit,
)
from candidates.services.candidates import require_can_add_candidates

TABS = [
    ("overview", "candidates:detail", "Overview"),
    ("applications", "candidates:applications", "Applications"),
    ("notes", "candidates:notes", "Notes"),
    ("feedback", "candidates:feedback", "Feedback"),
    ("linkedin", "candidates:linkedin", "LinkedIn"),
]
NOTES_TEMPLATE = "candidates/candidate_notes.html"


def _can_edit(user: User) -> bool:
    """Who may edit, add and merge candidate records (`require_can_add_candidates`)."""
    return is_admin(user) or can_use_pools(user)


def _tab(request, candidate: Candidate, tab: str, context: dict, status: int = 200):
    context = {
        "candidate": candidate,
        "tab": tab,
        "tabs": TABS,
        "can_edit": _can_edit(request.user),
        **context,
    }
    return render(request, f"candidates/candidate_{tab}.html", context, status=status)


def _candidate_application(user: User, candidate: Candidate, application_pk) -> Application:
    """One of the candidate's applications on a job whose team the user is on, else 404."""
    application = application_for_user(user, application_pk)
    if application.candidate_id != candidate.pk:
        raise Http404("No such application.")
    return application


def _chosen_application(user: User, candidate: Candidate, pk: int | None) -> Application | None:
    return None if pk is None else _candidate_application(user, candidate, pk)


# --- Overview: contact, documents, emails.


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
def candidate_applications(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    candidate = candidate_for_user(user, pk)
    rows = [
        {
            "application": a,
            "can_advance": job_can(user, a.job, Perm.ADVANCE_APPLICATION),
            "can_reopen": job_can(user, a.job, Perm.REJECT_APPLICATION),
        }
        for a in applications_with_history(user, candidate)
    ]
    return _tab(request, candidate, "applications", {"rows": rows})


def _act(request, pk: int, application_pk: int, service, done: str, **kwargs) -> HttpResponse:
    candidate = candidate_for_user(request.user, pk)
    application = _candidate_application(request.user, candidate, application_pk)
    try:
        service(application=application, by=request.user, **kwargs)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done.format(name=candidate.full_name, job=application.job))
    return redirect("candidates:applications", candidate.pk)


@login_required
@require_POST
def application_withdraw_view(request: HttpRequest, pk: int, application_pk: int) -> HttpResponse:
    form = WithdrawForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    done = "{name} withdrew from {job.number}."
    return _act(request, pk, application_pk, application_withdraw, done, comment=comment)


@login_required
@require_POST
def application_hire_view(request: HttpRequest, pk: int, application_pk: int) -> HttpResponse:
    return _act(request, pk, application_pk, application_hire, "{name} hired on {job.number}.")


@login_required
@require_POST
def application_reopen_view(request: HttpRequest, pk: int, application_pk: int) -> HttpResponse:
    done = "The application of {name} on {job.number} is active again."
    return _act(request, pk, application_pk, application_reopen, done)


# --- Notes: add, edit own (inline with HTMX, or on the notes page without JS), delete own.


@login_required
@require_GET
def candidate_notes(request: HttpRequest, pk: int) -> HttpResponse:
    return _notes(request, candidate_for_user(request.user, pk))


def _notes(request, candidate, *, form=None, editing=None, edit_form=None, status=200):
    user = request.user
    writable = applications_for_notes(user, candidate)
    form = form or NoteForm()
    form.set_applications(writable, empty="None: about the candidate")
    form.limit_visibility(on_application=bool(writable))
    context = {
        # Whoever sees the candidate may add notes about them; notes on an application need
        # EDIT_NOTES on its job, so only those applications are offered.
        "form": form,
        "notes": notes_visible_to(user, candidate),
        "editing": editing,
        "edit_form": edit_form,
    }
    return _tab(request, candidate, "notes", context, status)


def _visible_note(user: User, candidate: Candidate, note_pk: int) -> Note:
    note = notes_visible_to(user, candidate).filter(pk=note_pk).first()
    if note is None:
        raise Http404("No such note.")
    return note


@login_required
@require_POST
def note_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    candidate = candidate_for_user(user, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        application = _chosen_application(user, candidate, data["application"])
        try:
            note_add(
                candidate=candidate,
                by=user,
                body=data["body"],
                visibility=data["visibility"],
                application=application,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Note added.")
            return redirect("candidates:notes", candidate.pk)
    return _notes(request, candidate, form=form, status=422)


@login_required
@require_GET
def note_detail(request: HttpRequest, pk: int, note_pk: int) -> HttpResponse:
    """The note as shown in the list: the HTMX "Cancel" of an inline edit."""
    candidate = candidate_for_user(request.user, pk)
    note = _visible_note(request.user, candidate, note_pk)
    if not request.htmx:
        return redirect(f"{reverse('candidates:notes', args=[candidate.pk])}#note-{note.pk}")
    return render(request, f"{NOTES_TEMPLATE}#note", {"candidate": candidate, "note": note})


@login_required
@require_http_methods(["GET", "POST"])
def note_edit_view(request: HttpRequest, pk: int, note_pk: int) -> HttpResponse:
    user = request.user
    candidate = candidate_for_user(user, pk)
    note = _visible_note(user, candidate, note_pk)
    if note.author_id != user.pk:
        raise PermissionDenied("You can only edit your own notes.")
    data = request.POST if request.method == "POST" else None
    form = NoteEditForm(data, initial={"body": note.body, "visibility": note.visibility})
    form.limit_visibility(on_application=note.application_id is not None)
    if form.is_bound and form.is_valid():
        try:
            note = note_edit(note=note, by=user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _note_saved(request, candidate, note)
    if request.htmx:
        # HTMX swaps only 2xx answers: the form with its errors comes back as 200.
        context = {"candidate": candidate, "note": note, "edit_form": form}
        return render(request, f"{NOTES_TEMPLATE}#note_form", context)
    status = 422 if form.errors else 200
    return _notes(request, candidate, editing=note, edit_form=form, status=status)


def _note_saved(request, candidate: Candidate, note: Note) -> HttpResponse:
    if request.htmx:
        context = {"candidate": candidate, "note": note, "saved": True}
        return render(request, f"{NOTES_TEMPLATE}#note", context)
    messages.success(request, "Note saved.")
    return redirect(f"{reverse('candidates:notes', args=[candidate.pk])}#note-{note.pk}")


@login_required
@require_POST
def note_delete_view(request: HttpRequest, pk: int, note_pk: int) -> HttpResponse:
    candidate = candidate_for_user(request.user, pk)
    note_delete(note=_visible_note(request.user, candidate, note_pk), by=request.user)
    messages.success(request, "Note deleted.")
    return redirect("candidates:notes", candidate.pk)


# --- Interview feedback.


def _feedback_forms(application: Application, own: InterviewFeedback | None, data=None):
    prefix = f"fb{application.pk}"
    initial = {}
    if own is not None:
        initial = {
            "recommendation": own.recommendation,
            "strengths": own.strengths,
            "concerns": own.concerns,
            "comments": own.comments,
        }
    form = FeedbackForm(data, prefix=prefix, initial=initial)
    ratings = rating_formset(
        prefix=f"{prefix}-ratings", data=data, ratings=own.ratings if own else None
    )
    return form, ratings


@login_required
@require_GET
def candidate_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    return _feedback(request, candidate_for_user(request.user, pk))


def _feedback(request, candidate, *, bound=None, status=200):
    user = request.user
    panels = []
    for application in applications_with_feedback(user, candidate):
        panel = feedback_panel(user, application)
        if bound and bound[0] == application.pk:
            form, ratings = bound[1:]
        else:
            form, ratings = _feedback_forms(application, panel.own)
        panels.append({"panel": panel, "form": form, "ratings": ratings})
    return _tab(request, candidate, "feedback", {"panels": panels}, status)


@login_required
@require_POST
def feedback_submit_view(request: HttpRequest, pk: int, application_pk: int) -> HttpResponse:
    user = request.user
    candidate = candidate_for_user(user, pk)
    application = _candidate_application(user, candidate, application_pk)
    form, ratings = _feedback_forms(application, None, data=request.POST)
    if form.is_valid() and ratings.is_valid():
        try:
            feedback_submit(
                application=application, by=user, ratings=ratings.ratings(), **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Your feedback on {application.job.number} is saved.")
            url = reverse("candidates:feedback", args=[candidate.pk])
            return redirect(f"{url}#application-{application.pk}")
    return _feedback(request, candidate, bound=(application.pk, form, ratings), status=422)


# --- LinkedIn placeholder.


@login_required
@require_GET
def candidate_linkedin(request: HttpRequest, pk: int) -> HttpResponse:
    return _tab(request, candidate_for_user(request.user, pk), "linkedin", {})


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
