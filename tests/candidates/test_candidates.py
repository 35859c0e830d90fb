"""SPEC 1 "Candidates and applications": one record per person, merges, applications and their
history, notes, feedback, documents and erasure, through the services.

rita recruits on the active job, hank manages it, ivan interviews; otto is a recruiter on no team
of that job. A refused call raises a named error and leaves the rows as they were.
"""

import re
from datetime import timedelta
from itertools import pairwise
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from attract.models import Event
from candidates.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Candidate,
    CandidateEmail,
    Document,
    InterviewFeedback,
    Note,
    NoteVisibility,
    RejectionReason,
)
from candidates.selectors import notes_visible_to
from candidates.services import (
    application_create,
    application_hire,
    application_move,
    application_reject,
    application_reopen,
    application_withdraw,
    candidate_add_email,
    candidate_create,
    candidate_erase,
    candidate_merge,
    document_add,
    documents_sweep_orphans,
    feedback_submit,
    note_add,
    note_edit,
)
from candidates.tasks import erase_candidates_past_retention
from jobs.choices import CloseReason, StageKind
from jobs.services import job_activate, job_close
from talentpools.services import pool_add_members, pool_create
from tests.factories import CandidateFactory, rejection_reason

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


def codes_of(error: ValidationError) -> set:
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


def state_of(application: Application) -> dict:
    """Everything a refused application change must leave alone."""
    application.refresh_from_db()
    return {
        "stage": application.stage_id,
        "status": application.status,
        "reason": application.rejection_reason_id,
        "comment": application.status_comment,
        "entered": application.stage_entered_at,
        "history": list(application.history.values_list("pk", flat=True)),
        "events": Event.objects.filter(type__startswith="application.").count(),
    }


