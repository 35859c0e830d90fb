"""In-ATS sync completeness: the full history on the first enablement, the outbox hooks of merges,
job deletes, team changes and moves back to Prospect, parked rows sent again, cross-run counts."""

import time
import tracemalloc
from datetime import timedelta

import pytest
from django.db import connection as db
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from attract.models import Event
from candidates.models import Application, ApplicationStatus, Candidate, NoteVisibility
from candidates.services.applications import application_create, application_move
from candidates.services.candidates import candidate_merge
from candidates.services.notes import feedback_submit, note_add
from jobs.choices import CloseReason, StageKind, TeamRole
from jobs.services import (
    job_activate,
    job_close,
    job_delete,
    team_member_add,
    team_member_remove,
)
from linkedin import services_history, services_outbox, services_rsc
from linkedin.models_prospects import ProspectFlow
from linkedin.models_rsc import RecruiterConnection, RscStatus
from linkedin.models_sync import ExportRequest, OutboxRow, PullRun, SyncSettings
from linkedin.services_sync import pull_logged
from tests.factories import CandidateFactory, UserFactory
from tests.linkedin.test_export import _own_cache, rsc  # noqa: F401 - shared fixtures
from tests.linkedin.test_outbox import LONG, apply, job, site, synced  # noqa: F401

pytestmark = pytest.mark.usefixtures("rsc")
TAB = reverse("settings:linkedin")


def linkedin_off() -> None:
    RecruiterConnection.objects.update(tasks_enabled=False, status=RscStatus.DISABLED)


def enable(capture) -> None:
    """LinkedIn reports the integrations enabled again; what runs after commit runs."""
    statuses = RecruiterConnection.objects.get().integration_statuses
    with capture(execute=True):
        services_rsc._apply_statuses(statuses, by=None, source="push", replace=True)
    assert RecruiterConnection.objects.get().tasks_enabled


def drain_all() -> None:
    for _ in range(10):
        result = services_outbox.outbox_drain()
        assert result is not None and result.parked == result.retried == 0, result
        if not OutboxRow.objects.filter(status="pending").exists():
            return
    raise AssertionError("the outbox does not drain")


def kinds() -> list[str]:
    return list(OutboxRow.objects.order_by("id").values_list("entity_type", flat=True))


@pytest.fixture
def history(make_job, recruiter, interviewer, site):  # noqa: F811
    """Made while LinkedIn was off: an active and a closed job (with applicants), an internal
    and a draft job, a prospect, shared and private notes, and interview feedback."""
    linkedin_off()
    active = make_job(description=LONG)
    closed = make_job(description=LONG, title="Closed role")
    internal = make_job(description=LONG, internal_only=True)
    make_job(description=LONG, title="Draft role")
    for job_ in (active, closed, internal):
        team_member_add(job=job_, by=recruiter, user=interviewer, role=TeamRole.INTERVIEWER)
        job_activate(job=job_, by=recruiter)
    applied = apply(active, recruiter)
    application_move(
        application=applied, stage=active.stages.get(kind=StageKind.SCREENING), by=recruiter
    )
    prospect = apply(active, recruiter, stage=active.stages.get(kind=StageKind.PROSPECT))
    on_closed = apply(closed, recruiter)
    job_close(job=closed, by=recruiter, reason=CloseReason.CANCELLED)
    shared = note_add(candidate=applied.candidate, application=applied, by=recruiter, body="Strong")
    note_add(
        candidate=applied.candidate,
        application=applied,
        by=recruiter,
        body="Mine",
        visibility=NoteVisibility.PRIVATE,
    )
    note_add(candidate=prospect.candidate, application=prospect, by=recruiter, body="Prospect")
    feedback = feedback_submit(application=applied, by=interviewer, recommendation=4)
    assert not OutboxRow.objects.exists()
    return {
        "jobs": [active, closed],
        "applications": [applied, on_closed],
        "prospect": prospect,
        "note": shared,
        "feedback": feedback,
    }


# --- The full history -----------------------------------------------------------------------------


