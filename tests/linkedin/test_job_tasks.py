"""LinkedIn's answers for the jobs the outbox sends: simpleJobPostingTasks polled back, shown on
the job's Postings tab and on the sync dashboard."""

import uuid
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.db import connection as db
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jobs.services import job_activate, job_update
from linkedin import client, services_job_tasks, services_outbox, tasks_sync
from linkedin.models_sync import JobPostingTask, OutboxRow
from linkedin.selectors_sync import job_sync_line
from tests.factories import UserFactory
from tests.linkedin.reliability_support import held_elsewhere, lock_is_free
from tests.linkedin.test_export import _own_cache, rsc  # noqa: F401 - shared fixtures
from tests.linkedin.test_outbox import LONG, site  # noqa: F401 - shared fixtures

pytestmark = pytest.mark.usefixtures("rsc", "site")

SHORT = "<p>Too short for LinkedIn.</p>"  # LinkedIn refuses it when it processes the task
TAB = reverse("settings:linkedin")
Status = JobPostingTask.Status


@pytest.fixture(autouse=True)
def _check_at_once(settings):
    settings.LINKEDIN_JOB_TASKS_CHECK_MINUTES = 0


@pytest.fixture
def send(make_job, recruiter):
    """Activate a job and drain the outbox: LinkedIn answers one task for it."""

    def sent(description: str = LONG, **fields):
        job = make_job(description=description, city="Oslo", country="NO", **fields)
        job_activate(job=job, by=recruiter)
        result = services_outbox.outbox_drain()
        assert result is not None and result.parked == 0
        return job

    return sent


def check() -> services_job_tasks.CheckResult:
    result = services_job_tasks.job_tasks_check()
    assert result is not None
    return result


def processed(sandbox) -> None:
    """LinkedIn takes a couple of minutes to process a posting task."""
    sandbox.advance_clock(180)


def postings(job) -> str:
    return reverse("jobs:postings", args=[job.number])


def sync_row(html: str) -> str:
    assert 'id="posting-linkedin-sync"' in html
    return html.split('id="posting-linkedin-sync"', 1)[1].split("</tr>", 1)[0]


# --- Recording the task of each job sent ---------------------------------------------------------


def test_draining_a_job_stores_its_task_and_an_update_stores_another(
    send, recruiter, linkedin_sandbox
):
    job = send()
    [task] = JobPostingTask.objects.all()
    on_linkedin = {t["id"] for t in _sandbox_tasks(linkedin_sandbox)}
    assert task.task_urn in on_linkedin
    assert (task.job, task.operation, task.status) == (job, "CREATE", Status.IN_PROGRESS)
    assert OutboxRow.objects.get(entity_type="job").status == "done"
    # when the job is edited and sent again
    job_update(job=job, by=recruiter, title="Senior backend engineer")
    services_outbox.outbox_drain()
    newest = JobPostingTask.objects.first()
    assert newest is not None and newest.pk != task.pk and newest.operation == "UPDATE"


def test_a_drain_that_fails_before_marking_its_rows_keeps_no_task(
    make_job, recruiter, linkedin_sandbox, monkeypatch
):
    job = make_job(description=LONG, city="Oslo", country="NO")
    job_activate(job=job, by=recruiter)

    def mark_fails(*args, **kwargs):
        raise RuntimeError("the database went away while marking the rows")

    monkeypatch.setattr(services_outbox, "_mark", mark_fails)
    with pytest.raises(RuntimeError):
        services_outbox.outbox_drain()
    # one transaction: the rows stay pending and no task is kept
    assert OutboxRow.objects.get(entity_type="job").status == "pending"
    assert not JobPostingTask.objects.exists()


def _sandbox_tasks(sandbox) -> list[dict]:
    stored = sandbox.state().get("job_task", [])
    return [t.get("value", t) for t in stored]


# --- Polling -------------------------------------------------------------------------------------


def test_the_poller_reads_back_a_succeeded_and_a_refused_job(send, linkedin_sandbox):
    good, bad = send(), send(description=SHORT)
    # given LinkedIn has not processed the tasks yet
    result = check()
    assert (result.polled, result.waiting, result.calls) == (2, 2, 1)
    assert set(JobPostingTask.objects.values_list("status", flat=True)) == {Status.IN_PROGRESS}
    # when LinkedIn has processed them
    processed(linkedin_sandbox)
    result = check()
    assert (result.succeeded, result.failed, result.waiting) == (1, 1, 0)
    synced = JobPostingTask.objects.get(job=good)
    [posting] = [
        j for j in linkedin_sandbox.state()["job"] if j["externalJobPostingId"] == good.number
    ]
    assert synced.status == Status.SUCCEEDED
    assert synced.job_posting_urn == posting["jobPosting"]
    assert synced.finished_at is not None and synced.checked_at is not None
    refused = JobPostingTask.objects.get(job=bad)
    assert refused.status == Status.FAILED
    assert "description must be 100 to 25,000 characters" in refused.error_message
    assert not refused.job_posting_urn
    # then checking again asks nothing and changes nothing
    before = list(JobPostingTask.objects.values())
    result = check()
    assert (result.polled, result.calls) == (0, 0)
    assert list(JobPostingTask.objects.values()) == before


