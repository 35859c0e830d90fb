"""The In-ATS outbox: changes written in their transaction, drained to LinkedIn in batches."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from attract.models import Organisation
from attract.selectors import organisation_get
from candidates.models import Application, NoteVisibility
from candidates.services.applications import (
    application_create,
    application_delete,
    application_move,
)
from candidates.services.candidates import candidate_erase, candidate_update
from candidates.services.notes import feedback_submit, note_add, note_delete
from jobs.choices import CloseReason, StageKind, TeamRole
from jobs.services import job_activate, job_close, team_member_add
from linkedin import client, services_outbox
from linkedin.models_rsc import RecruiterConnection
from linkedin.models_sync import OutboxRow, SyncSettings
from tests.factories import CandidateFactory
from tests.linkedin.test_export import _own_cache, rsc  # noqa: F401 - shared fixtures

pytestmark = pytest.mark.usefixtures("rsc")

LONG = "<p>" + "A description long enough for LinkedIn's job postings. " * 3 + "</p>"


@pytest.fixture
def site(db):
    Organisation.objects.update_or_create(
        pk=organisation_get().pk, defaults={"public_site_url": "https://jobs.example.com"}
    )


@pytest.fixture
def job(rsc, make_job, recruiter, manager, interviewer, site, linkedin_sandbox):  # noqa: F811
    """An active job with a full team, already listed on LinkedIn (its outbox row drained)."""
    job = make_job(description=LONG, city="Oslo", country="NO")
    team_member_add(job=job, by=recruiter, user=manager, role=TeamRole.HIRING_MANAGER)
    team_member_add(job=job, by=recruiter, user=interviewer, role=TeamRole.INTERVIEWER)
    job_activate(job=job, by=recruiter)
    assert services_outbox.outbox_drain().sent == 1
    return job


def rows():
    """The outbox rows of the test (the job fixture's own row is done already)."""
    return OutboxRow.objects.exclude(entity_type="job")


def apply(job, recruiter, **kwargs) -> Application:
    return application_create(candidate=CandidateFactory(), job=job, by=recruiter, **kwargs)


def synced(sandbox, kind: str) -> dict[str, dict]:
    return {r["key"][next(iter(r["key"]))]: r for r in sandbox.state().get(kind, [])}


def test_a_change_writes_one_row_in_its_transaction(job, recruiter):
    application = apply(job, recruiter)
    [row] = rows().all()
    assert (row.entity_type, row.entity_id, row.operation, row.status) == (
        "application",
        str(application.pk),
        "upsert",
        "pending",
    )


def test_a_rolled_back_change_writes_no_row(job, recruiter):
    def change_that_fails_after_the_write() -> None:
        with transaction.atomic():
            apply(job, recruiter)
            raise RuntimeError("the change fails after the write")

    with pytest.raises(RuntimeError):
        change_that_fails_after_the_write()
    assert not rows().exists()


def test_prospects_are_never_sent(job, recruiter, stage, linkedin_sandbox):
    prospect = apply(job, recruiter, stage=stage(StageKind.PROSPECT))
    assert not rows().exists()
    services_outbox.outbox_drain()
    assert not linkedin_sandbox.state().get("ats_application")
    # Once the prospect applies, LinkedIn learns about the application
    application_move(application=prospect, stage=stage(StageKind.APPLICATION), by=recruiter)
    assert rows().count() == 1


def test_draining_puts_candidates_and_applications_on_linkedin(job, recruiter, linkedin_sandbox):
    applications = [apply(job, recruiter) for _ in range(3)]
    result = services_outbox.outbox_drain()
    assert result is not None and (result.sent, result.parked) == (3, 0)
    on_linkedin = synced(linkedin_sandbox, "ats_application")
    assert set(on_linkedin) == {str(a.pk) for a in applications}
    entity = on_linkedin[str(applications[0].pk)]["entity"]
    assert entity["atsJobPostingId"] == job.number
    assert entity["atsCandidateId"] == str(applications[0].candidate_id)
    assert set(synced(linkedin_sandbox, "ats_candidate")) == {
        str(a.candidate_id) for a in applications
    }
    assert set(rows().values_list("status", flat=True)) == {"done"}


def test_more_than_a_hundred_records_go_in_several_batches(
    job, recruiter, linkedin_sandbox, monkeypatch
):
    applications = [apply(job, recruiter) for _ in range(130)]
    sizes: list[tuple[str, int]] = []
    real_call = client.call

    def spy(method, resource, **kwargs):
        sizes.append((resource.split("?")[0], kwargs.get("records", 1)))
        return real_call(method, resource, **kwargs)

    monkeypatch.setattr(client, "call", spy)
    result = services_outbox.outbox_drain()
    assert result is not None and result.sent == 130
    # At most 100 records per request (fewer when the 4 KB query limit splits them first)
    for resource in ("/v2/atsCandidates", "/v2/atsApplications"):
        batches = [n for r, n in sizes if r == resource]
        assert len(batches) > 1 and max(batches) <= 100 and sum(batches) == 130
    assert len(synced(linkedin_sandbox, "ats_application")) == len(applications)


def test_a_deleted_application_is_deleted_on_linkedin(job, recruiter, linkedin_sandbox):
    application = apply(job, recruiter)
    services_outbox.outbox_drain()
    application_delete(application=application, by=recruiter)
    result = services_outbox.outbox_drain()
    assert result is not None and result.sent == 1
    assert not synced(linkedin_sandbox, "ats_application")


@pytest.mark.parametrize("mode", ["5xx", "429"])
def test_outages_are_retried_later_and_delivered(mode, job, recruiter, linkedin_sandbox):
    application = apply(job, recruiter)
    linkedin_sandbox.control({"mode": mode, "count": 50, "retry_after": 0})
    result = services_outbox.outbox_drain()
    assert result is not None and result.retried == 1
    row = rows().get()
    assert row.status == "pending" and row.attempts == 1 and row.last_error
    assert row.next_attempt_at > timezone.now()
    assert services_outbox.outbox_drain().sent == 0  # not due yet
    linkedin_sandbox.control({"mode": "off"})
    rows().update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert services_outbox.outbox_drain().sent == 1
    assert str(application.pk) in synced(linkedin_sandbox, "ats_application")


def test_an_element_linkedin_refuses_is_parked_with_its_error(job, recruiter, linkedin_sandbox):
    apply(job, recruiter)
    RecruiterConnection.objects.update(organization_urn="urn:li:organization:999")
    result = services_outbox.outbox_drain()
    assert result is not None and result.parked == 1
    row = rows().get()
    assert row.status == "parked"
    assert "403" in row.last_error
    assert not synced(linkedin_sandbox, "ats_application")


def test_nothing_is_written_or_sent_while_linkedin_tasks_are_off(job, recruiter):
    RecruiterConnection.objects.update(tasks_enabled=False)
    apply(job, recruiter)
    assert not rows().exists()
    assert services_outbox.outbox_drain() is None


# --- The sync dashboard ---------------------------------------------------------------------------


def test_the_dashboard_shows_depth_last_run_and_refused_changes(
    job, recruiter, admin_user, linkedin_sandbox, client
):
    apply(job, recruiter)
    RecruiterConnection.objects.update(organization_urn="urn:li:organization:999")
    services_outbox.outbox_drain()
    apply(job, recruiter)  # waiting
    client.force_login(admin_user)
    html = client.get(reverse("settings:linkedin")).content.decode()
    section = html.split('data-testid="sync-outbox"', 1)[1]
    assert "Waiting to be sent</dt>" in section
    assert "0 sent," in section and "1 refused" in section
    assert "Changes LinkedIn refused" in html
    assert "The application is not authorized for this integration context" in html


def test_run_now_drains_the_outbox(
    job, recruiter, admin_user, linkedin_sandbox, client, django_capture_on_commit_callbacks
):
    application = apply(job, recruiter)
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("linkedin:sync_run_now"))
    assert response.status_code == 302
    assert rows().get().status == "done"
    assert str(application.pk) in synced(linkedin_sandbox, "ats_application")


