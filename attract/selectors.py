"""Reads of users and organisation settings, the admin settings lists and the dashboard."""

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from attract.models import Event, Organisation, User, UserRole

ACTIVITY_LIMIT = 20


def organisation_get() -> Organisation:
    """The organisation's settings row, created with defaults on first use."""
    organisation, _ = Organisation.objects.get_or_create(pk=1)
    return organisation


def users_with_role(role: str) -> QuerySet[User]:
    return User.objects.with_role(role)


# --- Admin settings: every read checks the administrator first (403 before anything else).


def _admin_only(by: User) -> None:
    from attract.access import require_admin

    require_admin(by)


def _get_or_404(qs: QuerySet, pk: Any, what: str) -> Any:
    try:
        return qs.get(pk=pk)
    except (ValueError, qs.model.DoesNotExist) as exc:
        raise Http404(f"No such {what}.") from exc


def users_for_admin(by: User, *, search: str = "") -> QuerySet[User]:
    """Every user (active or not) with their roles, optionally matching a search."""
    _admin_only(by)
    qs = User.objects.prefetch_related(
        Prefetch("security_roles", queryset=UserRole.objects.order_by("role"))
    )
    for word in search.split():
        qs = qs.filter(
            Q(username__icontains=word)
            | Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
        )
    return qs.order_by("first_name", "last_name", "username")


def user_for_admin(by: User, pk: Any) -> User:
    _admin_only(by)
    return _get_or_404(User.objects.prefetch_related("security_roles"), pk, "user")


def templates_for_admin(by: User) -> QuerySet:
    """Process templates, default first, with their stages."""
    from jobs.models import ProcessTemplate

    _admin_only(by)
    return ProcessTemplate.objects.prefetch_related("stages").order_by("-is_default", "name")


def template_for_admin(by: User, pk: Any) -> Any:
    from jobs.models import ProcessTemplate

    _admin_only(by)
    return _get_or_404(ProcessTemplate.objects.prefetch_related("stages"), pk, "template")


def template_stage_specs(template: Any) -> list:
    """A template's stages as the specs `jobs.services.template_save` takes."""
    from jobs.process import StageSpec

    return [
        StageSpec(s.name, s.kind, s.hiring_manager_can_add_prospects)
        for s in sorted(template.stages.all(), key=lambda s: s.position)
    ]


def reasons_for_admin(by: User) -> QuerySet:
    """Rejection reasons in the order recruiters see them, inactive ones included."""
    from candidates.models import RejectionReason

    _admin_only(by)
    return RejectionReason.objects.order_by("position", "name")


def reason_for_admin(by: User, pk: Any) -> Any:
    from candidates.models import RejectionReason

    _admin_only(by)
    return _get_or_404(RejectionReason.objects.all(), pk, "rejection reason")


# --- The dashboard


def dashboard_jobs(user: User) -> QuerySet:
    """The user's open jobs (on the hiring team, not closed) with applicants counted by status."""
    from candidates.models import ApplicationStatus
    from jobs.choices import JobStatus, StageKind
    from jobs.models import HiringTeamMember, Job

    on_team = HiringTeamMember.objects.filter(job=OuterRef("pk"), user=user)
    prospect = Q(applications__stage__kind=StageKind.PROSPECT)
    by_status = {
        f"{status}_count": Count("applications", filter=Q(applications__status=status) & ~prospect)
        for status in ApplicationStatus.values
    }
    return (
        Job.objects.filter(Exists(on_team))
        .exclude(status=JobStatus.CLOSED)
        .annotate(prospect_count=Count("applications", filter=prospect), **by_status)
        .order_by("-updated_at", "-id")
    )


def recent_activity(user: User, *, limit: int = ACTIVITY_LIMIT) -> list[Event]:
    """The latest events on jobs whose applicants the user may see (every job for admins)."""
    from attract.access import is_admin, jobs_with_applicants_visible_to

    events = Event.objects.filter(job__isnull=False)
    if not is_admin(user):
        events = events.filter(job__in=jobs_with_applicants_visible_to(user).values("pk"))
    return list(events.select_related("actor", "job").order_by("-created_at", "-id")[:limit])


def activity_names(events: Iterable[Event]) -> tuple[dict[int, str], dict[int, str]]:
    """Names of the candidates and users the events mention: two queries at most."""
    from candidates.models import Candidate

    events = list(events)
    candidate_ids = {_int(e.parameters.get("candidate_id")) for e in events} - {None}
    user_ids = {_int(e.parameters.get("user_id")) for e in events} - {None}
    candidates = {}
    if candidate_ids:
        rows = Candidate.objects.filter(pk__in=candidate_ids).only("first_name", "last_name")
        candidates = {c.pk: c.full_name for c in rows}
    users = {}
    if user_ids:
        users = {u.pk: str(u) for u in User.objects.filter(pk__in=user_ids)}
    return candidates, users


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