def test_tasks_are_first_checked_minutes_after_they_were_sent(send, linkedin_sandbox, settings):
    settings.LINKEDIN_JOB_TASKS_CHECK_MINUTES = 5
    send()
    processed(linkedin_sandbox)
    assert check().calls == 0  # sent a moment ago
    JobPostingTask.objects.update(submitted_at=timezone.now() - timedelta(minutes=6))
    assert check().succeeded == 1


def test_a_task_past_thirty_days_is_given_up_without_asking(send, linkedin_sandbox):
    job = send()
    JobPostingTask.objects.update(submitted_at=timezone.now() - timedelta(days=30, minutes=1))
    result = check()
    assert (result.expired, result.calls) == (1, 0)
    task = JobPostingTask.objects.get(job=job)
    assert task.status == Status.EXPIRED and "30 days" in task.error_message


def test_a_task_linkedin_no_longer_knows_is_given_up(send, linkedin_sandbox):
    send()
    linkedin_sandbox.advance_clock(31 * 24 * 3600)  # LinkedIn dropped the task
    result = check()
    assert (result.expired, result.calls) == (1, 1)
    task = JobPostingTask.objects.get()
    assert task.status == Status.EXPIRED and "404" in task.error_message


def test_tasks_are_polled_fifty_at_most_per_call_within_the_job_tasks_budget(
    send, linkedin_sandbox, monkeypatch
):
    job = send()
    processed(linkedin_sandbox)
    JobPostingTask.objects.bulk_create(
        JobPostingTask(
            job=job,
            task_urn=f"urn:li:simpleJobPostingTask:{uuid.uuid4()}",
            operation="UPDATE",
            submitted_at=timezone.now() - timedelta(minutes=10),
        )
        for _ in range(119)
    )
    sizes: list[int] = []
    real_call = client.call

    def spy(method, path, **kwargs):
        if path == services_job_tasks.TASKS:
            sizes.append(kwargs["query"].count("ids="))
        return real_call(method, path, **kwargs)

    monkeypatch.setattr(client, "call", spy)
    app = services_outbox.connection_get().client_id
    budget = client.shared_limiter().used("job-tasks", app)[0]
    result = check()
    assert sizes == [50, 50, 20] and result.calls == 3
    assert client.shared_limiter().used("job-tasks", app)[0] == budget + 3
    # the made-up tasks are unknown to LinkedIn, the real one succeeded
    assert (result.expired, result.succeeded) == (119, 1)


def test_an_outage_stops_the_check_and_the_next_one_resumes(send, linkedin_sandbox):
    send()
    processed(linkedin_sandbox)
    linkedin_sandbox.control({"mode": "5xx", "count": 50, "retry_after": 0})
    result = check()
    assert result.error and result.calls == 0
    assert JobPostingTask.objects.get().status == Status.IN_PROGRESS
    linkedin_sandbox.control({"mode": "off"})
    assert check().succeeded == 1


def test_two_checks_never_overlap(send, linkedin_sandbox):
    send()
    processed(linkedin_sandbox)
    with held_elsewhere(services_job_tasks.LOCK_KEY):
        assert services_job_tasks.job_tasks_check() is None
        assert tasks_sync.check_job_tasks.delay().get() == {"status": "skipped"}
        assert JobPostingTask.objects.get().status == Status.IN_PROGRESS
    assert lock_is_free(services_job_tasks.LOCK_KEY)
    outcome = tasks_sync.check_job_tasks.delay().get()
    assert (outcome["status"], outcome["succeeded"]) == ("ok", 1)
    assert lock_is_free(services_job_tasks.LOCK_KEY)


def test_the_beat_checks_tasks_every_five_minutes_and_never_piles_up():
    entry = django_settings.CELERY_BEAT_SCHEDULE["check-linkedin-job-tasks"]
    assert entry["task"] == tasks_sync.check_job_tasks.name
    assert sorted(entry["schedule"].minute)[:2] == [0, 5]
    assert 0 < entry["options"]["expires"] <= 5 * 60


# --- The job's Postings tab ----------------------------------------------------------------------


def test_the_postings_tab_shows_waiting_synced_and_refused(
    send, recruiter, client, linkedin_sandbox
):
    good, bad = send(), send(description=SHORT)
    client.force_login(recruiter)
    row = sync_row(client.get(postings(good)).content.decode())
    assert "LinkedIn Recruiter (In-ATS sync)" in row and "Waiting for LinkedIn" in row
    processed(linkedin_sandbox)
    check()
    row = sync_row(client.get(postings(good)).content.decode())
    posting_id = JobPostingTask.objects.get(job=good).job_posting_id
    assert "Synced" in row and f"LinkedIn job posting {posting_id}" in row
    row = sync_row(client.get(postings(bad)).content.decode())
    refused = JobPostingTask.objects.get(job=bad)
    assert "Refused by LinkedIn: The description must be 100 to 25,000 characters long" in row
    assert f"on {timezone.localtime(refused.finished_at):%Y-%m-%d %H:%M}" in row