def test_only_administrators_may_run_now(job, recruiter, client):
    apply(job, recruiter)
    client.force_login(recruiter)
    assert client.post(reverse("linkedin:sync_run_now")).status_code == 403
    assert rows().get().status == "pending"


# --- Candidates ---------------------------------------------------------------------------------


def test_a_candidate_past_prospect_is_sent_again_when_edited(job, recruiter, linkedin_sandbox):
    application = apply(job, recruiter)
    services_outbox.outbox_drain()
    candidate_update(candidate=application.candidate, by=recruiter, current_title="CTO")
    row = rows().latest("id")
    assert (row.entity_type, row.entity_id) == ("candidate", str(application.candidate_id))
    assert services_outbox.outbox_drain().sent == 1
    entity = synced(linkedin_sandbox, "ats_candidate")[str(application.candidate_id)]["entity"]
    assert entity["currentJobTitle"] == "CTO"


def test_editing_a_prospect_writes_nothing(job, recruiter, stage):
    prospect = apply(job, recruiter, stage=stage(StageKind.PROSPECT))
    candidate_update(candidate=prospect.candidate, by=recruiter, current_title="CTO")
    assert not rows().exists()


def test_an_erased_candidate_is_deleted_on_linkedin(job, recruiter, linkedin_sandbox):
    application = apply(job, recruiter)
    services_outbox.outbox_drain()
    assert synced(linkedin_sandbox, "ats_candidate")
    candidate_erase(candidate=application.candidate, by=recruiter, reason="Asked to be forgotten")
    row = rows().latest("id")
    assert (row.operation, row.payload) == ("delete", {"applications": [application.pk]})
    assert services_outbox.outbox_drain().sent == 1
    assert not synced(linkedin_sandbox, "ats_candidate")
    assert not synced(linkedin_sandbox, "ats_application")