def test_the_first_enablement_queues_the_full_history_in_order(
    history, linkedin_sandbox, django_capture_on_commit_callbacks
):
    # when
    enable(django_capture_on_commit_callbacks)
    # then: jobs, candidates, applications, notes, feedback; prospects, drafts, internal jobs
    # and private notes stay here
    applied, on_closed = history["applications"]
    assert kinds() == ["job"] * 2 + ["candidate"] * 2 + ["application"] * 2 + ["note", "feedback"]
    queued = {(r.entity_type, r.entity_id) for r in OutboxRow.objects.all()}
    assert queued == {
        *(("job", str(j.pk)) for j in history["jobs"]),
        *(("candidate", str(a.candidate_id)) for a in history["applications"]),
        *(("application", str(a.pk)) for a in history["applications"]),
        ("note", str(history["note"].pk)),
        ("feedback", str(history["feedback"].pk)),
    }
    settings_row = SyncSettings.objects.get()
    assert settings_row.history_queued_at and settings_row.history_rows == 8
    assert Event.objects.filter(type="linkedin.sync_history_queued").count() == 1
    # and LinkedIn ends with all of it once drained, the closed job closed
    drain_all()
    linkedin_sandbox.advance_clock(600)
    states = {j["externalJobPostingId"]: j["state"] for j in linkedin_sandbox.state()["job"]}
    active, closed = history["jobs"]
    assert states == {active.number: "LISTED", closed.number: "CLOSED"}
    assert set(synced(linkedin_sandbox, "ats_application")) == {str(applied.pk), str(on_closed.pk)}
    assert set(synced(linkedin_sandbox, "ats_candidate")) == {
        str(applied.candidate_id),
        str(on_closed.candidate_id),
    }
    stages = [s["entity"]["stage"] for s in linkedin_sandbox.state()["ats_application_stage"]]
    assert active.stages.get(kind=StageKind.SCREENING).name in stages
    [note] = linkedin_sandbox.state()["ats_application_note"]
    assert note["entity"]["note"] == "Strong"
    assert len(linkedin_sandbox.state()["ats_interview_feedback"]) == 1


def test_enabling_again_later_queues_nothing(history, django_capture_on_commit_callbacks):
    enable(django_capture_on_commit_callbacks)
    OutboxRow.objects.update(status="done")
    linkedin_off()
    enable(django_capture_on_commit_callbacks)
    assert OutboxRow.objects.filter(status="pending").count() == 0
    assert Event.objects.filter(type="linkedin.sync_history_queued").count() == 1


def test_an_administrator_sends_the_history_again_once_at_a_time(
    history, admin_user, client, django_capture_on_commit_callbacks
):
    enable(django_capture_on_commit_callbacks)
    OutboxRow.objects.update(status="done")
    client.force_login(admin_user)
    url = reverse("linkedin:sync_history_again")
    # Without the confirmation nothing happens
    response = client.post(url, follow=True)
    assert "Tick the box to confirm" in response.content.decode()
    assert not OutboxRow.objects.filter(status="pending").exists()
    # Confirmed: queued again
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"confirm": "on"}, follow=True)
    assert "being queued" in response.content.decode()
    assert OutboxRow.objects.filter(status="pending").count() == 8
    # A second request while those rows wait does nothing and says so
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"confirm": "on"}, follow=True)
    html = response.content.decode()
    assert "Nothing done: 8 record(s) of the last full history are still waiting" in html
    assert OutboxRow.objects.filter(status="pending").count() == 8
    assert Event.objects.filter(type="linkedin.sync_history_requested").count() == 1


def test_a_request_whose_queueing_has_not_run_yet_is_not_doubled(history, admin_user):
    enable_without_running = RecruiterConnection.objects.get().integration_statuses
    services_rsc._apply_statuses(enable_without_running, by=None, source="push", replace=True)
    first = services_history.history_request_again(by=admin_user)
    second = services_history.history_request_again(by=admin_user)
    assert (first.status, second.status) == ("requested", "waiting")
    services_history.history_queue()
    services_history.history_queue()  # the second task of the same request finds nothing to do
    assert OutboxRow.objects.count() == 8


