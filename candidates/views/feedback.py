"""The Feedback tab: interview feedback, hidden from interviewers until they submit theirs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from attract.access import (
    candidate_for_user,
)
from attract.forms import add_service_errors
from candidates.forms import (
    FeedbackForm,
    rating_formset,
)
from candidates.models import Application, InterviewFeedback
from candidates.selectors import (
    applications_with_feedback,
    feedback_panel,
)
from candidates.services import (
    feedback_submit,
)
from candidates.views.common import (
    _candidate_application,
    _tab,
)


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