def files_in(media_root) -> list[Path]:
    root = Path(media_root)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def upload(name="cv.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def active_job(make_job, recruiter):
    """Another active job of rita's, with no one else on its team."""

    def make(**fields):
        job = make_job(**fields)
        job_activate(job=job, by=recruiter)
        return job

    return make


# --- One record per person


def test_a_known_email_finds_the_existing_record_whatever_its_case_and_spaces(recruiter):
    # given Ann is on file
    ann, created = candidate_create(
        by=recruiter, first_name="Ann", last_name="Lee", email="ann.lee@example.org"
    )
    assert created
    candidates, emails = Candidate.objects.count(), CandidateEmail.objects.count()

    # when someone adds her again with a differently written address
    found, created = candidate_create(
        by=recruiter, first_name="Annie", last_name="L.", email="  ANN.Lee@Example.ORG \n"
    )

    # then it is her record, unchanged, and nothing new was written
    assert (found, created) == (ann, False)
    found.refresh_from_db()
    assert (found.first_name, found.last_name) == ("Ann", "Lee")
    assert (Candidate.objects.count(), CandidateEmail.objects.count()) == (candidates, emails)


def test_emails_are_stored_trimmed_and_in_lower_case(recruiter):
    person, _ = candidate_create(
        by=recruiter, first_name="Bo", last_name="Ek", email=" Bo.Ek@Example.COM "
    )

    assert list(person.emails.values_list("email", "is_primary")) == [("bo.ek@example.com", True)]


@pytest.mark.parametrize(
    "email",
    [
        "not-an-email",
        "ann@",
        "@example.org",
        "ann@example",
        "ann lee@example.org",
        "ann@@example.org",
        "a" * 250 + "@example.org",
    ],
)
def test_an_invalid_email_is_refused(recruiter, email):
    candidates, emails = Candidate.objects.count(), CandidateEmail.objects.count()

    with pytest.raises(ValidationError) as refused:
        candidate_create(by=recruiter, first_name="Ann", last_name="Lee", email=email)

    assert "email" in refused.value.message_dict
    assert (Candidate.objects.count(), CandidateEmail.objects.count()) == (candidates, emails)


@pytest.mark.parametrize("field", ["first_name", "last_name"])
def test_an_over_long_name_is_refused_and_nothing_saved(recruiter, field):
    names = {"first_name": "Ann", "last_name": "Lee", field: "x" * 101}

    with pytest.raises(ValidationError) as refused:
        candidate_create(by=recruiter, email="long.name@example.org", **names)

    assert field in refused.value.message_dict
    assert not Candidate.objects.exists()
    assert not CandidateEmail.objects.filter(email="long.name@example.org").exists()


def test_a_name_of_100_characters_is_accepted(recruiter):
    person, _ = candidate_create(by=recruiter, first_name="x" * 100, last_name="Lee")

    assert len(person.first_name) == 100


def test_an_email_of_another_person_cannot_be_added(recruiter, candidate):
    # given Bea owns bea@example.org
    bea = CandidateFactory(email="bea@example.org")
    mine = list(candidate.emails.values_list("email", flat=True))

    with pytest.raises(ValidationError) as refused:
        candidate_add_email(candidate=candidate, by=recruiter, email=" Bea@Example.org")

    assert "email" in refused.value.message_dict
    assert list(candidate.emails.values_list("email", flat=True)) == mine
    assert list(bea.emails.values_list("email", flat=True)) == ["bea@example.org"]


def test_an_email_of_another_person_carries_the_email_taken_code(recruiter, candidate):
    CandidateFactory(email="bea@example.org")

    with pytest.raises(ValidationError) as refused:
        candidate_add_email(candidate=candidate, by=recruiter, email="bea@example.org")

    assert codes_of(refused.value) == {"email_taken"}


def test_adding_ones_own_email_again_changes_nothing(recruiter, candidate):
    own = candidate.emails.get()

    again = candidate_add_email(candidate=candidate, by=recruiter, email=own.email.upper())

    assert again == own
    assert candidate.emails.count() == 1


# --- Merging two records of one person


def test_a_merge_keeps_everything_of_both(
    job, active_job, recruiter, manager, interviewer, django_capture_on_commit_callbacks
):
    # given two records of one person, each with its own emails, phones, tags, notes,
    # documents, pools and applications, and both on the same job
    kept, _ = candidate_create(
        by=recruiter,
        first_name="Kim",
        last_name="Berg",
        email="kim@example.org",
        phones=["+47 111", "+47 222"],
        tags=["python"],
    )
    dup, _ = candidate_create(
        by=recruiter,
        first_name="Kim",
        last_name="Berg",
        email="kim.berg@work.example",
        phones=["+47 222", "+47 333"],
        tags=["Python", "django"],
        current_company="Acme",
    )
    note_add(candidate=kept, by=recruiter, body="Met at PyCon.")
    note_add(candidate=dup, by=recruiter, body="Referred by Ola.")
    document_add(candidate=kept, by=recruiter, upload=upload("kept.pdf"))
    document_add(candidate=dup, by=recruiter, upload=upload("dup.pdf"))
    both = pool_create(by=recruiter, name="Backend")
    dup_only = pool_create(by=recruiter, name="Django people")
    pool_add_members(pool=both, by=recruiter, candidates=[kept, dup])
    pool_add_members(pool=dup_only, by=recruiter, candidates=[dup])
    kept_only_job, dup_only_job = active_job(), active_job()
    kept_elsewhere = application_create(candidate=kept, job=kept_only_job, by=recruiter)
    dup_elsewhere = application_create(candidate=dup, job=dup_only_job, by=recruiter)
    kept_here = application_create(candidate=kept, job=job, by=recruiter)
    dup_here = application_create(candidate=dup, job=job, by=recruiter)
    feedback_submit(application=kept_here, by=manager, recommendation=4)
    feedback_submit(application=dup_here, by=interviewer, recommendation=5)
    note_add(candidate=dup, application=dup_here, by=manager, body="Great system design.")

    dup_pk = dup.pk

    # when they are merged
    with django_capture_on_commit_callbacks(execute=True):
        candidate_merge(primary=kept, duplicate=dup, by=recruiter)

    # then the duplicate is gone and the kept record holds everything of both
    assert not Candidate.objects.filter(pk=dup_pk).exists()
    assert Candidate.objects.count() == 1
    kept.refresh_from_db()
    assert dict(kept.emails.values_list("email", "is_primary")) == {
        "kim@example.org": True,
        "kim.berg@work.example": False,
    }
    assert kept.phones == ["+47 111", "+47 222", "+47 333"]
    assert kept.current_company == "Acme"
    assert sorted(t.name.lower() for t in kept.tags.all()) == ["django", "python"]
    assert set(kept.notes.values_list("body", flat=True)) == {
        "Met at PyCon.",
        "Referred by Ola.",
        "Great system design.",
    }
    assert set(kept.documents.values_list("original_name", flat=True)) == {"kept.pdf", "dup.pdf"}
    assert set(kept.pool_memberships.values_list("pool__name", flat=True)) == {
        "Backend",
        "Django people",
    }
    # and one application per job, the same-job one keeping the duplicate's notes and feedback
    assert set(kept.applications.values_list("pk", flat=True)) == {
        kept_elsewhere.pk,
        dup_elsewhere.pk,
        kept_here.pk,
    }
    assert not Application.objects.filter(pk=dup_here.pk).exists()
    assert set(kept_here.feedback.values_list("interviewer", flat=True)) == {
        manager.pk,
        interviewer.pk,
    }
    assert list(kept_here.notes.values_list("body", flat=True)) == ["Great system design."]
    event = Event.objects.get(type="candidate.merged")
    assert (event.actor, event.parameters["merged_id"]) == (recruiter, dup_pk)


def test_feedback_by_one_interviewer_on_both_records_is_kept_as_a_note(job, recruiter, interviewer):
    # given ivan gave feedback on both records' applications to the same job
    kept, dup = CandidateFactory(), CandidateFactory()
    kept_here = application_create(candidate=kept, job=job, by=recruiter)
    dup_here = application_create(candidate=dup, job=job, by=recruiter)
    feedback_submit(application=kept_here, by=interviewer, recommendation=2)
    feedback_submit(
        application=dup_here, by=interviewer, recommendation=5, strengths="Clear thinker"
    )

    candidate_merge(primary=kept, duplicate=dup, by=recruiter)

    # then his feedback on the kept application stays, and the other survives as his note
    assert list(kept_here.feedback.values_list("interviewer", "recommendation")) == [
        (interviewer.pk, 2)
    ]
    note = kept_here.notes.get()
    assert note.author == interviewer
    assert "Clear thinker" in note.body


def test_a_record_cannot_be_merged_with_itself(recruiter, candidate):
    emails = list(candidate.emails.values_list("email", flat=True))

    with pytest.raises(ValidationError) as refused:
        candidate_merge(primary=candidate, duplicate=candidate, by=recruiter)

    assert codes_of(refused.value) == {"same"}
    assert Candidate.objects.filter(pk=candidate.pk).exists()
    assert list(candidate.emails.values_list("email", flat=True)) == emails
    assert not Event.objects.filter(type="candidate.merged").exists()


@pytest.mark.parametrize("who", ["interviewer", "readonly"])
def test_only_recruiters_managers_and_admins_merge(request, candidate, who):
    other = CandidateFactory(email="other@example.org")

    with pytest.raises(PermissionDenied):
        candidate_merge(primary=candidate, duplicate=other, by=request.getfixturevalue(who))

    assert Candidate.objects.filter(pk__in=[candidate.pk, other.pk]).count() == 2
    assert list(other.emails.values_list("email", flat=True)) == ["other@example.org"]


# --- Applications


def test_a_job_that_is_not_active_takes_no_candidates(make_job, recruiter, candidate):
    draft = make_job()

    with pytest.raises(ValidationError) as refused:
        application_create(candidate=candidate, job=draft, by=recruiter)

    assert codes_of(refused.value) == {"job_not_active"}
    assert not Application.objects.exists()


def test_a_candidate_applies_to_a_job_once(application, recruiter):
    before = state_of(application)

    with pytest.raises(ValidationError) as refused:
        application_create(candidate=application.candidate, job=application.job, by=recruiter)

    assert codes_of(refused.value) == {"duplicate_application"}
    assert Application.objects.count() == 1
    assert state_of(application) == before


def test_an_application_starts_in_the_application_stage(application, stage, recruiter):
    assert application.stage == stage(StageKind.APPLICATION)
    assert application.status == ApplicationStatus.ACTIVE
    assert application.created_by == recruiter


def test_an_application_cannot_move_to_another_jobs_stage(application, active_job, recruiter):
    foreign = active_job().stages.get(kind=StageKind.SCREENING)
    before = state_of(application)

    with pytest.raises(ValidationError) as refused:
        application_move(application=application, stage=foreign, by=recruiter)

    assert "stage" in refused.value.message_dict
    assert state_of(application) == before


def test_another_jobs_stage_carries_the_unknown_stage_code(application, active_job, recruiter):
    foreign = active_job().stages.get(kind=StageKind.SCREENING)

    with pytest.raises(ValidationError) as refused:
        application_move(application=application, stage=foreign, by=recruiter)

    assert codes_of(refused.value) == {"unknown_stage"}


def test_a_rejected_application_cannot_be_advanced(application, stage, recruiter):
    application_reject(application=application, by=recruiter, reason=rejection_reason())
    before = state_of(application)

    with pytest.raises(ValidationError) as refused:
        application_move(application=application, stage=stage(StageKind.INTERVIEW), by=recruiter)

    assert codes_of(refused.value) == {"illegal_transition"}
    assert state_of(application) == before


def test_a_hired_application_cannot_be_moved_back(application, stage, recruiter):
    application_hire(application=application, by=recruiter)
    before = state_of(application)

    with pytest.raises(ValidationError) as refused:
        application_move(application=application, stage=stage(StageKind.OFFER), by=recruiter)

    assert codes_of(refused.value) == {"illegal_transition"}
    assert state_of(application) == before


def test_applications_of_a_closed_job_stay_where_they_are(application, stage, recruiter):
    job_close(job=application.job, by=recruiter, reason=CloseReason.CANCELLED)
    before = state_of(application)

    with pytest.raises(ValidationError) as refused:
        application_move(application=application, stage=stage(StageKind.SCREENING), by=recruiter)

    assert codes_of(refused.value) == {"job_not_active"}
    assert state_of(application) == before


def test_an_interviewer_cannot_move_a_candidate(application, stage, interviewer):
    before = state_of(application)

    with pytest.raises(PermissionDenied):
        application_move(application=application, stage=stage(StageKind.SCREENING), by=interviewer)

    assert state_of(application) == before


def test_moving_to_the_current_stage_is_refused(application, stage, recruiter):
    before = state_of(application)

    with pytest.raises(ValidationError):
        application_move(application=application, stage=stage(StageKind.APPLICATION), by=recruiter)

    assert state_of(application) == before


@pytest.mark.parametrize("reason", ["none", "retired"])
def test_a_rejection_needs_a_current_reason(application, recruiter, reason):
    retired = RejectionReason.objects.create(name="Old reason", is_active=False)
    before = state_of(application)

    with pytest.raises(ValidationError) as refused:
        application_reject(
            application=application, by=recruiter, reason=retired if reason == "retired" else None
        )

    assert "reason" in refused.value.message_dict
    assert state_of(application) == before


def test_a_rejection_without_reason_carries_the_reason_required_code(application, recruiter):
    with pytest.raises(ValidationError) as refused:
        application_reject(application=application, by=recruiter, reason=None)

    assert codes_of(refused.value) == {"reason_required"}


def test_a_rejection_records_its_reason(application, recruiter):
    reason = rejection_reason()

    application_reject(application=application, by=recruiter, reason=reason, comment=" Too junior ")

    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED
    assert (application.rejection_reason, application.status_comment) == (reason, "Too junior")
    last = application.history.last()
    assert (last.kind, last.reason, last.actor) == ("rejected", reason.name, recruiter)


def test_hiring_moves_to_the_hired_stage(application, stage, recruiter, manager):
    application_move(application=application, stage=stage(StageKind.OFFER), by=recruiter)

    application_hire(application=application, by=manager)

    application.refresh_from_db()
    assert (application.stage, application.status) == (
        stage(StageKind.HIRED),
        ApplicationStatus.HIRED,
    )
    last = application.history.last()
    assert (last.kind, last.from_stage, last.to_stage) == (
        "hired",
        stage(StageKind.OFFER),
        stage(StageKind.HIRED),
    )


def test_moving_to_the_hired_stage_hires(application, stage, manager):
    application_move(application=application, stage=stage(StageKind.HIRED), by=manager)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.HIRED
    assert application.history.last().kind == "hired"


def test_a_candidate_withdraws(application, stage, recruiter):
    application_withdraw(application=application, by=recruiter, comment="Took another offer.")

    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    assert application.stage == stage(StageKind.APPLICATION)
    assert application.status_comment == "Took another offer."


def test_a_rejected_application_is_reopened(application, stage, recruiter):
    application_reject(application=application, by=recruiter, reason=rejection_reason())

    application_reopen(application=application, by=recruiter)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACTIVE
    assert application.rejection_reason is None
    assert application.stage == stage(StageKind.APPLICATION)
    assert application.history.last().kind == "reopened"


def test_an_active_application_cannot_be_reopened(application, recruiter):
    before = state_of(application)

    with pytest.raises(ValidationError) as refused:
        application_reopen(application=application, by=recruiter)

    assert codes_of(refused.value) == {"illegal_transition"}
    assert state_of(application) == before


@pytest.mark.parametrize("how", ["hire", "move-to-hired"])
def test_a_prospect_cannot_be_hired(job, stage, recruiter, how):
    prospect = application_create(
        candidate=CandidateFactory(), job=job, by=recruiter, prospect=True
    )
    assert prospect.stage == stage(StageKind.PROSPECT)
    before = state_of(prospect)

    attempts = {
        "hire": lambda: application_hire(application=prospect, by=recruiter),
        "move-to-hired": lambda: application_move(
            application=prospect, stage=stage(StageKind.HIRED), by=recruiter
        ),
    }

    with pytest.raises(ValidationError) as refused:
        attempts[how]()

    assert codes_of(refused.value) == {"prospect"}
    assert state_of(prospect) == before


# --- Stage history


@pytest.fixture
def clock(monkeypatch):
    """timezone.now() under the test's control."""
    current = [timezone.now().replace(microsecond=0)]
    monkeypatch.setattr(timezone, "now", lambda: current[0])

    def advance(**delta):
        current[0] += timedelta(**delta)
        return current[0]

    advance.now = lambda: current[0]
    return advance


def test_every_move_is_recorded_and_time_in_stage_is_exact(
    job, stage, candidate, recruiter, manager, clock
):
    # given an application created at t0, screened at t0+2h and interviewed at t0+5h
    t0 = clock.now()
    application = application_create(candidate=candidate, job=job, by=recruiter)
    t1 = clock(hours=2)
    application_move(application=application, stage=stage(StageKind.SCREENING), by=manager)
    t2 = clock(hours=3)
    application_move(application=application, stage=stage(StageKind.INTERVIEW), by=recruiter)

    # then each step is one event naming from, to, who and when
    history = list(application.history.all())
    assert [(e.kind, e.from_stage, e.to_stage, e.actor, e.at) for e in history] == [
        ("created", None, stage(StageKind.APPLICATION), recruiter, t0),
        ("moved", stage(StageKind.APPLICATION), stage(StageKind.SCREENING), manager, t1),
        ("moved", stage(StageKind.SCREENING), stage(StageKind.INTERVIEW), recruiter, t2),
    ]
    # and the time in each stage is the gap between events, to the second
    assert [b.at - a.at for a, b in pairwise(history)] == [
        timedelta(hours=2),
        timedelta(hours=3),
    ]
    application.refresh_from_db()
    assert application.stage_entered_at == history[-1].at == t2


def test_a_rejection_keeps_the_time_the_stage_was_entered(application, stage, recruiter, clock):
    application_move(application=application, stage=stage(StageKind.SCREENING), by=recruiter)
    entered = clock.now()
    clock(hours=4)

    application_reject(application=application, by=recruiter, reason=rejection_reason())

    application.refresh_from_db()
    assert application.stage_entered_at == entered
    last = application.history.last()
    assert (last.from_stage, last.to_stage, last.at) == (
        stage(StageKind.SCREENING),
        stage(StageKind.SCREENING),
        clock.now(),
    )


def test_a_refused_move_leaves_no_history(application, stage, interviewer):
    with pytest.raises(PermissionDenied):
        application_move(application=application, stage=stage(StageKind.SCREENING), by=interviewer)

    assert ApplicationEvent.objects.filter(application=application).count() == 1


# --- Notes


@pytest.fixture
def notes(application, recruiter):
    """rita's four notes on one candidate, one of each reach."""
    person = application.candidate
    return {
        "private": note_add(
            candidate=person, by=recruiter, body="Salary hint", visibility=NoteVisibility.PRIVATE
        ),
        "team": note_add(
            candidate=person,
            application=application,
            by=recruiter,
            body="Team only",
            visibility=NoteVisibility.HIRING_TEAM,
        ),
        "job": note_add(candidate=person, application=application, by=recruiter, body="On job"),
        "profile": note_add(candidate=person, by=recruiter, body="On profile"),
    }


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("recruiter", {"private", "team", "job", "profile"}),
        ("manager", {"team", "job", "profile"}),
        ("interviewer", {"team", "job", "profile"}),
        ("outsider", {"profile"}),
    ],
)
def test_who_sees_which_note(notes, application, request, who, sees):
    visible = set(notes_visible_to(request.getfixturevalue(who), application.candidate))

    assert visible == {notes[name] for name in sees}


