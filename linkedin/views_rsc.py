"""Recruiter System Connect pages: the admin tab's actions and the user's Connections page.

Thin views: a form parses the input, one service acts, then a redirect (POST/redirect/GET).
LinkedIn round trips (sign-in, plugin) come back to the GET views below with a `state`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from attract.forms import add_service_errors
from attract.views.admin_base import INVALID, admin_view
from linkedin import admin_feed, admin_rsc, selectors_rsc, services_rsc
from linkedin.forms_rsc import ClientSecretForm, ContractForm, OAuthReturnForm, PluginReturnForm

ADMIN_TAB = "settings:linkedin"


def _session_key(request: HttpRequest) -> str:
    if not request.session.session_key:
        request.session.save()
    return str(request.session.session_key)


def _url(request: HttpRequest, name: str, *args: str) -> str:
    return request.build_absolute_uri(reverse(name, args=args))


def _continue_to_linkedin(request: HttpRequest, url: str, purpose: str) -> HttpResponse:
    """A page that moves on to LinkedIn (sign-in, plugin).

    Our pages allow form posts only to themselves (CSP `form-action 'self'`) and browsers apply
    that to the redirects of a form post, so a 302 to LinkedIn would be blocked: this page starts
    a new navigation instead (meta refresh, and a link for the rare browser that ignores it).
    """
    context = {"linkedin_url": url, "purpose": purpose}
    return render(request, "linkedin/rsc_continue.html", context)


def _refused(request: HttpRequest, exc: ValidationError, to: str) -> HttpResponse:
    messages.error(request, " ".join(exc.messages))
    return redirect(to)


# --- Admin tab actions ------------------------------------------------------------------------


@admin_view
@require_POST
def rsc_connect(request: HttpRequest) -> HttpResponse:
    url = services_rsc.rsc_connect_start(
        by=request.user,
        session_key=_session_key(request),
        redirect_uri=_url(request, "linkedin:rsc_signed_in"),
    )
    return _continue_to_linkedin(request, url, "Signing in with LinkedIn")


def _oauth_return(request: HttpRequest) -> dict:
    """LinkedIn's redirect back (`state`, `code` or `error`); malformed, it fails the state
    check in the service like any forged return."""
    form = OAuthReturnForm(request.GET)
    return form.cleaned_data if form.is_valid() else {"state": "", "code": "", "error": "bad"}


@sensitive_variables("data")
@admin_view
@require_GET
def rsc_signed_in(request: HttpRequest) -> HttpResponse:
    data = _oauth_return(request)
    try:
        connection = services_rsc.rsc_connect_complete(
            by=request.user, session_key=_session_key(request), **data
        )
    except ValidationError as exc:
        return _refused(request, exc, ADMIN_TAB)
    messages.success(request, f"Signed in with LinkedIn as {connection.admin_member_name}.")
    return redirect(ADMIN_TAB)


@admin_view
@require_POST
def rsc_choose_contract(request: HttpRequest) -> HttpResponse:
    connection = selectors_rsc.connection_for_admin(request.user)
    form = ContractForm(request.POST, contracts=connection.contracts)
    if form.is_valid():
        try:
            services_rsc.rsc_choose_contract(
                by=request.user, contract_urn=form.cleaned_data["contract"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Contract chosen. Press Request to continue.")
            return redirect(ADMIN_TAB)
    return _admin_page(request, contract_form=form)


def _admin_page(request: HttpRequest, **forms: Form) -> HttpResponse:
    """The LinkedIn tab again (as attract.views.settings.linkedin builds it), with form errors."""
    context = {"tab": "linkedin", **admin_feed.admin_context(request)}
    context.update(admin_rsc.admin_context(request))
    context.update({f"rsc_{name}": form for name, form in forms.items()})
    return render(request, "settings/linkedin.html", context, status=INVALID)


@admin_view
@require_POST
def rsc_request(request: HttpRequest) -> HttpResponse:
    try:
        url = services_rsc.rsc_request_start(
            by=request.user,
            session_key=_session_key(request),
            oauth_redirect_uri=_url(request, "linkedin:oauth_callback"),
            plugin_return_uri=_url(request, "linkedin:rsc_requested"),
        )
    except ValidationError as exc:
        return _refused(request, exc, ADMIN_TAB)
    return _continue_to_linkedin(request, url, "Requesting Recruiter System Connect")


@admin_view
@require_GET
def rsc_requested(request: HttpRequest) -> HttpResponse:
    form = PluginReturnForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    if data.get("error") or not data:
        messages.error(request, "LinkedIn did not complete the request. Nothing was changed.")
        return redirect(ADMIN_TAB)
    try:
        connection = services_rsc.rsc_request_complete(
            by=request.user,
            session_key=_session_key(request),
            state=data["state"],
            organization_urn=data["integrationContext"],
            contract_urn=data["contract"],
            callback_url=_callback_url(request),
        )
    except ValidationError as exc:
        return _refused(request, exc, ADMIN_TAB)
    messages.success(request, f"Requested. Status: {connection.get_status_display()}.")
    return redirect(ADMIN_TAB)


def _callback_url(request: HttpRequest) -> str:
    connection = selectors_rsc.connection_for_admin(request.user)
    return _url(request, "linkedin:callback", connection.callback_token)


@admin_view
@require_POST
def rsc_notify(request: HttpRequest) -> HttpResponse:
    try:
        connection = services_rsc.rsc_notify_partner(
            by=request.user, callback_url=_callback_url(request)
        )
    except ValidationError as exc:
        return _refused(request, exc, ADMIN_TAB)
    messages.success(request, f"LinkedIn notified. Status: {connection.get_status_display()}.")
    return redirect(ADMIN_TAB)


@admin_view
@require_POST
def rsc_refresh(request: HttpRequest) -> HttpResponse:
    error = ""
    try:
        services_rsc.rsc_refresh_status(by=request.user)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if request.htmx:
        context = admin_rsc.admin_context(request) | {"rsc_error": error, "rsc_swapped": True}
        return render(request, "linkedin/admin_rsc.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, "Status refreshed from LinkedIn.")
    return redirect(ADMIN_TAB)


@admin_view
@require_http_methods(["GET", "POST"])
def rsc_disconnect(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        services_rsc.rsc_disconnect(by=request.user)
        messages.success(
            request, "LinkedIn Recruiter is disconnected: every LinkedIn task has stopped."
        )
        return redirect(ADMIN_TAB)
    context = {
        "tab": "linkedin",
        "rsc": selectors_rsc.connection_for_admin(request.user),
        "kept": selectors_rsc.KEPT_AFTER_DISCONNECT,
    }
    return render(request, "linkedin/rsc_disconnect.html", context)


@sensitive_post_parameters("client_secret")
@admin_view
@require_POST
def rsc_rotate_secret(request: HttpRequest) -> HttpResponse:
    form = ClientSecretForm(request.POST)
    if form.is_valid():
        try:
            services_rsc.rsc_rotate_secret(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The new client secret is stored (encrypted).")
            return redirect(ADMIN_TAB)
    return _admin_page(request, secret_form=form)


# --- User settings: Connections -----------------------------------------------------------------


@login_required
@require_GET
def connections(request: HttpRequest) -> HttpResponse:
    context = {
        "tab": "connections",
        "account": selectors_rsc.account_of(request.user),
        "seat": selectors_rsc.seat_of(request.user),
        "rsc_live": selectors_rsc.user_connections_open(),
    }
    return render(request, "settings/connections.html", context)


@login_required
@require_POST
def account_connect(request: HttpRequest) -> HttpResponse:
    try:
        url = services_rsc.account_connect_start(
            user=request.user,
            session_key=_session_key(request),
            redirect_uri=_url(request, "linkedin:oauth_callback"),
        )
    except ValidationError as exc:
        return _refused(request, exc, "settings:connections")
    return _continue_to_linkedin(request, url, "Connecting your LinkedIn account")


@sensitive_variables("data")
@login_required
@require_GET
def oauth_callback(request: HttpRequest) -> HttpResponse:
    data = _oauth_return(request)
    try:
        account = services_rsc.account_connect_complete(
            user=request.user, session_key=_session_key(request), **data
        )
    except ValidationError as exc:
        return _refused(request, exc, "settings:connections")
    messages.success(request, f"Your LinkedIn account ({account.member_name}) is connected.")
    return redirect("settings:connections")


@login_required
@require_POST
def account_disconnect(request: HttpRequest) -> HttpResponse:
    services_rsc.account_disconnect(user=request.user)
    messages.success(request, "Your LinkedIn account is disconnected; its token is deleted.")
    return redirect("settings:connections")