def test_the_stage_history_past_prospect_goes_with_the_application(
    job, recruiter, stage, linkedin_sandbox
):
    prospect = apply(job, recruiter, stage=stage(StageKind.PROSPECT))
    application_move(application=prospect, stage=stage(StageKind.APPLICATION), by=recruiter)
    services_outbox.outbox_drain()
    stages = linkedin_sandbox.state().get("ats_application_stage", [])
    assert [s["entity"]["stage"] for s in stages] == [stage(StageKind.APPLICATION).name]


# --- Notes on applications -----------------------------------------------------------------------


def test_shared_notes_on_applications_are_sent_and_deleted(job, recruiter, linkedin_sandbox):
    application = apply(job, recruiter)
    note = note_add(
        candidate=application.candidate, application=application, by=recruiter, body="Strong"
    )
    note_add(
        candidate=application.candidate,
        application=application,
        by=recruiter,
        body="Mine only",
        visibility=NoteVisibility.PRIVATE,
    )
    assert services_outbox.outbox_drain().parked == 0
    [sent] = linkedin_sandbox.state()["ats_application_note"]
    assert sent["entity"]["note"] == "Strong"
    assert sent["entity"]["author"]["firstName"] == recruiter.first_name
    note_delete(note=note, by=recruiter)
    assert services_outbox.outbox_drain().sent == 1
    assert not linkedin_sandbox.state().get("ats_application_note")


def test_interview_feedback_is_sent_with_its_ratings(job, recruiter, interviewer, linkedin_sandbox):
    application = apply(job, recruiter)
    feedback_submit(
        application=application,
        by=interviewer,
        recommendation=4,
        ratings={"Communication": 5},
        strengths="Clear",
    )
    assert services_outbox.outbox_drain().parked == 0
    [sent] = linkedin_sandbox.state()["ats_interview_feedback"]
    assert sent["entity"]["evaluations"] == [{"attribute": "Communication", "result": "5/5"}]
    assert "Strengths: Clear" in sent["entity"]["feedback"]
    assert sent["entity"]["interviewer"]["lastName"] == interviewer.last_name


# --- Jobs -----------------------------------------------------------------------------------------


def test_an_activated_job_is_listed_then_closed_on_linkedin(
    make_job, recruiter, site, linkedin_sandbox
):
    job = make_job(description=LONG, city="Oslo", country="NO")
    assert not rows().exists()  # a draft stays here
    job_activate(job=job, by=recruiter)
    assert services_outbox.outbox_drain().parked == 0
    linkedin_sandbox.advance_clock(600)  # LinkedIn processes the posting task
    [listed] = linkedin_sandbox.state()["job"]
    assert listed["externalJobPostingId"] == job.number
    assert listed["availability"] == "PRIVATE_TO_ATS_INTEGRATION"
    job_close(job=job, by=recruiter, reason=CloseReason.CANCELLED)
    assert services_outbox.outbox_drain().parked == 0
    linkedin_sandbox.advance_clock(600)
    assert linkedin_sandbox.state()["job"][0]["state"] == "CLOSED"


def test_jobs_are_public_when_the_organisation_says_so(make_job, recruiter, site, linkedin_sandbox):
    SyncSettings.objects.create(job_availability=SyncSettings.Availability.PUBLIC)
    job = make_job(description=LONG, city="Oslo", country="NO")
    job_activate(job=job, by=recruiter)
    services_outbox.outbox_drain()
    linkedin_sandbox.advance_clock(600)
    assert linkedin_sandbox.state()["job"][0]["availability"] == "PUBLIC"


def test_a_job_linkedin_refuses_is_parked_with_its_reason(make_job, recruiter):
    # No public site URL yet: the apply URL is not absolute, LinkedIn refuses the element
    Organisation.objects.update(public_site_url="")
    job = make_job(description=LONG, city="Oslo", country="NO")
    job_activate(job=job, by=recruiter)
    assert services_outbox.outbox_drain().parked == 1
    assert "companyApplyUrl" in OutboxRow.objects.get(entity_type="job").last_error


def test_an_administrator_makes_jobs_public_and_active_jobs_are_sent_again(
    job, admin_user, client, linkedin_sandbox
):
    client.force_login(admin_user)
    html = client.get(reverse("settings:linkedin")).content.decode()
    assert "Jobs on LinkedIn" in html
    response = client.post(reverse("linkedin:sync_settings"), {"job_availability": "PUBLIC"})
    assert response.status_code == 302
    assert SyncSettings.objects.get().job_availability == "PUBLIC"
    assert services_outbox.outbox_drain().sent == 1
    linkedin_sandbox.advance_clock(600)
    assert linkedin_sandbox.state()["job"][0]["availability"] == "PUBLIC"


def test_only_administrators_change_the_sync_settings(job, recruiter, client):
    client.force_login(recruiter)
    response = client.post(reverse("linkedin:sync_settings"), {"job_availability": "PUBLIC"})
    assert response.status_code == 403
    assert not SyncSettings.objects.filter(job_availability="PUBLIC").exists()
