"""LinkedIn 1-click export: an EXPORT_CANDIDATE_PROFILE push becomes a prospect, or a refusal."""

import time
import uuid

import pytest
import requests
from django.test import Client
from django.urls import reverse

from candidates.models import Application, Candidate, CandidateEmail, CandidateSource
from jobs.choices import JobStatus, StageKind
from linkedin import services_rsc
from linkedin.models_rsc import RecruiterConnection, RecruiterSeat, WebhookEvent
from linkedin.models_sync import ExportRequest
from linkedin.selectors_rsc import linkedin_tasks_allowed
from linkedin.services_export import export_handle
from tests.factories import CandidateFactory
from tests.linkedin.test_rsc_views import connect_partner_ready

MEMBER = "eBakker03"  # Emma Bakker in the sandbox's member directory
MEMBER_URN = f"urn:li:person:{MEMBER}"
MEMBER_EMAIL = "emma.bakker@nordlys.example"


@pytest.fixture(autouse=True)
def _own_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": uuid.uuid4().hex,
        }
    }
    settings.LINKEDIN_BACKOFF_BASE = 0.01
    settings.LINKEDIN_BACKOFF_MAX = 0.02


@pytest.fixture
def rsc(admin_user, linkedin_sandbox) -> RecruiterConnection:
    """Recruiter System Connect enabled at contract level, LinkedIn's status push handled."""
    admin = Client()
    admin.force_login(admin_user)
    connection = connect_partner_ready(admin, linkedin_sandbox)
    [push] = linkedin_sandbox.enable_integration(deliver=False)["pushes"]
    event, _ = services_rsc.push_record(
        connection=connection, raw=push["body"].encode(), payload=push["payload"]
    )
    services_rsc.push_handle(event_id=event.pk)
    assert linkedin_tasks_allowed()
    return RecruiterConnection.objects.get()


@pytest.fixture
def seat(rsc, recruiter, linkedin_sandbox) -> RecruiterSeat:
    """Ingrid's Recruiter seat is rita's."""
    return RecruiterSeat.objects.create(
        seat_urn=linkedin_sandbox.recruiter_seat, contract_urn=rsc.contract_urn, user=recruiter
    )


def list_on_linkedin(sandbox, connection: RecruiterConnection, number: str) -> None:
    """The job synced to LinkedIn (what the job sync does), so recruiters can export to it."""
    token = sandbox.app_token(connection.client_id, connection.client_secret)
    element = {
        "integrationContext": connection.organization_urn,
        "externalJobPostingId": number,
        "jobPostingOperationType": "CREATE",
        "title": f"Job {number}",
        "description": "A job synced for the 1-click export tests. " * 4,
        "listedAt": int(time.time() * 1000),
        "location": "Oslo, Norway",
        "companyApplyUrl": "https://jobs.example.com/apply",
        "posterEmail": "rita@example.com",
    }
    answer = requests.post(
        f"{sandbox.url}/v2/simpleJobPostings",
        json={"elements": [element]},
        headers={"Authorization": f"Bearer {token}", "x-restli-method": "batch_create"},
        timeout=30,
    )
    answer.raise_for_status()
    assert "error" not in answer.json()["elements"][0], answer.json()
    sandbox.advance_clock(600)  # LinkedIn processes the job posting task


def export(sandbox, connection, number: str, member: str = MEMBER, seat: str | None = None):
    """A recruiter exports `member` to job `number`; the push reaches our callback URL."""
    push = sandbox.push(
        "EXPORT_CANDIDATE_PROFILE",
        deliver=False,
        member=member,
        job=number,
        seat=seat or sandbox.recruiter_seat,
    )
    return deliver(connection, push)


def deliver(connection, push):
    linkedin = Client(enforce_csrf_checks=True)
    response = linkedin.post(
        reverse("linkedin:callback", args=[connection.callback_token]),
        data=push["body"].encode(),
        content_type="application/json",
        HTTP_X_LI_SIGNATURE=push["headers"]["X-LI-Signature"],
    )
    assert response.status_code == 200, response.content
    return push