def test_only_administrators_send_the_history_again(recruiter, client):
    client.force_login(recruiter)
    response = client.post(reverse("linkedin:sync_history_again"), {"confirm": "on"})
    assert response.status_code == 403
    assert not SyncSettings.objects.filter(history_requested_at__isnull=False).exists()


def test_queueing_the_history_is_fast_and_memory_flat(job, recruiter, monkeypatch):  # noqa: F811
    """Memory is bounded by the chunk, not by the history: twice the applications, same peak."""
    monkeypatch.setattr(services_history, "CHUNK", 250)
    stage = job.stages.get(kind=StageKind.APPLICATION)

    def peak_for(total: int) -> tuple[int, float]:
        Application.objects.all().delete()
        OutboxRow.objects.all().delete()
        SyncSettings.objects.all().delete()
        people = Candidate.objects.bulk_create(
            [Candidate(first_name="P", last_name=str(n)) for n in range(total)]
        )
        Application.objects.bulk_create(
            [
                Application(candidate=c, job=job, stage=stage, stage_entered_at=timezone.now())
                for c in people
            ]
        )
        tracemalloc.start()
        started = time.perf_counter()
        outcome = services_history.history_queue()
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert outcome is not None and outcome.rows["application"] == total
        return peak, elapsed

    small, _ = peak_for(1500)
    large, elapsed = peak_for(3000)
    print(f"history of 3,000 applications: {elapsed:.2f} s, peak {large / 1e6:.1f} MB")
    assert large < small * 1.5
    assert elapsed < 20


# --- Outbox hooks ---------------------------------------------------------------------------------


def test_a_merge_deletes_the_duplicate_on_linkedin_and_sends_the_survivor(
    job,  # noqa: F811
    make_job,
    recruiter,
    linkedin_sandbox,
):
    other = make_job(description=LONG, title="Other role")
    job_activate(job=other, by=recruiter)
    primary = apply(job, recruiter)
    duplicate_same_job = application_create(candidate=CandidateFactory(), job=job, by=recruiter)
    duplicate = duplicate_same_job.candidate
    moved = application_create(candidate=duplicate, job=other, by=recruiter)
    drain_all()
    # when
    candidate_merge(primary=primary.candidate, duplicate=duplicate, by=recruiter)
    drain_all()
    # then
    candidates = synced(linkedin_sandbox, "ats_candidate")
    assert str(duplicate.pk) not in candidates and str(primary.candidate_id) in candidates
    applications = synced(linkedin_sandbox, "ats_application")
    assert set(applications) == {str(primary.pk), str(moved.pk)}
    assert applications[str(moved.pk)]["entity"]["atsCandidateId"] == str(primary.candidate_id)


def test_a_deleted_job_is_closed_and_its_applications_deleted_on_linkedin(
    job,  # noqa: F811
    recruiter,
    linkedin_sandbox,
):
    application = apply(job, recruiter)
    prospect = apply(job, recruiter, stage=job.stages.get(kind=StageKind.PROSPECT))
    drain_all()
    linkedin_sandbox.advance_clock(600)
    assert synced(linkedin_sandbox, "ats_application")
    # when (an administrator may delete a job with applicants)
    job_pk = job.pk
    job_delete(job=job, by=UserFactory(roles=["administrator"]))
    gone = OutboxRow.objects.filter(status="pending", operation="delete")
    assert {(r.entity_type, r.entity_id) for r in gone} == {
        ("application", str(application.pk)),
        ("job", str(job_pk)),
    }
    assert not gone.filter(entity_id=str(prospect.pk)).exists()
    drain_all()
    linkedin_sandbox.advance_clock(600)
    # then
    assert not synced(linkedin_sandbox, "ats_application")
    [posting] = linkedin_sandbox.state()["job"]
    assert posting["state"] == "CLOSED"


