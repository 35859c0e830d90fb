"""Reads of jobs, scoped to the user."""

from django.db.models import Count, F, Q, QuerySet

from attract.models import User
from candidates.models import ApplicationStatus
from jobs.choices import ApprovalDecision, JobStatus, StageKind
from jobs.models import Job, JobApproval

OPEN_STATUSES = [s for s in JobStatus.values if s != JobStatus.CLOSED]


def open_jobs_of(user: User) -> QuerySet[Job]:
    """Jobs not yet closed where the user is on the hiring team, with their applicant counts."""
    return (
        Job.objects.filter(team__user=user, status__in=OPEN_STATUSES)
        .distinct()
        .annotate(
            applicant_count=Count(
                "applications",
                filter=Q(applications__status=ApplicationStatus.ACTIVE)
                & ~Q(applications__stage__kind=StageKind.PROSPECT),
                distinct=True,
            )
        )
        .order_by("-updated_at")
    )


def approvals_waiting_for(user: User) -> QuerySet[JobApproval]:
    return (
        JobApproval.objects.filter(
            approver=user,
            decision=ApprovalDecision.PENDING,
            job__status=JobStatus.PENDING_APPROVAL,
            round=F("job__approval_round"),
        )
        .select_related("job")
        .order_by("requested_at")
    )
