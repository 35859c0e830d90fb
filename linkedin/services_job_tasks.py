"""Read back the tasks LinkedIn answers for the jobs the outbox sends (LINKEDIN.md 3.1, 3.3).

simpleJobPostings are asynchronous: the batch_create answers one task URN per job, and the
outcome (the LinkedIn job posting, or why LinkedIn refused the job) is read later from
`GET /v2/simpleJobPostingTasks?ids=…&ids=…`, at least a few minutes after submitting. Tasks live
30 days on LinkedIn; one still in progress after that is given up.
"""

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import unquote

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from jobs.models import Job
from linkedin import client, restli
from linkedin.locks import run_lock
from linkedin.models_sync import JobPostingTask
from linkedin.selectors_rsc import connection_get, linkedin_tasks_allowed

__all__ = ["CheckResult", "job_tasks_check", "job_tasks_record", "jobs_never_created"]

log = logging.getLogger(__name__)

LOCK_KEY = "linkedin:job-tasks-check"
LOCK_SECONDS = 15 * 60
TASKS = "/v2/simpleJobPostingTasks"
TASK_PREFIX = "urn:li:simpleJobPostingTask:"
BATCH = 50  # task URNs per poll
# Reference: LINKEDIN.md 3.1, task ids live 30 days (2025 docs).
TASK_LIFETIME = timedelta(days=30)
EXPIRED_MESSAGE = "LinkedIn gave no outcome within the 30 days it keeps a task."
GONE_MESSAGE = "LinkedIn no longer knows this task"
STATUSES = {
    "SUCCEEDED": JobPostingTask.Status.SUCCEEDED,
    "FAILED": JobPostingTask.Status.FAILED,
    "PROCESSED": JobPostingTask.Status.PROCESSED,
}
Status = JobPostingTask.Status


@dataclass
class CheckResult:
    polled: int = 0
    succeeded: int = 0
    failed: int = 0
    processed: int = 0
    expired: int = 0
    waiting: int = 0  # polled, still in progress
    calls: int = 0
    error: str = ""


def job_tasks_record(
    *, jobs: Sequence[Job], elements: Sequence[Mapping[str, Any]], answer: restli.BatchResult
) -> list[JobPostingTask]:
    """Store the task LinkedIn answered for each job element it accepted (request order)."""
    if len(answer.elements) != len(elements):
        # One task per location would shift the answers; jobs are sent with one location.
        log.warning(
            "LinkedIn answered %s tasks for %s jobs: not recorded",
            len(answer.elements),
            len(elements),
        )
        return []
    now = timezone.now()
    tasks = []
    for job, element, answered in zip(jobs, elements, answer.elements, strict=True):
        urn = answered.get("id") if isinstance(answered, Mapping) else None
        if isinstance(urn, str) and urn.startswith(TASK_PREFIX):
            operation = str(element["jobPostingOperationType"])
            tasks.append(
                JobPostingTask(job=job, task_urn=urn, operation=operation, submitted_at=now)
            )
    return JobPostingTask.objects.bulk_create(tasks, ignore_conflicts=True)


def jobs_never_created(job_ids: Sequence[int]) -> list[int]:
    """Of these jobs, those LinkedIn refused to create and never accepted since (one query)."""
    if not job_ids:
        return []
    accepted = JobPostingTask.objects.filter(
        job_id__in=job_ids, status__in=[Status.SUCCEEDED, Status.PROCESSED]
    ).values("job_id")
    refused = JobPostingTask.objects.filter(
        job_id__in=job_ids, status=Status.FAILED, operation=JobPostingTask.Operation.CREATE
    ).exclude(job_id__in=accepted)
    return list(refused.values_list("job_id", flat=True).distinct())


