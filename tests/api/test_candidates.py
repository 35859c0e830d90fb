"""/api/v1/candidates/, /notes/ and /feedback/: search, de-duplication, merge, notes, feedback.

rita and hank see every candidate; ivan only the applicants of the job he interviews for; rory
(read-only) and otto's view of applicants are scoped the same way as in the web app.
"""

import pytest

from attract.models import Event, SecurityRole
from candidates.models import Candidate, CandidateEmail, InterviewFeedback, Note, NoteVisibility
from candidates.services import (
    application_create,
    candidate_update,
    feedback_submit,
    note_add,
)
from jobs.choices import TeamRole
from jobs.services import team_member_add
from tests.api.conftest import AUTH_QUERIES, assert_error, warm
from tests.factories import CandidateFactory, UserFactory
from tests.xss import PAYLOADS

CANDIDATES = "/api/v1/candidates/"
NOTES = "/api/v1/notes/"
FEEDBACK = "/api/v1/feedback/"


def url(candidate, action: str = "") -> str:
    return f"{CANDIDATES}{candidate.pk}/" + (f"{action}/" if action else "")


# --- Candidates


def test_recruiters_search_every_candidate(
    api, recruiter, candidate, django_capture_on_commit_callbacks
):
    other = CandidateFactory(first_name="Zelda", current_title="Pilot")
    with django_capture_on_commit_callbacks(execute=True):  # the search text is refreshed then
        candidate_update(candidate=other, by=recruiter, tags=["Aviation"])
    client = api(recruiter)
    assert client.get(CANDIDATES).json()["count"] == 2
    results = client.get(f"{CANDIDATES}?q=zelda").json()["results"]
    assert [c["id"] for c in results] == [other.pk]
    assert results[0]["tags"] == ["Aviation"]
    assert [c["id"] for c in client.get(f"{CANDIDATES}?tag=aviation").json()["results"]] == [
        other.pk
    ]
    assert client.get(f"{CANDIDATES}?source=referral").json()["count"] == 0
    assert_error(client.get(f"{CANDIDATES}?tag=nope"), 400, fields=("tag",))
    assert_error(client.get(f"{CANDIDATES}?source=moon"), 400, fields=("source",))


def test_an_interviewer_sees_only_the_applicants_of_his_jobs(api, interviewer, application):
    stranger = CandidateFactory()
    client = api(interviewer)
    assert [c["id"] for c in client.get(CANDIDATES).json()["results"]] == [application.candidate_id]
    assert_error(client.get(url(stranger)), 404, "not_found")


@pytest.mark.parametrize("actor", ["readonly"])
def test_a_read_only_user_on_no_team_sees_no_candidate(api, request, candidate, actor):
    client = api(request.getfixturevalue(actor))
    assert client.get(CANDIDATES).json()["count"] == 0
    assert_error(client.get(url(candidate)), 404, "not_found")


@pytest.mark.parametrize("rows", [3, 20])
def test_the_candidate_list_costs_the_same_for_3_and_20_rows(
    api, recruiter, rows, django_assert_num_queries
):
    for _ in range(rows):
        candidate = CandidateFactory()
        candidate_update(candidate=candidate, by=recruiter, tags=["Python", "Django"])
    client = api(recruiter)
    warm(client, CANDIDATES)
    # auth (token+user, roles), count, the page, its tags, its emails (two prefetches).
    with django_assert_num_queries(AUTH_QUERIES + 4):
        assert client.get(CANDIDATES).json()["count"] == rows


def test_adding_a_candidate_finds_a_known_email_instead_of_duplicating(api, recruiter):
    client = api(recruiter)
    body = {"first_name": "Ann", "last_name": "Lee", "email": "ann@example.com", "tags": ["Go"]}
    first = client.post(CANDIDATES, body)
    assert first.status_code == 201, first.content
    assert first.json()["created"] is True
    again = client.post(CANDIDATES, {**body, "first_name": "Annie", "email": " ANN@example.com"})
    assert again.status_code == 200
    assert again.json()["created"] is False
    assert again.json()["id"] == first.json()["id"]
    assert Candidate.objects.count() == 1
    assert CandidateEmail.objects.get().email == "ann@example.com"


@pytest.mark.parametrize("actor", ["interviewer", "readonly"])
def test_who_may_not_add_candidates_is_refused(api, request, actor):
    response = api(request.getfixturevalue(actor)).post(
        CANDIDATES, {"first_name": "Ann", "last_name": "Lee"}
    )
    assert_error(response, 403, "permission_denied")
    assert not Candidate.objects.exists()