def test_a_private_note_is_hidden_even_from_the_job_recruiter(application, recruiter, manager):
    own = note_add(
        candidate=application.candidate,
        by=manager,
        body="My gut feeling",
        visibility=NoteVisibility.PRIVATE,
    )

    assert own in notes_visible_to(manager, application.candidate)
    assert own not in notes_visible_to(recruiter, application.candidate)


def test_only_the_author_edits_a_note(notes, manager, recruiter):
    note = notes["job"]

    with pytest.raises(PermissionDenied):
        note_edit(note=note, by=manager, body="Rewritten by hank")
    note.refresh_from_db()
    assert note.body == "On job"

    note_edit(note=note, by=recruiter, body="On job, updated")
    note.refresh_from_db()
    assert note.body == "On job, updated"
    assert Event.objects.filter(type="note.updated", actor=recruiter).count() == 1


@pytest.mark.parametrize("body", ["", "   \n\t"])
def test_a_note_needs_some_text(application, recruiter, body):
    with pytest.raises(ValidationError) as refused:
        note_add(candidate=application.candidate, by=recruiter, body=body)

    assert "body" in refused.value.message_dict
    assert not Note.objects.exists()


def test_an_edit_cannot_empty_a_note(notes, recruiter):
    note = notes["profile"]

    with pytest.raises(ValidationError):
        note_edit(note=note, by=recruiter, body="  ")

    note.refresh_from_db()
    assert note.body == "On profile"


