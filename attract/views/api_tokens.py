"""My settings → API tokens: create a named token (shown once), list them, revoke one."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from attract.forms import StyledForm, add_service_errors
from attract.models import ApiToken, User
from attract.services import api_token_create, api_token_revoke
from attract.views.admin_base import INVALID


class ApiTokenForm(StyledForm):
    name = forms.CharField(
        label="Token name",
        max_length=100,
        help_text="What the token is for, e.g. “HR data sync”.",
    )


def _tokens_of(user: User):
    return user.api_tokens.order_by("revoked_at", "-created_at", "-id")


def _own_token(user: User, pk: int) -> ApiToken:
    token = user.api_tokens.filter(pk=pk).first()
    if token is None:
        raise Http404("No such token.")
    return token


def _page(request: HttpRequest, form: ApiTokenForm, *, status: int = 200, **extra) -> HttpResponse:
    context = {"tab": "api_tokens", "form": form, "tokens": _tokens_of(request.user), **extra}
    return render(request, "settings/api_tokens.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, clear = api_token_create(user=request.user, name=form.cleaned_data["name"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            # The clear token exists only in this answer: a redirect would have to store it.
            response = _page(request, ApiTokenForm(), created=token, clear_token=clear)
            response["Cache-Control"] = "no-store"
            return response
    return _page(request, form, status=INVALID if form.errors else 200)


@login_required
@require_POST
def api_token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    token = api_token_revoke(token=_own_token(request.user, pk), by=request.user)
    messages.success(request, f"Token “{token.name}” revoked: it no longer works.")
    return redirect("settings:api_tokens")
