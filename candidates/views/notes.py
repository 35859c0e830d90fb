"""The Notes tab: add, edit and delete one's notes (HTMX in place, plain forms without JS)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from attract.access import (
    candidate_for_user,
)
from attract.forms import add_service_errors
from attract.models import User
from candidates.forms import (
    NoteEditForm,
    NoteForm,
)
from candidates.models import Candidate, Note
from candidates.selectors import (
    applications_for_notes,
    notes_visible_to,
)
from candidates.services import (
    note_add,
    note_delete,
    note_edit,
)
from candidates.views.common import (
    NOTES_TEMPLATE,
    _chosen_application,
    _tab,
)


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