def test_a_team_note_needs_an_application(candidate, recruiter):
    with pytest.raises(ValidationError):
        note_add(candidate=candidate, by=recruiter, body="x", visibility=NoteVisibility.HIRING_TEAM)

    assert not Note.objects.exists()


# --- Interview feedback


@pytest.mark.parametrize("recommendation", [0, 6, -1, None, "4"])
def test_a_recommendation_is_from_1_to_5(application, interviewer, recommendation):
    with pytest.raises(ValidationError) as refused:
        feedback_submit(application=application, by=interviewer, recommendation=recommendation)

    assert "recommendation" in refused.value.message_dict
    assert not InterviewFeedback.objects.exists()


@pytest.mark.parametrize(
    "ratings",
    [
        {"Communication": 6},
        {"Communication": 0},
        {"Communication": "4"},
        {"Communication": 4.0},
        {"Communication": True},
        {"Communication": None},
        {"": 3},
        {"x" * 61: 3},
        {f"Skill {i}": 3 for i in range(21)},
        [("Communication", 4)],
    ],
    ids=[
        "above-5",
        "below-1",
        "string",
        "float",
        "bool",
        "none",
        "blank-name",
        "long-name",
        "too-many",
        "not-a-dict",
    ],
)
def test_ratings_are_whole_numbers_from_1_to_5_on_at_most_20_attributes(
    application, interviewer, ratings
):
    with pytest.raises(ValidationError) as refused:
        feedback_submit(application=application, by=interviewer, recommendation=4, ratings=ratings)

    assert "ratings" in refused.value.message_dict
    assert not InterviewFeedback.objects.exists()


