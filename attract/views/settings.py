"""Admin settings (company, LinkedIn) and user settings (profile, password, connections).

Users, process templates and rejection reasons live in admin_users, admin_templates and
admin_reasons.
"""

import mimetypes

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_GET

from attract.forms import add_service_errors
from attract.forms_settings import CompanyForm, PasswordForm, ProfileForm
from attract.selectors import organisation_get
from attract.services import organisation_update, user_change_password, user_update_profile
from attract.views.admin_base import INVALID, admin_view
from linkedin import admin_feed, admin_rsc


@admin_view
def company(request: HttpRequest) -> HttpResponse:
    organisation = organisation_get()
    if request.method == "POST":
        form = CompanyForm(request.POST, request.FILES, has_logo=bool(organisation.logo))
        if form.is_valid():
            try:
                organisation_update(by=request.user, **form.service_fields())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "Company settings saved.")
                return redirect("settings:company")
    else:
        form = CompanyForm(initial=_company_initial(organisation), has_logo=bool(organisation.logo))
    context = {"tab": "company", "form": form, "saved": organisation}
    return render(request, "settings/company.html", context, status=INVALID if form.errors else 200)


def _company_initial(organisation) -> dict:
    fields = ("company_name", "public_site_url", "privacy_notice", "retention_days")
    return {name: getattr(organisation, name) for name in fields}


@require_GET
def logo(request: HttpRequest) -> FileResponse:
    """The organisation's logo: public, like the career site that shows it (media is not served)."""
    organisation = organisation_get()
    if not organisation.logo:
        raise Http404("No logo.")
    try:
        handle = organisation.logo.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The logo is missing from storage.") from exc
    content_type = mimetypes.guess_type(organisation.logo.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "public, max-age=3600"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@admin_view
def linkedin(request: HttpRequest) -> HttpResponse:
    context = {"tab": "linkedin", **admin_feed.admin_context(request)}
    context.update(admin_rsc.admin_context(request))
    return render(request, "settings/linkedin.html", context)


# --- User settings: every signed-in user, about themselves only.


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                user_update_profile(user=user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "Your profile is saved.")
                return redirect("settings:profile")
    else:
        form = ProfileForm(
            initial={
                "first_name": user.first_name,
                "last_name": user.last_name,
                "email": user.email,
            }
        )
    context = {"tab": "profile", "form": form}
    return render(request, "settings/profile.html", context, status=INVALID if form.errors else 200)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change, saved through our service; the session stays signed in."""

    form_class = PasswordForm
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("settings:password")
    extra_context = {"tab": "password"}

    def form_valid(self, form: PasswordForm) -> HttpResponse:
        try:
            user_change_password(
                user=form.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        update_session_auth_hash(self.request, form.user)
        messages.success(self.request, "Your password is changed.")
        return redirect(self.get_success_url())

    def form_invalid(self, form: PasswordForm) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=INVALID)


password = PasswordChangeView.as_view()
