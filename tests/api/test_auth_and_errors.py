"""Authentication (token, session with CSRF) and the one error format of every 4xx."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from attract.models import ApiToken
from attract.services import api_token_create, api_token_revoke
from candidates.models import Candidate
from candidates.services import application_create
from jobs.choices import JobStatus
from jobs.services import job_activate
from tests.api.conftest import assert_error

JOBS = "/api/v1/jobs/"


# --- Tokens


def test_a_valid_token_authenticates_and_is_marked_used(recruiter, job):
    # given
    token, clear = api_token_create(user=recruiter, name="sync")
    client = APIClient(HTTP_AUTHORIZATION=f"Bearer {clear}")
    # when
    response = client.get(JOBS)
    # then
    assert response.status_code == 200
    assert response.json()["results"][0]["number"] == job.number
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_revoked_token_is_refused_with_401(recruiter):
    token, clear = api_token_create(user=recruiter, name="sync")
    api_token_revoke(token=token, by=recruiter)
    response = APIClient(HTTP_AUTHORIZATION=f"Bearer {clear}").get(JOBS)
    error = assert_error(response, 401, "authentication_failed")
    assert "revoked" in error["message"]
    assert response["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "header",
    ["Bearer", "Bearer att_ extra", "Bearer not-a-token", "Bearer att_unknown-token-value"],
)
def test_a_malformed_or_unknown_token_is_refused_with_401(db, header):
    response = APIClient(HTTP_AUTHORIZATION=header).get(JOBS)
    assert_error(response, 401, "authentication_failed")
    assert response["WWW-Authenticate"] == "Bearer"


def test_no_credentials_answer_401_with_the_bearer_challenge(db):
    response = APIClient().get(JOBS)
    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_deactivated_users_token_stops_working(recruiter):
    _, clear = api_token_create(user=recruiter, name="sync")
    recruiter.is_active = False
    recruiter.save(update_fields=["is_active"])
    response = APIClient(HTTP_AUTHORIZATION=f"Bearer {clear}").get(JOBS)
    assert_error(response, 401, "authentication_failed")


def test_only_the_digest_of_a_token_is_stored(recruiter):
    token, clear = api_token_create(user=recruiter, name="sync")
    stored = ApiToken.objects.get(pk=token.pk)
    assert clear.startswith("att_")
    assert clear not in (stored.digest, stored.prefix)
    assert stored.prefix == clear[:12]


# --- Session authentication keeps CSRF


def test_a_session_reads_without_a_csrf_token(recruiter, job):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(recruiter)
    assert client.get(JOBS).status_code == 200


def test_a_session_write_without_the_csrf_token_is_refused_and_changes_nothing(recruiter):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(recruiter)
    response = client.post("/api/v1/candidates/", {"first_name": "Ann", "last_name": "Lee"})
    error = assert_error(response, 403, "permission_denied")
    assert "CSRF" in error["message"]
    assert not Candidate.objects.filter(first_name="Ann").exists()


def test_a_session_write_with_the_csrf_token_goes_through(recruiter):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(recruiter)
    client.get("/settings/me/api-tokens/")  # any page sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    response = client.post(
        "/api/v1/candidates/",
        {"first_name": "Ann", "last_name": "Lee"},
        HTTP_X_CSRFTOKEN=csrf,
    )
    assert response.status_code == 201
    assert Candidate.objects.filter(first_name="Ann").exists()


# --- The one error format


def test_validation_errors_list_every_field_and_change_nothing(api, recruiter):
    response = api(recruiter).post(
        JOBS, {"title": "", "city": "Oslo", "country": "NO", "openings": 0}
    )
    error = assert_error(response, 400, "validation_error", fields=("title", "description"))
    assert error["fields"]["openings"]
    assert "title" in error["message"]


def test_a_service_refusal_keeps_the_service_code(api, recruiter, job):
    response = api(recruiter).post(f"{JOBS}{job.number}/activate/")
    error = assert_error(response, 400, "illegal_transition")
    assert "cannot be activated" in error["message"]
    job.refresh_from_db()
    assert job.status == JobStatus.ACTIVE


def test_a_service_field_error_names_the_field_and_keeps_its_code(
    api, recruiter, job, make_job, candidate
):
    other = make_job(title="Frontend engineer")
    job_activate(job=other, by=recruiter)
    elsewhere = application_create(candidate=candidate, job=other, by=recruiter)
    response = api(recruiter).post(
        f"{JOBS}{job.number}/close/", {"reason": "filled", "application": elsewhere.pk}
    )
    assert_error(response, 400, "unknown_application", fields=("application",))
    job.refresh_from_db()
    assert job.status == JobStatus.ACTIVE


def test_nested_input_errors_are_dotted(api, recruiter, make_job):
    job = make_job()
    response = api(recruiter).put(
        f"{JOBS}{job.number}/stages/", {"stages": [{"name": "A", "kind": "application"}, {}]}
    )
    error = assert_error(response, 400, "validation_error", fields=("stages.1.name",))
    assert error["fields"]["stages.1.kind"]


def test_a_body_that_is_not_json_is_a_400(api, recruiter):
    response = api(recruiter).generic(
        "POST", "/api/v1/candidates/", "{not json", content_type="application/json"
    )
    assert_error(response, 400, "parse_error")


def test_a_form_encoded_body_is_a_415(api, recruiter):
    response = api(recruiter).post(
        "/api/v1/candidates/", "first_name=A", content_type="application/x-www-form-urlencoded"
    )
    assert_error(response, 415, "unsupported_media_type")


def test_an_unknown_method_is_a_405(api, recruiter, job):
    response = api(recruiter).put(f"{JOBS}{job.number}/", {"title": "x"})
    assert_error(response, 405, "method_not_allowed")


def test_an_unknown_address_is_a_404_in_the_same_format(api, recruiter):
    assert_error(api(recruiter).get("/api/v1/nothing-here/"), 404, "not_found")
    assert_error(APIClient().get("/api/v1/jobs/J-1/x/y/"), 404, "not_found")


def test_a_missing_object_is_a_404(api, recruiter):
    assert_error(api(recruiter).get(f"{JOBS}J-999999/"), 404, "not_found")
    assert_error(api(recruiter).get("/api/v1/applications/999999/"), 404, "not_found")


def test_an_invalid_page_is_a_404(api, recruiter, job):
    assert_error(api(recruiter).get(f"{JOBS}?page=9"), 404, "not_found")


def test_permission_denied_from_a_service_is_a_403(api, interviewer, job):
    response = api(interviewer).post(f"{JOBS}{job.number}/close/", {"reason": "cancelled"})
    assert_error(response, 403, "permission_denied")
    job.refresh_from_db()
    assert job.status == JobStatus.ACTIVE


def test_too_many_requests_are_a_429_with_retry_after(api, recruiter, monkeypatch):
    from rest_framework.throttling import UserRateThrottle

    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "2/minute"})
    client = api(recruiter)
    assert client.get(JOBS).status_code == 200
    assert client.get(JOBS).status_code == 200
    response = client.get(JOBS)
    assert_error(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0


def test_last_used_is_written_at_most_once_a_minute(recruiter):
    token, clear = api_token_create(user=recruiter, name="sync")
    client = APIClient(HTTP_AUTHORIZATION=f"Bearer {clear}")
    client.get(JOBS)
    token.refresh_from_db()
    first = token.last_used_at
    client.get(JOBS)
    token.refresh_from_db()
    assert token.last_used_at == first
    assert first <= timezone.now()


# --- Types are taken at their word


def test_numbers_are_not_text_and_zero_is_not_false(api, recruiter, job, candidate):
    client = api(recruiter)
    error = assert_error(
        client.post("/api/v1/candidates/", {"first_name": 0, "last_name": "X"}), 400
    )
    assert error["fields"]["first_name"]
    body = {"candidate": candidate.pk, "job": job.number, "prospect": 0}
    assert_error(client.post("/api/v1/applications/", body), 400, fields=("prospect",))
    body = {"candidate": True, "job": job.number}
    assert_error(client.post("/api/v1/applications/", body), 400, fields=("candidate",))
    assert_error(
        client.post("/api/v1/pools/", {"name": "P", "members": {}}), 400, fields=("members",)
    )
    assert not Candidate.objects.exclude(pk=candidate.pk).exists()


def test_page_size_is_a_whole_number_and_capped(api, recruiter, job):
    client = api(recruiter)
    assert_error(client.get(f"{JOBS}?page_size=0"), 400, fields=("page_size",))
    assert_error(client.get(f"{JOBS}?page_size=many"), 400, fields=("page_size",))
    assert client.get(f"{JOBS}?page_size=5000").status_code == 200
    assert_error(client.get("/api/v1/applications/?prospect=maybe"), 400, fields=("prospect",))