def test_resubmitting_feedback_updates_the_same_row(application, interviewer):
    first = feedback_submit(
        application=application, by=interviewer, recommendation=2, ratings={"Python": 2}
    )

    second = feedback_submit(
        application=application,
        by=interviewer,
        recommendation=4,
        ratings={"Python": 4, "Communication": 5},
        strengths=" Learns fast ",
    )

    assert second.pk == first.pk
    row = InterviewFeedback.objects.get()
    assert (row.recommendation, row.ratings, row.strengths) == (
        4,
        {"Python": 4, "Communication": 5},
        "Learns fast",
    )
    assert list(
        Event.objects.filter(type__startswith="feedback.")
        .order_by("id")
        .values_list("type", flat=True)
    ) == ["feedback.submitted", "feedback.updated"]


def test_a_refused_resubmission_keeps_the_first_feedback(application, interviewer):
    feedback_submit(application=application, by=interviewer, recommendation=3)

    with pytest.raises(ValidationError):
        feedback_submit(application=application, by=interviewer, recommendation=9)

    assert InterviewFeedback.objects.get().recommendation == 3


# --- Documents


def test_a_png_named_cv_pdf_is_refused_and_nothing_is_stored(candidate, recruiter, settings):
    disguised = SimpleUploadedFile("cv.pdf", PNG, content_type="application/pdf")

    with pytest.raises(ValidationError) as refused:
        document_add(candidate=candidate, by=recruiter, upload=disguised)

    assert codes_of(refused.value) == {"unsupported_type"}
    assert not Document.objects.exists()
    assert files_in(settings.MEDIA_ROOT) == []


