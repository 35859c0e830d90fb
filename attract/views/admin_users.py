"""Admin settings: users and their security roles."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from attract.forms import add_service_errors
from attract.forms_settings import UserCreateForm, UserEditForm
from attract.selectors import user_for_admin, users_for_admin
from attract.services import user_create, user_deactivate, user_reactivate, user_update
from attract.views.admin_base import INVALID, admin_view

USERS_PER_PAGE = 25


@admin_view
def users(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:100]
    paginator = Paginator(users_for_admin(request.user, search=search), USERS_PER_PAGE)
    context = {
        "tab": "users",
        "search": search,
        "page_obj": paginator.get_page(request.GET.get("page")),
        "query_string": urlencode({"q": search}) if search else "",
    }
    template = "settings/users.html#user-results" if request.htmx else "settings/users.html"
    return render(request, template, context)


@admin_view
def user_new(request: HttpRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = user_create(
                by=request.user,
                username=data["username"],
                email=data["email"],
                roles=data["roles"],
                password=data["password"],
                first_name=data["first_name"],
                last_name=data["last_name"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"User {user.username} created.")
            return redirect("settings:users")
    context = {"tab": "users", "form": form}
    return render(
        request, "settings/user_new.html", context, status=INVALID if form.errors else 200
    )


@admin_view
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_for_admin(request.user, pk)
    initial = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "roles": sorted(user.role_set),
    }
    form = UserEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            user_update(user=user, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"User {user.username} saved.")
            return redirect("settings:users")
    context = {"tab": "users", "form": form, "person": user}
    return render(
        request, "settings/user_edit.html", context, status=INVALID if form.errors else 200
    )


@admin_view
@require_POST
def user_deactivate_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_for_admin(request.user, pk)
    try:
        user_deactivate(user=user, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"User {user.username} deactivated: they can no longer sign in.")
    return redirect("settings:user_edit", pk=user.pk)


@admin_view
@require_POST
def user_reactivate_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_for_admin(request.user, pk)
    user_reactivate(user=user, by=request.user)
    messages.success(request, f"User {user.username} reactivated.")
    return redirect("settings:user_edit", pk=user.pk)
