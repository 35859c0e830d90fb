"""Sync dashboard actions on the admin LinkedIn tab (administrators only)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from attract.forms import StyledForm
from attract.views.admin_base import admin_view
from linkedin import services_export, services_history, services_outbox, services_sync
from linkedin.models_sync import SyncSettings


class SyncSettingsForm(StyledForm):
    job_availability = forms.ChoiceField(
        label="Jobs on LinkedIn",
        choices=SyncSettings.Availability.choices,
        widget=forms.RadioSelect,
        help_text="Recruiters can 1-click export to a job either way.",
    )


def settings_form() -> SyncSettingsForm:
    current = services_outbox.sync_settings_get().job_availability
    return SyncSettingsForm(initial={"job_availability": current})


@admin_view
@require_POST
def sync_run_now(request: HttpRequest) -> HttpResponse:
    queued = services_export.sync_run_now(by=request.user)
    messages.success(
        request, f"LinkedIn sync started: the outbox drains, {queued} export(s) queued again."
    )
    return redirect(reverse("settings:linkedin") + "#linkedin-sync")


@admin_view
@require_POST
def sync_settings(request: HttpRequest) -> HttpResponse:
    form = SyncSettingsForm(request.POST)
    if form.is_valid():
        try:
            services_outbox.sync_settings_update(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "LinkedIn sync settings saved; active jobs are sent again.")
    else:
        messages.error(request, "Choose how jobs are listed on LinkedIn.")
    return redirect(reverse("settings:linkedin") + "#linkedin-sync")


class HistoryAgainForm(StyledForm):
    confirm = forms.BooleanField(
        label="Send every job, candidate, application, note and feedback to LinkedIn again",
        help_text="LinkedIn updates what it has; this can take a while for a large history.",
    )


def _back() -> HttpResponse:
    return redirect(reverse("settings:linkedin") + "#linkedin-sync")


@admin_view
@require_POST
def sync_history_again(request: HttpRequest) -> HttpResponse:
    if not HistoryAgainForm(request.POST).is_valid():
        messages.error(request, "Tick the box to confirm sending the full history again.")
        return _back()
    try:
        outcome = services_history.history_request_again(by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _back()
    if outcome.status == "pending":
        messages.info(
            request,
            f"Nothing done: {outcome.pending} record(s) of the last full history are still "
            "waiting to be sent.",
        )
    elif outcome.status == "waiting":
        messages.info(request, "Nothing done: the full history was asked for and is being queued.")
    else:
        messages.success(request, "The full history is being queued for LinkedIn.")
    return _back()


@admin_view
@require_POST
def outbox_retry(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services_sync.outbox_retry(by=request.user, row_id=pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "The change is sent again at the next run.")
    return _back()


@admin_view
@require_POST
def outbox_retry_all(request: HttpRequest) -> HttpResponse:
    count = services_sync.outbox_retry(by=request.user)
    if count:
        messages.success(request, f"{count} refused change(s) are sent again at the next run.")
    else:
        messages.info(request, "No refused change is waiting.")
    return _back()