def test_a_pdf_is_stored_under_a_random_name_keeping_the_original(candidate, recruiter, settings):
    document = document_add(candidate=candidate, by=recruiter, upload=upload("Kim CV 2025.pdf"))

    document.refresh_from_db()
    assert re.fullmatch(r"documents/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", document.file.name)
    assert "CV" not in document.file.name
    assert document.original_name == "Kim CV 2025.pdf"
    assert (document.content_type, document.size) == ("application/pdf", len(PDF))
    assert (Path(settings.MEDIA_ROOT) / document.file.name).read_bytes() == PDF


def test_the_original_name_loses_any_directory(candidate, recruiter):
    document = document_add(
        candidate=candidate, by=recruiter, upload=upload("../../etc/cron.d/cv.pdf")
    )

    assert document.original_name == "cv.pdf"


def test_a_rolled_back_upload_leaves_no_file_behind(candidate, recruiter, settings):
    def upload_then_fail():
        with transaction.atomic():
            document_add(candidate=candidate, by=recruiter, upload=upload())
            raise RuntimeError("the rest of the request failed")

    with pytest.raises(RuntimeError):
        upload_then_fail()

    assert not Document.objects.exists()
    # the file outlives the rollback until the daily sweep removes it
    assert len(files_in(settings.MEDIA_ROOT)) == 1
    documents_sweep_orphans(older_than=timedelta(0))
    assert files_in(settings.MEDIA_ROOT) == []