def test_bad_candidate_input_lists_the_fields_and_creates_nothing(api, recruiter):
    bad = {"first_name": "", "email": "not-an-email", "phones": ["1"] * 11, "linkedin_url": "x"}
    error = assert_error(api(recruiter).post(CANDIDATES, bad), 400, "validation_error")
    assert {"first_name", "last_name", "email", "phones", "linkedin_url"} <= set(error["fields"])
    response = api(recruiter).post(
        CANDIDATES, {"first_name": "A", "last_name": "B", "country": "ZZ"}
    )
    assert_error(response, 400, fields=("country",))
    assert not Candidate.objects.exists()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_text_comes_back_as_sent_in_json(api, recruiter, payload):
    response = api(recruiter).post(CANDIDATES, {"first_name": payload, "last_name": "X"})
    assert response.json()["first_name"] == payload.strip()
    assert response["Content-Type"] == "application/json"


def test_the_recruiter_edits_a_candidate(api, recruiter, candidate):
    response = api(recruiter).patch(
        url(candidate), {"current_title": "CTO", "phones": ["+47 1234"], "tags": ["Lead"]}
    )
    assert response.status_code == 200, response.content
    assert response.json()["tags"] == ["Lead"]
    candidate.refresh_from_db()
    assert (candidate.current_title, candidate.phones) == ("CTO", ["+47 1234"])


def test_an_interviewer_may_not_edit_a_candidate_he_sees(api, interviewer, application):
    candidate = application.candidate
    before = candidate.current_title
    response = api(interviewer).patch(url(candidate), {"current_title": "Hacked"})
    assert_error(response, 403, "permission_denied")
    candidate.refresh_from_db()
    assert candidate.current_title == before


def test_merging_keeps_everything_of_both(api, recruiter, interviewer, application):
    primary = application.candidate
    duplicate = CandidateFactory(email="second@example.org")
    # ivan sees both (applicants on his job) but may not merge.
    application_create(candidate=duplicate, job=application.job, by=recruiter)
    assert_error(api(interviewer).post(url(primary, "merge"), {"duplicate": duplicate.pk}), 403)
    response = api(recruiter).post(url(primary, "merge"), {"duplicate": duplicate.pk})
    assert response.status_code == 200, response.content
    assert "second@example.org" in response.json()["emails"]
    assert not Candidate.objects.filter(pk=duplicate.pk).exists()
    response = api(recruiter).post(url(primary, "merge"), {"duplicate": primary.pk})
    assert_error(response, 400, "same")


# --- Notes


def test_notes_list_what_the_user_may_see(api, recruiter, manager, candidate):
    note_add(candidate=candidate, by=recruiter, body="Everyone sees this")
    note_add(candidate=candidate, by=manager, body="Only hank", visibility=NoteVisibility.PRIVATE)
    bodies = [
        n["body"] for n in api(recruiter).get(f"{NOTES}?candidate={candidate.pk}").json()["results"]
    ]
    assert bodies == ["Everyone sees this"]
    assert_error(api(recruiter).get(NOTES), 400, "validation_error", fields=("candidate",))


def test_an_outsider_cannot_list_notes_of_a_candidate_he_cannot_see(api, readonly, candidate):
    response = api(readonly).get(f"{NOTES}?candidate={candidate.pk}")
    assert_error(response, 400, fields=("candidate",))


def test_team_notes_stay_on_the_team(api, recruiter, outsider, application):
    note = note_add(
        candidate=application.candidate,
        by=recruiter,
        body="Team only",
        application=application,
        visibility=NoteVisibility.HIRING_TEAM,
    )
    client = api(outsider)
    assert client.get(f"{NOTES}?candidate={application.candidate_id}").json()["count"] == 0
    assert_error(client.get(f"{NOTES}{note.pk}/"), 404, "not_found")


@pytest.mark.parametrize("rows", [3, 20])
def test_the_note_list_costs_the_same_for_3_and_20_notes(
    api, recruiter, candidate, rows, django_assert_num_queries
):
    for i in range(rows):
        note_add(candidate=candidate, by=recruiter, body=f"Note {i}")
    client = api(recruiter)
    warm(client, f"{NOTES}?candidate={candidate.pk}")
    # auth (token+user, roles), the candidate (scoped), count, the page with authors.
    with django_assert_num_queries(AUTH_QUERIES + 3):
        assert client.get(f"{NOTES}?candidate={candidate.pk}").json()["count"] == rows


