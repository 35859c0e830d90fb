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
from linkedin import services_export, services_outbox
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