def test_a_hiring_team_change_sends_the_job_with_its_requisition_owner(
    job,  # noqa: F811
    recruiter,
    linkedin_sandbox,
):
    lead = UserFactory(roles=["recruiter"], email="lena@example.com", first_name="Lena")
    team = job.team.filter(role=TeamRole.RECRUITER)
    team.update(role=TeamRole.HIRING_MANAGER)  # the poster stays the owner while no recruiter
    member = team_member_add(job=job, by=recruiter, user=lead, role=TeamRole.RECRUITER)
    row = OutboxRow.objects.latest("id")
    assert (row.entity_type, row.entity_id, row.status) == ("job", str(job.pk), "pending")
    drain_all()
    linkedin_sandbox.advance_clock(600)
    [posting] = linkedin_sandbox.state()["job"]
    assert posting["element"]["requisitionOwnerEmail"] == "lena@example.com"
    team_member_remove(member=member, by=recruiter)
    drain_all()
    linkedin_sandbox.advance_clock(600)
    [posting] = linkedin_sandbox.state()["job"]
    assert posting["element"]["requisitionOwnerEmail"] == job.poster.email


def test_an_application_moved_back_to_prospect_is_deleted_on_linkedin(
    job,  # noqa: F811
    recruiter,
    linkedin_sandbox,
):
    application = apply(job, recruiter)
    drain_all()
    assert str(application.pk) in synced(linkedin_sandbox, "ats_application")
    application_move(
        application=application, stage=job.stages.get(kind=StageKind.PROSPECT), by=recruiter
    )
    drain_all()
    assert not synced(linkedin_sandbox, "ats_application")
    assert not synced(linkedin_sandbox, "ats_candidate")  # a prospect everywhere now


def test_a_new_prospect_writes_no_delete(job, recruiter):  # noqa: F811
    apply(job, recruiter, stage=job.stages.get(kind=StageKind.PROSPECT))
    assert not OutboxRow.objects.filter(status="pending").exists()


# --- Parked rows ----------------------------------------------------------------------------------


@pytest.fixture
def parked(job, recruiter, linkedin_sandbox):  # noqa: F811
    """Two applications LinkedIn refused (the organisation did not match), then fixed."""
    applications = [apply(job, recruiter) for _ in range(2)]
    urn = RecruiterConnection.objects.get().organization_urn
    RecruiterConnection.objects.update(organization_urn="urn:li:organization:999")
    assert services_outbox.outbox_drain().parked == 2
    RecruiterConnection.objects.update(organization_urn=urn)
    return applications


def test_a_parked_row_is_retried_by_an_administrator(parked, admin_user, client, linkedin_sandbox):
    client.force_login(admin_user)
    html = client.get(TAB).content.decode()
    assert html.count('data-testid="parked-row"') == 2 and "Retry all 2 refused" in html
    row = OutboxRow.objects.filter(status="parked").first()
    response = client.post(reverse("linkedin:outbox_retry", args=[row.pk]), follow=True)
    assert "sent again at the next run" in response.content.decode()
    row.refresh_from_db()
    assert (row.status, row.last_error) == ("pending", "")
    assert OutboxRow.objects.filter(status="parked").count() == 1
    [event] = Event.objects.filter(type="linkedin.outbox_rows_retried")
    assert event.parameters["count"] == 1 and "403" in event.parameters["rows"][0]["last_error"]
    assert services_outbox.outbox_drain().sent == 1
    assert row.entity_id in synced(linkedin_sandbox, "ats_application")
    # A row no longer parked cannot be retried again
    response = client.post(reverse("linkedin:outbox_retry", args=[row.pk]), follow=True)
    assert "not waiting for a retry" in response.content.decode()


def test_retry_all_parked(parked, admin_user, client, linkedin_sandbox):
    client.force_login(admin_user)
    client.post(reverse("linkedin:outbox_retry_all"))
    assert not OutboxRow.objects.filter(status="parked").exists()
    assert services_outbox.outbox_drain().sent == 2
    assert set(synced(linkedin_sandbox, "ats_application")) == {str(a.pk) for a in parked}


def test_only_administrators_retry(parked, recruiter, client):
    client.force_login(recruiter)
    assert client.post(reverse("linkedin:outbox_retry_all")).status_code == 403
    row = OutboxRow.objects.filter(status="parked").first()
    assert client.post(reverse("linkedin:outbox_retry", args=[row.pk])).status_code == 403
    assert OutboxRow.objects.filter(status="parked").count() == 2


# --- Counts across runs ---------------------------------------------------------------------------