def test_a_job_never_sent_has_no_sync_line(make_job, recruiter, client):
    job = make_job()  # a draft: LinkedIn never hears of it
    client.force_login(recruiter)
    assert 'id="posting-linkedin-sync"' not in client.get(postings(job)).content.decode()


def test_only_staff_who_see_the_job_see_the_sync_line(send, readonly, interviewer, client):
    job = send()
    for user in (readonly, interviewer):  # every staff user sees a job's details
        client.force_login(user)
        assert "Waiting for LinkedIn" in sync_row(client.get(postings(job)).content.decode())
    nobody = UserFactory(username="nora", roles=[])
    client.force_login(nobody)
    assert client.get(postings(job)).status_code == 404
    assert job_sync_line(nobody, job) is None


def test_a_refused_job_saved_again_is_sent_again_and_replaces_the_refusal(
    send, recruiter, admin_user, client, linkedin_sandbox
):
    job = send(description=SHORT)
    processed(linkedin_sandbox)
    check()
    # when the recruiter corrects the job
    job_update(job=job, by=recruiter, description=LONG)
    assert services_outbox.outbox_drain().sent == 1
    client.force_login(admin_user)
    row = sync_row(client.get(postings(job)).content.decode())
    assert "Waiting for LinkedIn" in row and "Refused" not in row
    assert 'data-testid="refused-jobs"' not in client.get(TAB).content.decode()
    processed(linkedin_sandbox)
    check()
    row = sync_row(client.get(postings(job)).content.decode())
    assert "Synced" in row
    # LinkedIn never created the refused job: it is created again, not updated
    assert [(t.operation, t.status) for t in JobPostingTask.objects.filter(job=job)] == [
        ("CREATE", Status.SUCCEEDED),
        ("CREATE", Status.FAILED),
    ]


def test_the_postings_tab_query_count_stays_flat_as_tasks_pile_up(
    send, recruiter, client, linkedin_sandbox
):
    job = send()
    client.force_login(recruiter)
    client.get(postings(job))
    with CaptureQueriesContext(db) as one:
        client.get(postings(job))
    for n in range(3):
        job_update(job=job, by=recruiter, title=f"Backend engineer {n}")
        services_outbox.outbox_drain()
    processed(linkedin_sandbox)
    check()
    assert JobPostingTask.objects.filter(job=job).count() == 4
    with CaptureQueriesContext(db) as four:
        client.get(postings(job))
    assert len(four.captured_queries) == len(one.captured_queries)


# --- The sync dashboard --------------------------------------------------------------------------


def test_the_dashboard_lists_refused_jobs_and_counts_waiting_ones(
    send, admin_user, client, linkedin_sandbox
):
    refused = send(description=SHORT, title="Barista")
    processed(linkedin_sandbox)
    check()
    send()  # waiting for LinkedIn's answer
    client.force_login(admin_user)
    html = client.get(TAB).content.decode()
    waiting = html.split('data-testid="job-tasks-waiting"', 1)[1].split("</dd>", 1)[0]
    assert waiting.strip(">\n ") == "1"
    count = html.split('data-testid="jobs-refused"', 1)[1].split("</dd>", 1)[0]
    assert count.strip(">\n ") == "1"
    table = html.split('data-testid="refused-jobs"', 1)[1].split("</table>", 1)[0]
    assert refused.number in table
    assert f'<a href="{postings(refused)}">Barista</a>' in table
    assert "The description must be 100 to 25,000 characters long" in table


def test_only_administrators_see_the_refused_jobs(send, recruiter, client, linkedin_sandbox):
    send(description=SHORT)
    processed(linkedin_sandbox)
    check()
    client.force_login(recruiter)
    response = client.get(TAB)
    assert response.status_code == 403
    assert "must be 100 to 25,000" not in response.content.decode()


def test_the_dashboard_costs_the_same_queries_for_3_and_6_refused_jobs(
    make_job, admin_user, client
):
    def refused_jobs(count: int) -> None:
        for n in range(count):
            JobPostingTask.objects.create(
                job=make_job(title=f"Job {n}"),
                task_urn=f"urn:li:simpleJobPostingTask:{uuid.uuid4()}",
                operation="CREATE",
                status=Status.FAILED,
                error_message="Invalid company",
                finished_at=timezone.now(),
            )

    client.force_login(admin_user)
    refused_jobs(3)
    client.get(TAB)
    with CaptureQueriesContext(db) as few:
        client.get(TAB)
    refused_jobs(3)
    with CaptureQueriesContext(db) as more:
        html = client.get(TAB).content.decode()
    assert len(more.captured_queries) == len(few.captured_queries)
    assert html.split('data-testid="refused-jobs"', 1)[1].count("Invalid company") == 6
    # The job tasks' own: waiting and refused counts, the refused jobs with their job
    own = [q for q in more.captured_queries if "linkedin_jobpostingtask" in q["sql"]]
    assert len(own) == 2