def job_tasks_check() -> CheckResult | None:
    """Poll the tasks in progress submitted at least LINKEDIN_JOB_TASKS_CHECK_MINUTES ago, 50
    a call; give up on those past 30 days. None: another check runs, or LinkedIn tasks are off."""
    if not linkedin_tasks_allowed():
        return None
    with run_lock(LOCK_KEY, LOCK_SECONDS) as held:
        if not held:
            return None
        now = timezone.now()
        result = CheckResult(expired=_expire(now))
        wait = timedelta(minutes=settings.LINKEDIN_JOB_TASKS_CHECK_MINUTES)
        due = list(
            JobPostingTask.objects.filter(status=Status.IN_PROGRESS, submitted_at__lte=now - wait)
            .order_by("submitted_at", "id")
            .values_list("pk", "task_urn")
        )
        connection = connection_get()
        creds = client.Credentials(connection.client_id, connection.client_secret)
        for group in restli.grouped(due, lambda task: {"id": task[1]}, BATCH):
            try:
                answer = _poll(creds, [urn for _, urn in group])
            except client.LinkedInError as exc:  # what was read is kept; the next tick goes on
                result.error = str(exc) or type(exc).__name__
                log.warning("LinkedIn job tasks: polling stopped: %s", result.error)
                break
            result.calls += 1
            _store([pk for pk, _ in group], answer, timezone.now(), result)
        return result


def _expire(now: datetime) -> int:
    """Tasks still in progress past LinkedIn's 30 days: nobody will ever answer for them."""
    return JobPostingTask.objects.filter(
        status=Status.IN_PROGRESS, submitted_at__lt=now - TASK_LIFETIME
    ).update(status=Status.EXPIRED, finished_at=now, error_message=EXPIRED_MESSAGE)


def _poll(creds: client.Credentials, urns: list[str]) -> restli.BatchResult:
    # Reference: https://learn.microsoft.com/en-us/linkedin/talent/job-postings/api/check-job-taskstatus
    # LINKEDIN.md 3.1: GET /v2/simpleJobPostingTasks?ids={taskUrn1}&ids={taskUrn2} → `results`
    body = client.call("GET", TASKS, creds=creds, query=restli.simple_ids_query(urns))
    if not isinstance(body, Mapping):
        raise client.LinkedInTemporaryError("LinkedIn's task answer was not an object.", path=TASKS)
    return restli.parse_batch(body)


def _store(pks: list[int], answer: restli.BatchResult, now: datetime, result: CheckResult) -> None:
    """Write what LinkedIn answered for one polled group, in one transaction."""
    found = {unquote(key): value for key, value in answer.results.items()}
    gone = {unquote(error.key): error for error in answer.errors}
    with transaction.atomic():
        tasks = list(
            JobPostingTask.objects.select_for_update().filter(pk__in=pks, status=Status.IN_PROGRESS)
        )
        for task in tasks:
            task.checked_at = now
            if task.task_urn in gone and gone[task.task_urn].status == 404:
                _finish(task, Status.EXPIRED, now, f"{GONE_MESSAGE} (404).")
            elif isinstance(found.get(task.task_urn), Mapping):
                _apply(task, found[task.task_urn], now)
            result.polled += 1
            setattr(result, _counter(task.status), getattr(result, _counter(task.status)) + 1)
        fields = ["status", "checked_at", "finished_at", "job_posting_urn", "error_message"]
        JobPostingTask.objects.bulk_update(tasks, fields)


def _counter(status: str) -> str:
    return "waiting" if status == Status.IN_PROGRESS else status


def _apply(task: JobPostingTask, value: Mapping[str, Any], now: datetime) -> None:
    status = STATUSES.get(str(value.get("status")))
    if status is None:  # IN_PROGRESS, or a status LinkedIn may add later: ask again next time
        return
    message = str(value.get("errorMessage") or "")
    if status == Status.FAILED and not message:
        message = "LinkedIn gave no reason."
    task.job_posting_urn = str(value.get("jobPosting") or "")[:100]
    _finish(task, status, now, message)


def _finish(task: JobPostingTask, status: str, now: datetime, message: str) -> None:
    task.status, task.finished_at, task.error_message = status, now, message[:1000]