@pytest.fixture
def listed(job, rsc, linkedin_sandbox):
    list_on_linkedin(linkedin_sandbox, rsc, job.number)
    return job


def exported(django_capture_on_commit_callbacks, *args, **kwargs) -> ExportRequest:
    with django_capture_on_commit_callbacks(execute=True):
        push = export(*args, **kwargs)
    return ExportRequest.objects.get(request_id=push["requestId"])


def test_an_export_becomes_a_prospect_matched_on_linkedin(
    listed, seat, rsc, linkedin_sandbox, django_capture_on_commit_callbacks
):
    record = exported(django_capture_on_commit_callbacks, linkedin_sandbox, rsc, listed.number)
    assert record.status == ExportRequest.Status.IMPORTED, record.reason
    application = Application.objects.select_related("candidate", "stage").get()
    assert application.pk == record.application_pk
    assert application.job == listed
    assert application.stage.kind == StageKind.PROSPECT
    assert application.source == CandidateSource.LINKEDIN_EXPORT
    assert application.get_source_display() == "LinkedIn 1-click export"
    candidate = application.candidate
    assert (candidate.first_name, candidate.last_name) == ("Emma", "Bakker")
    assert candidate.linkedin_member_urn == MEMBER_URN
    assert candidate.source == CandidateSource.LINKEDIN_EXPORT
    assert WebhookEvent.objects.get(request_id=record.request_id).status == "processed"
    # LinkedIn now knows the candidate and its member
    assert record.matched_on_linkedin
    [synced] = linkedin_sandbox.state()["ats_candidate"]
    assert synced["key"]["atsCandidateId"] == str(candidate.pk)
    assert synced["manualMatchedMember"] == MEMBER_URN