def test_add_edit_and_delete_my_note(api, recruiter, application):
    client = api(recruiter)
    body = {
        "candidate": application.candidate_id,
        "application": application.pk,
        "body": "Great call",
        "visibility": "team",
    }
    response = client.post(NOTES, body)
    assert response.status_code == 201, response.content
    note_id = response.json()["id"]
    assert client.patch(f"{NOTES}{note_id}/", {"body": "Great second call"}).status_code == 200
    assert Note.objects.get(pk=note_id).body == "Great second call"
    assert client.get(f"{NOTES}{note_id}/").json()["visibility"] == "team"
    assert client.delete(f"{NOTES}{note_id}/").status_code == 204
    assert not Note.objects.filter(pk=note_id).exists()


def test_others_notes_are_not_mine_to_edit_or_delete(api, recruiter, manager, candidate):
    note = note_add(candidate=candidate, by=recruiter, body="Mine")
    client = api(manager)
    assert_error(client.patch(f"{NOTES}{note.pk}/", {"body": "Yours now"}), 403)
    assert_error(client.delete(f"{NOTES}{note.pk}/"), 403)
    note.refresh_from_db()
    assert note.body == "Mine"


def test_bad_notes_are_refused(api, recruiter, interviewer, application):
    client = api(recruiter)
    candidate = application.candidate_id
    assert_error(client.post(NOTES, {"candidate": candidate, "body": "  "}), 400, fields=("body",))
    team_without_application = {"candidate": candidate, "body": "x", "visibility": "team"}
    assert_error(client.post(NOTES, team_without_application), 400, fields=("visibility",))
    on_application = {"candidate": candidate, "body": "x", "application": application.pk}
    assert_error(api(interviewer).post(NOTES, on_application), 403, "permission_denied")
    assert not Note.objects.exists()


# --- Interview feedback


def test_an_interviewer_sees_others_feedback_only_after_submitting(
    api, manager, interviewer, application
):
    feedback_submit(application=application, by=manager, recommendation=5, strengths="Sharp")
    client = api(interviewer)
    listed = f"{FEEDBACK}?application={application.pk}"
    assert client.get(listed).json()["count"] == 0
    hank = InterviewFeedback.objects.get()
    assert_error(client.get(f"{FEEDBACK}{hank.pk}/"), 404, "not_found")
    body = {"application": application.pk, "recommendation": 4, "ratings": {"Python": 5}}
    response = client.post(FEEDBACK, body)
    assert response.status_code == 201, response.content
    assert response.json()["ratings"] == {"Python": 5}
    assert client.get(listed).json()["count"] == 2
    assert client.get(f"{FEEDBACK}{hank.pk}/").json()["strengths"] == "Sharp"


def test_feedback_is_refused_outside_the_team_and_checked(api, outsider, recruiter, application):
    body = {"application": application.pk, "recommendation": 4}
    assert_error(api(outsider).post(FEEDBACK, body), 400, fields=("application",))
    listed = api(outsider).get(f"{FEEDBACK}?application={application.pk}")
    assert_error(listed, 400, fields=("application",))
    bad = {"application": application.pk, "recommendation": 9, "ratings": {"Python": 6}}
    error = assert_error(api(recruiter).post(FEEDBACK, bad), 400, "validation_error")
    assert {"recommendation", "ratings.Python"} <= set(error["fields"])
    assert not InterviewFeedback.objects.exists()
    assert not Event.objects.filter(type__startswith="feedback").exists()


@pytest.mark.parametrize("rows", [3, 20])
def test_the_feedback_list_costs_the_same_for_3_and_20_rows(
    api, recruiter, application, rows, django_assert_num_queries
):
    job = application.job
    for _ in range(rows):
        person = UserFactory(roles=[SecurityRole.INTERVIEWER])
        team_member_add(job=job, by=recruiter, user=person, role=TeamRole.INTERVIEWER)
        feedback_submit(application=application, by=person, recommendation=3)
    client = api(recruiter)
    url = f"{FEEDBACK}?application={application.pk}"
    warm(client, url)
    # auth (token+user, roles), the application with its job (scoped), the job's team (read by
    # the feedback rules), count, the page with interviewers.
    with django_assert_num_queries(AUTH_QUERIES + 4):
        assert client.get(url).json()["count"] == rows


def test_a_second_application_for_feedback_lists(api, recruiter, job, application):
    other = application_create(candidate=CandidateFactory(), job=job, by=recruiter)
    feedback_submit(application=other, by=recruiter, recommendation=2)
    listed = api(recruiter).get(f"{FEEDBACK}?application={application.pk}").json()
    assert listed["count"] == 0