def stored_runs(n: int) -> None:
    """n rows of each flow: sent, parked and queued changes, pulls, exports (some refused)."""
    now, old = timezone.now(), timezone.now() - timedelta(days=3)
    for i in range(n):
        OutboxRow.objects.create(
            entity_type="application", entity_id=str(i), operation="upsert", status="done",
            sent_at=now,
        )  # fmt: skip
        OutboxRow.objects.create(
            entity_type="job", entity_id=str(i), operation="upsert", status="parked",
            last_error="422: Field title is longer than 200 characters",
        )  # fmt: skip
        PullRun.objects.create(flow=ProspectFlow.EVENTS, seat_urn="s", records_in=2)
        PullRun.objects.create(
            flow=ProspectFlow.NOTES, seat_urn="s", finished_at=old, error="LinkedInTemporaryError"
        )
        ExportRequest.objects.create(
            request_id=f"r{n}-{i}", status="refused", reason="The job is closed."
        )
        ExportRequest.objects.create(
            request_id=f"i{n}-{i}", status="imported", matched_on_linkedin=True
        )


def test_the_dashboard_counts_each_flow_over_a_day_and_a_week(admin_user, client):
    stored_runs(3)
    client.force_login(admin_user)
    html = client.get(TAB).content.decode()
    table = html.split('data-testid="sync-flows"', 1)[1].split("</table>", 1)[0]
    rows = {r.split("</th>")[0].rsplit(">", 1)[-1]: r for r in table.split("<tr>")[2:]}
    outbox = rows["In-ATS outbox (Attract → LinkedIn)"]
    assert "3 times: 422: Field title is longer than 200 characters" in outbox
    assert "<td>6</td>" in outbox and "<td>3</td>" in outbox
    events = rows["InMail history pull (LinkedIn → Attract)"]
    assert events.count("<td>6</td>") == 2  # 3 runs of 2 records, in the day and in the week
    notes = rows["Notes history pull (LinkedIn → Attract)"]
    assert "3 times: LinkedInTemporaryError" in notes
    exports = next(v for k, v in rows.items() if k.startswith("1-click export"))
    assert "3 times: The job is closed." in exports


def test_the_tab_costs_the_same_queries_for_3_and_30_rows(admin_user, client):
    client.force_login(admin_user)
    stored_runs(3)
    client.get(TAB)
    with CaptureQueriesContext(db) as few:
        client.get(TAB)
    stored_runs(27)
    with CaptureQueriesContext(db) as many:
        client.get(TAB)
    assert len(many.captured_queries) == len(few.captured_queries)  # 24 today: flat in rows
    # The sync dashboard's own: exports (counts, waiting pushes, refusals), outbox (depth, parked
    # rows), the cross-run counts (outbox totals and reasons, pulls per kind and reasons, exports
    # and reasons), the history (sync settings row) and the sync settings form (its row)
    sync_tables = ("linkedin_outboxrow", "linkedin_pullrun", "linkedin_exportrequest")
    sync_tables += ("linkedin_webhookevent", "linkedin_syncsettings")
    own = [q for q in many.captured_queries if any(t in q["sql"] for t in sync_tables)]
    assert len(own) == 13


def test_a_failed_pull_is_recorded_with_its_reason():
    stored = {"events": 0}

    def pull_that_fails() -> None:
        with pull_logged("urn:li:seat:1", "events", stored):
            stored["events"] += 4
            raise RuntimeError("LinkedIn went away")

    with pytest.raises(RuntimeError):
        pull_that_fails()
    with pull_logged("urn:li:seat:1", "events", stored):
        stored["events"] += 2
    failed, ok = PullRun.objects.order_by("id")
    assert (failed.records_in, failed.error) == (4, "RuntimeError: LinkedIn went away")
    assert (ok.records_in, ok.error) == (2, "")


def test_hired_and_rejected_applications_are_part_of_the_history(job, recruiter):  # noqa: F811
    application = apply(job, recruiter)
    Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.HIRED)
    SyncSettings.objects.all().delete()
    OutboxRow.objects.all().delete()
    services_history.history_queue()
    assert OutboxRow.objects.filter(entity_type="application", entity_id=str(application.pk))