def test_two_uploads_of_the_same_name_get_different_files(candidate, recruiter):
    first = document_add(candidate=candidate, by=recruiter, upload=upload())
    second = document_add(candidate=candidate, by=recruiter, upload=upload())

    assert first.file.name != second.file.name


# --- Erasure


def test_erasing_removes_the_person_their_applications_and_files(
    application, recruiter, interviewer, settings, django_capture_on_commit_callbacks
):
    person = application.candidate
    document_add(candidate=person, application=application, by=recruiter, upload=upload())
    note_add(candidate=person, application=application, by=recruiter, body="Strong.")
    feedback_submit(application=application, by=interviewer, recommendation=4)
    assert len(files_in(settings.MEDIA_ROOT)) == 1

    with django_capture_on_commit_callbacks(execute=True):
        candidate_erase(candidate=person, by=recruiter, reason="Asked to be forgotten.")

    assert not Candidate.objects.filter(pk=person.pk).exists()
    assert not CandidateEmail.objects.exists()
    assert not Application.objects.exists()
    assert not ApplicationEvent.objects.exists()
    assert not Note.objects.exists()
    assert not InterviewFeedback.objects.exists()
    assert not Document.objects.exists()
    assert files_in(settings.MEDIA_ROOT) == []
    event = Event.objects.get(type="candidate.erased")
    assert event.parameters == {"reason": "Asked to be forgotten."}