def test_a_replayed_export_gives_one_application(
    listed, seat, rsc, linkedin_sandbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        push = export(linkedin_sandbox, rsc, listed.number)
    with django_capture_on_commit_callbacks(execute=True):
        deliver(rsc, push)  # LinkedIn delivers the same push again
    export_handle(event_id=WebhookEvent.objects.get(request_id=push["requestId"]).pk)
    assert Application.objects.count() == 1
    assert Candidate.objects.count() == 1
    assert ExportRequest.objects.count() == 1


def test_an_export_matches_a_candidate_by_member_urn(
    listed, seat, rsc, linkedin_sandbox, django_capture_on_commit_callbacks
):
    known = CandidateFactory(linkedin_member_urn=MEMBER_URN)
    record = exported(django_capture_on_commit_callbacks, linkedin_sandbox, rsc, listed.number)
    assert record.status == ExportRequest.Status.IMPORTED
    assert Application.objects.get().candidate == known
    assert Candidate.objects.count() == 1


def test_an_export_matches_a_candidate_by_email_and_learns_the_urn(
    listed, seat, rsc, linkedin_sandbox, django_capture_on_commit_callbacks
):
    known = CandidateFactory()
    CandidateEmail.objects.create(candidate=known, email=MEMBER_EMAIL, is_primary=True)
    record = exported(django_capture_on_commit_callbacks, linkedin_sandbox, rsc, listed.number)
    assert record.status == ExportRequest.Status.IMPORTED
    assert Application.objects.get().candidate == known
    known.refresh_from_db()
    assert known.linkedin_member_urn == MEMBER_URN


def refused(django_capture_on_commit_callbacks, sandbox, rsc, number, **kwargs) -> str:
    record = exported(django_capture_on_commit_callbacks, sandbox, rsc, number, **kwargs)
    assert record.status == ExportRequest.Status.REFUSED
    assert (record.job_number, record.member_urn) == (number, MEMBER_URN)
    assert not Application.objects.exists()
    assert not Candidate.objects.exists()
    return record.reason


def test_an_export_to_an_inactive_job_is_refused(
    listed, seat, rsc, recruiter, linkedin_sandbox, django_capture_on_commit_callbacks
):
    type(listed).objects.filter(pk=listed.pk).update(status=JobStatus.CLOSED)
    reason = refused(django_capture_on_commit_callbacks, linkedin_sandbox, rsc, listed.number)
    assert reason == f"Job {listed.number} is not active."


def test_an_export_to_a_job_without_prospect_stage_is_refused(
    listed, seat, rsc, linkedin_sandbox, django_capture_on_commit_callbacks
):
    listed.stages.filter(kind=StageKind.PROSPECT).delete()
    reason = refused(django_capture_on_commit_callbacks, linkedin_sandbox, rsc, listed.number)
    assert reason == f"Job {listed.number} has no Prospect stage."


def test_an_export_by_a_seat_of_someone_off_the_team_is_refused(
    listed, rsc, outsider, linkedin_sandbox, django_capture_on_commit_callbacks
):
    RecruiterSeat.objects.create(
        seat_urn=linkedin_sandbox.recruiter_seat, contract_urn=rsc.contract_urn, user=outsider
    )
    reason = refused(django_capture_on_commit_callbacks, linkedin_sandbox, rsc, listed.number)
    assert reason == f"{outsider} is not a recruiter or hiring manager of {listed.number}."


def test_an_export_by_an_unknown_seat_is_refused(
    listed, rsc, linkedin_sandbox, django_capture_on_commit_callbacks
):
    reason = refused(django_capture_on_commit_callbacks, linkedin_sandbox, rsc, listed.number)
    assert "is not linked to an Attract user" in reason


def test_linkedin_outages_are_retried_until_the_export_is_imported(
    listed, seat, rsc, linkedin_sandbox, django_capture_on_commit_callbacks
):
    # One task run makes four attempts: the fifth (the task's retry) gets through
    linkedin_sandbox.control({"mode": "5xx", "count": 5, "path_prefix": "/v2/exportedCandidates"})
    record = exported(django_capture_on_commit_callbacks, linkedin_sandbox, rsc, listed.number)
    assert record.status == ExportRequest.Status.IMPORTED
    assert record.matched_on_linkedin
    assert Application.objects.count() == 1


def test_nothing_is_imported_while_linkedin_tasks_are_off(
    listed, seat, rsc, linkedin_sandbox, django_capture_on_commit_callbacks
):
    RecruiterConnection.objects.update(tasks_enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        push = export(linkedin_sandbox, rsc, listed.number)
    event = WebhookEvent.objects.get(request_id=push["requestId"])
    assert event.status == WebhookEvent.Status.RECEIVED  # handled once the tasks are on again
    assert not ExportRequest.objects.exists()
    assert not Application.objects.exists()
    RecruiterConnection.objects.update(tasks_enabled=True)
    export_handle(event_id=event.pk)
    assert Application.objects.count() == 1


# --- The sync dashboard on the admin LinkedIn tab ------------------------------------------------


def test_administrators_see_refused_exports_with_their_reason(
    listed, rsc, admin_user, linkedin_sandbox, django_capture_on_commit_callbacks
):
    reason = refused(django_capture_on_commit_callbacks, linkedin_sandbox, rsc, listed.number)
    admin = Client()
    admin.force_login(admin_user)
    html = admin.get(reverse("settings:linkedin")).content.decode()
    assert "Refused exports" in html
    assert reason in html
    assert listed.number in html


def test_run_now_queues_waiting_exports_again(
    listed, seat, rsc, admin_user, linkedin_sandbox, django_capture_on_commit_callbacks
):
    linkedin_sandbox.control(
        {"mode": "5xx", "count": 1000, "path_prefix": "/v2/exportedCandidates"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        export(linkedin_sandbox, rsc, listed.number)
    assert not ExportRequest.objects.exists()  # LinkedIn was down the whole time
    linkedin_sandbox.control({"mode": "off"})
    admin = Client()
    admin.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(reverse("linkedin:sync_run_now"))
    assert response.status_code == 302
    assert ExportRequest.objects.get().status == ExportRequest.Status.IMPORTED
    assert Application.objects.count() == 1


def test_only_administrators_may_run_now(recruiter, db):
    client = Client()
    client.force_login(recruiter)
    assert client.post(reverse("linkedin:sync_run_now")).status_code == 403
    assert Client().post(reverse("linkedin:sync_run_now")).status_code == 302  # sign in first
