"""Shared pieces of the candidate pages: the tabs and scoped lookups."""

from django.http import Http404
from django.shortcuts import render

from attract.access import (
    application_for_user,
    can_use_pools,
    is_admin,
)
from attract.models import User
from candidates.models import Application, Candidate

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