def test_an_interviewer_cannot_erase(application, interviewer):
    with pytest.raises(PermissionDenied):
        candidate_erase(candidate=application.candidate, by=interviewer, reason="x")

    assert Candidate.objects.filter(pk=application.candidate_id).exists()
    assert Application.objects.filter(pk=application.pk).exists()


def test_the_retention_sweep_erases_only_people_past_retention_without_an_active_application(
    job, recruiter, settings, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    expired_idle = CandidateFactory(retention_until=today - timedelta(days=1))
    expired_rejected = CandidateFactory(retention_until=today - timedelta(days=30))
    expired_active = CandidateFactory(retention_until=today - timedelta(days=1))
    expires_today = CandidateFactory(retention_until=today)
    still_kept = CandidateFactory(retention_until=today + timedelta(days=1))
    no_date = CandidateFactory(retention_until=None)
    rejected = application_create(candidate=expired_rejected, job=job, by=recruiter)
    application_reject(application=rejected, by=recruiter, reason=rejection_reason())
    application_create(candidate=expired_active, job=job, by=recruiter)
    document_add(candidate=expired_idle, by=recruiter, upload=upload())

    with django_capture_on_commit_callbacks(execute=True):
        erased = erase_candidates_past_retention()

    assert erased == 2
    assert set(Candidate.objects.values_list("pk", flat=True)) == {
        expired_active.pk,
        expires_today.pk,
        still_kept.pk,
        no_date.pk,
    }
    assert files_in(settings.MEDIA_ROOT) == []
    assert Event.objects.filter(type="candidate.erased", actor=None).count() == 2


def test_the_retention_sweep_is_idempotent(django_capture_on_commit_callbacks, db):
    CandidateFactory(retention_until=timezone.localdate() - timedelta(days=1))

    with django_capture_on_commit_callbacks(execute=True):
        assert erase_candidates_past_retention() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert erase_candidates_past_retention() == 0
