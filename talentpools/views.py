"""Talent pool pages: list, create, a pool's members (bulk remove, bulk move onto a job), edit,
sharing and delete; and the bulk "add to pool" used by the search results.

Every pool is fetched through `pool_for_user` (404 for pools the user does not have, 403 for
owner-only actions by others); every write is one call to talentpools.services.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from attract.access import can_use_pools, is_admin, pool_for_user
from attract.forms import add_service_errors
from attract.models import User
from candidates.models import Application
from jobs.models import Job
from talentpools import services
from talentpools.forms import (
    PoolAddMembersForm,
    PoolForm,
    PoolMembersForm,
    PoolMoveForm,
    PoolShareForm,
)
from talentpools.models import TalentPool
from talentpools.selectors import pool_members, pools_with_counts

MEMBERS_PER_PAGE = 50


# Refusals about the job itself: the same for every member, so the whole move is undone.
def _require_pool_user(user: User) -> None:
    if not can_use_pools(user):
        raise Http404("Talent pools are for recruiters and hiring managers.")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


@login_required
def pool_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    pools = pools_with_counts(user) if can_use_pools(user) else None
    return render(request, "talentpools/pool_list.html", {"pools": pools})


@login_required
def pool_create(request: HttpRequest) -> HttpResponse:
    _require_pool_user(request.user)
    form = PoolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pool = services.pool_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Talent pool “{pool.name}” created.")
            return redirect("talentpools:detail", pool.pk)
    return _render_form(request, form, pool=None)


def _render_form(request: HttpRequest, form: PoolForm, pool: TalentPool | None) -> HttpResponse:
    context = {"form": form, "pool": pool}
    status = 422 if form.errors else 200
    return render(request, "talentpools/pool_form.html", context, status=status)


@login_required
def pool_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    pool = pool_for_user(user, pk)
    page_obj = Paginator(pool_members(pool), MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "pool": pool,
        "page_obj": page_obj,
        "can_manage": (is_admin(user) or pool.owner_id == user.pk) and not pool.is_system,
        "contributors": pool.contributors.order_by("first_name", "last_name", "username"),
        "move_form": PoolMoveForm(pool=pool, user=user, initial={"page": page_obj.number}),
    }
    return render(request, "talentpools/pool_detail.html", context)


@login_required
def pool_edit(request: HttpRequest, pk: int) -> HttpResponse:
    pool = pool_for_user(request.user, pk, edit=True)
    initial = {"name": pool.name, "description": pool.description}
    form = PoolForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.pool_update(pool=pool, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Talent pool “{pool.name}” saved.")
            return redirect("talentpools:detail", pool.pk)
    return _render_form(request, form, pool=pool)


@login_required
def pool_delete(request: HttpRequest, pk: int) -> HttpResponse:
    pool = pool_for_user(request.user, pk, edit=True)
    if request.method != "POST":
        return render(request, "talentpools/pool_confirm_delete.html", {"pool": pool})
    try:
        services.pool_delete(pool=pool, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("talentpools:detail", pool.pk)
    messages.success(request, f"Talent pool “{pool.name}” deleted; its candidates are kept.")
    return redirect("talentpools:list")


@login_required
def pool_sharing(request: HttpRequest, pk: int) -> HttpResponse:
    pool = pool_for_user(request.user, pk, edit=True)
    form = PoolShareForm(request.POST or None, pool=pool)
    if request.method == "POST" and form.is_valid():
        user = form.cleaned_data["user"]
        try:
            services.pool_share(pool=pool, by=request.user, user=user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"“{pool.name}” is now shared with {user}.")
            return redirect("talentpools:sharing", pool.pk)
    context = {
        "pool": pool,
        "form": form,
        "contributors": pool.contributors.order_by("first_name", "last_name", "username"),
    }
    return render(
        request, "talentpools/pool_sharing.html", context, status=422 if form.errors else 200
    )


@login_required
@require_POST
def pool_unshare(request: HttpRequest, pk: int, user_id: int) -> HttpResponse:
    pool = pool_for_user(request.user, pk, edit=True)
    contributor = get_object_or_404(pool.contributors.all(), pk=user_id)
    services.pool_unshare(pool=pool, by=request.user, user=contributor)
    messages.success(request, f"{contributor} no longer has “{pool.name}”.")
    return redirect("talentpools:sharing", pool.pk)


@login_required
@require_POST
def pool_remove_members(request: HttpRequest, pk: int) -> HttpResponse:
    pool = pool_for_user(request.user, pk)
    form = PoolMembersForm(request.POST, pool=pool, user=request.user)
    if form.is_valid():
        removed = services.pool_remove_members(
            pool=pool, by=request.user, candidates=form.cleaned_data["candidates"]
        )
        messages.success(request, f"{_plural(removed, 'member')} removed from “{pool.name}”.")
    else:
        _flash_errors(request, form)
    return _back_to_pool(pool, form)


@login_required
@require_POST
def pool_move_members(request: HttpRequest, pk: int) -> HttpResponse:
    pool = pool_for_user(request.user, pk)
    form = PoolMoveForm(request.POST, pool=pool, user=request.user)
    if not form.is_valid():
        _flash_errors(request, form)
        return _back_to_pool(pool, form)
    job = form.cleaned_data["job"]
    try:
        moved, refused = services.pool_members_move_to_job(
            pool=pool, by=request.user, candidates=form.cleaned_data["candidates"], job=job
        )
    except ValidationError as exc:
        messages.error(request, f"Nothing was moved: {' '.join(exc.messages)}")
        return _back_to_pool(pool, form)
    if moved:
        messages.success(request, _moved_message(job, moved, refused))
    for reason in refused:
        messages.warning(request, f"Not moved: {reason}")
    return _back_to_pool(pool, form)


def _moved_message(job: Job, moved: list[Application], refused: list[str]) -> str:
    stages = ", ".join(sorted({a.stage.name for a in moved}))
    names = ", ".join(a.candidate.full_name for a in moved)
    text = f"{len(moved)} moved onto {job.number} {job.title} ({stages}): {names}."
    if refused:
        text += f" {len(refused)} not moved (see below)."
    return text


@login_required
@require_POST
def pool_add_members(request: HttpRequest) -> HttpResponse:
    _require_pool_user(request.user)
    form = PoolAddMembersForm(request.POST, user=request.user)
    back = _safe_next(request, form.data.get("next")) or reverse("candidates:search")
    if not form.is_valid():
        _flash_errors(request, form)
        return redirect(back)
    data = form.cleaned_data
    try:
        pool, added = _add_to_pool(request.user, data["pool"], data["new_pool"], data["candidates"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    skipped = len(data["candidates"]) - len(added)
    messages.success(
        request,
        format_html(
            '{} added to <a href="{}">{}</a>{}.',
            _plural(len(added), "candidate"),
            reverse("talentpools:detail", args=[pool.pk]),
            pool.name,
            f"; {skipped} already there" if skipped else "",
        ),
    )
    return redirect(back)


def _add_to_pool(by: User, pool: TalentPool | None, new_name: str, candidates):
    if pool is None:
        pool = services.pool_create(by=by, name=new_name, members=candidates)
        return pool, list(candidates)
    return pool, services.pool_add_members(pool=pool, by=by, candidates=candidates)


def _safe_next(request: HttpRequest, url: str | None) -> str | None:
    allowed = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if url and allowed else None


def _back_to_pool(pool: TalentPool, form: PoolMembersForm) -> HttpResponse:
    url = reverse("talentpools:detail", args=[pool.pk])
    page = form.cleaned_data.get("page") if hasattr(form, "cleaned_data") else None
    return redirect(f"{url}?page={page}" if page and page > 1 else url)


def _flash_errors(request: HttpRequest, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
