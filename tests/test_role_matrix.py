"""SPEC 1 "Roles": every cell of the hiring-team matrix, allowed and refused, through the services.

Actors: rita (recruiter on the job), hank (hiring manager on it), ivan (interviewer on it),
otto (recruiter and hiring manager by security role, but outside this job's team) and rory
(read-only). A refused action raises PermissionDenied and changes nothing.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from attract.access import (
    Perm,
    application_for_user,
    applications_visible_to,
    candidate_for_user,
    candidates_visible_to,
    job_can,
    job_for_user,
)
from candidates.models import Application, ApplicationStatus, Note
from candidates.selectors import feedback_visible_to
from candidates.services import (
    application_create,
    application_delete,
    application_move,
    application_reject,
    document_add,
    feedback_submit,
    note_add,
)
from jobs.choices import CloseReason, JobStatus, StageKind, TeamRole
from jobs.models import Job
from jobs.process import StageSpec
from jobs.services import (
    job_activate,
    job_close,
    job_delete,
    job_process_set,
    job_update,
    team_member_add,
)
from talentpools.services import pool_create
from tests.factories import CandidateFactory, UserFactory, rejection_reason

TEAM = ["recruiter", "manager", "interviewer"]
OTHERS = ["outsider", "readonly"]
EVERYONE = TEAM + OTHERS


def allowed_for(*names):
    return [
        pytest.param(n, n in names, id=f"{n}-{'allowed' if n in names else 'refused'}")
        for n in EVERYONE
    ]


@pytest.fixture
def actor(request):
    def get(name):
        return request.getfixturevalue(name)

    return get


def attempt(call):
    """Run a service call; True when it was allowed, False when refused (403 or 404)."""
    try:
        call()
    except (PermissionDenied, Http404):
        return False
    return True


@pytest.mark.parametrize(("who", "expected"), allowed_for("recruiter", "manager"))
def test_edit_job_details(job, actor, who, expected):
    assert (
        attempt(lambda: job_update(job=job, by=actor(who), title="Senior backend engineer"))
        is expected
    )
    job.refresh_from_db()
    assert (job.title == "Senior backend engineer") is expected


@pytest.mark.parametrize(("who", "expected"), allowed_for("recruiter", "manager"))
def test_edit_hiring_team(job, actor, who, expected):
    newcomer = UserFactory()
    assert (
        attempt(
            lambda: team_member_add(
                job=job, by=actor(who), user=newcomer, role=TeamRole.INTERVIEWER
            )
        )
        is expected
    )
    assert job.team.filter(user=newcomer).exists() is expected


@pytest.mark.parametrize(("who", "expected"), allowed_for("recruiter", "manager"))
def test_edit_process_before_activation(
    make_job, recruiter, manager, interviewer, actor, who, expected
):
    draft = make_job()
    team_member_add(job=draft, by=recruiter, user=manager, role=TeamRole.HIRING_MANAGER)
    team_member_add(job=draft, by=recruiter, user=interviewer, role=TeamRole.INTERVIEWER)
    specs = [StageSpec(s.name, s.kind, id=s.pk) for s in draft.stages.all()]
    specs.insert(3, StageSpec("Case study", StageKind.ASSESSMENT))
    assert attempt(lambda: job_process_set(job=draft, by=actor(who), stages=specs)) is expected
    assert draft.stages.filter(name="Case study").exists() is expected


@pytest.mark.parametrize(("who", "expected"), allowed_for("recruiter"))
def test_edit_postings(job, actor, who, expected):
    assert job_can(actor(who), job, Perm.EDIT_POSTINGS) is expected


@pytest.mark.parametrize(("who", "expected"), allowed_for("recruiter", "manager"))
def test_add_applicants(job, actor, who, expected):
    person = CandidateFactory()
    assert attempt(lambda: application_create(candidate=person, job=job, by=actor(who))) is expected
    assert Application.objects.filter(candidate=person).exists() is expected


@pytest.mark.parametrize(("who", "expected"), allowed_for("recruiter"))
def test_add_prospects_when_the_stage_does_not_allow_managers(job, actor, who, expected):
    person = CandidateFactory()
    assert (
        attempt(lambda: application_create(candidate=person, job=job, by=actor(who), prospect=True))
        is expected
    )
    assert Application.objects.filter(candidate=person, stage__kind="prospect").exists() is expected


@pytest.mark.parametrize(("who", "expected"), allowed_for("recruiter", "manager"))
def test_add_prospects_when_the_stage_allows_managers(job, actor, who, expected):
    job.stages.filter(kind=StageKind.PROSPECT).update(hiring_manager_can_add_prospects=True)
    person = CandidateFactory()
    assert (
        attempt(lambda: application_create(candidate=person, job=job, by=actor(who), prospect=True))
        is expected
    )


@pytest.mark.parametrize(("who", "expected"), allowed_for("recruiter", "manager"))
def test_activate_job(make_job, recruiter, manager, interviewer, actor, who, expected):
    draft = make_job()
    team_member_add(job=draft, by=recruiter, user=manager, role=TeamRole.HIRING_MANAGER)
    team_member_add(job=draft, by=recruiter, user=interviewer, role=TeamRole.INTERVIEWER)
    assert attempt(lambda: job_activate(job=draft, by=actor(who))) is expected
    draft.refresh_from_db()
    assert (draft.status == JobStatus.ACTIVE) is expected


@pytest.mark.parametrize(("who", "expected"), allowed_for("recruiter"))
def test_close_job(job, actor, who, expected):
    assert (
        attempt(lambda: job_close(job=job, by=actor(who), reason=CloseReason.CANCELLED)) is expected
    )
    job.refresh_from_db()
    assert (job.status == JobStatus.CLOSED) is expected


@pytest.mark.parametrize(("who", "expected"), allowed_for("recruiter", "manager"))
def test_delete_job_without_applicants(job, actor, who, expected):
    assert attempt(lambda: job_delete(job=job, by=actor(who))) is expected
    assert Job.objects.filter(pk=job.pk).exists() is not expected


@pytest.mark.parametrize(("who", "expected"), allowed_for("recruiter"))
def test_delete_job_with_applicants(job, application, actor, who, expected):
    assert attempt(lambda: job_delete(job=job, by=actor(who))) is expected
    assert Job.objects.filter(pk=job.pk).exists() is not expected


def test_a_manager_may_delete_a_job_holding_only_prospects(job, recruiter, manager):
    application_create(candidate=CandidateFactory(), job=job, by=recruiter, prospect=True)
    job_delete(job=job, by=manager)
    assert not Job.objects.filter(pk=job.pk).exists()


@pytest.mark.parametrize(("who", "expected"), allowed_for("recruiter", "manager"))
def test_advance_applicant(application, stage, actor, who, expected):
    screen = stage(StageKind.SCREENING)
    assert (
        attempt(lambda: application_move(application=application, stage=screen, by=actor(who)))
        is expected
    )
    application.refresh_from_db()
    assert (application.stage == screen) is expected


@pytest.mark.parametrize(("who", "expected"), allowed_for("recruiter"))
def test_reject_applicant(application, actor, who, expected):
    assert (
        attempt(
            lambda: application_reject(
                application=application, by=actor(who), reason=rejection_reason()
            )
        )
        is expected
    )
    application.refresh_from_db()
    assert (application.status == ApplicationStatus.REJECTED) is expected


@pytest.mark.parametrize(("who", "expected"), allowed_for("recruiter"))
def test_delete_applicant(application, actor, who, expected):
    assert attempt(lambda: application_delete(application=application, by=actor(who))) is expected
    assert Application.objects.filter(pk=application.pk).exists() is not expected


@pytest.mark.parametrize(("who", "expected"), allowed_for("recruiter", "manager"))
def test_application_notes(application, actor, who, expected):
    assert (
        attempt(
            lambda: note_add(
                candidate=application.candidate,
                application=application,
                by=actor(who),
                body="Strong portfolio.",
            )
        )
        is expected
    )
    assert Note.objects.filter(application=application).exists() is expected


@pytest.mark.parametrize(("who", "expected"), allowed_for("recruiter", "manager"))
def test_application_documents(application, actor, who, expected):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("cv.txt", b"Curriculum vitae: Python, Django.")
    assert (
        attempt(
            lambda: document_add(
                candidate=application.candidate,
                application=application,
                by=actor(who),
                upload=upload,
            )
        )
        is expected
    )
    assert application.documents.exists() is expected


@pytest.mark.parametrize(("who", "expected"), allowed_for(*TEAM))
def test_application_notes_and_documents_are_readable_by_the_team(
    application, actor, who, expected
):
    can_read = attempt(lambda: application_for_user(actor(who), application.pk))
    assert can_read is expected


@pytest.mark.parametrize(("who", "expected"), allowed_for(*TEAM))
def test_add_interview_feedback(application, actor, who, expected):
    assert (
        attempt(lambda: feedback_submit(application=application, by=actor(who), recommendation=4))
        is expected
    )
    assert application.feedback.exists() is expected


@pytest.mark.parametrize("who", ["recruiter", "manager"])
def test_recruiters_and_managers_see_all_feedback_before_giving_theirs(
    application, interviewer, actor, who
):
    feedback_submit(application=application, by=interviewer, recommendation=2)
    assert feedback_visible_to(actor(who), application).count() == 1


def test_interviewers_see_others_feedback_only_after_submitting_their_own(
    application, recruiter, interviewer
):
    # given the job hides feedback until one's own is in, and the recruiter gave theirs
    feedback_submit(application=application, by=recruiter, recommendation=5)
    # then the interviewer sees none before submitting
    assert feedback_visible_to(interviewer, application).count() == 0
    # when they submit, they see both
    feedback_submit(application=application, by=interviewer, recommendation=3)
    assert feedback_visible_to(interviewer, application).count() == 2


def test_interviewers_see_all_feedback_when_the_job_does_not_hide_it(
    application, recruiter, interviewer
):
    Job.objects.filter(pk=application.job_id).update(hide_feedback_until_submitted=False)
    application.job.refresh_from_db()
    feedback_submit(application=application, by=recruiter, recommendation=5)
    assert feedback_visible_to(interviewer, application).count() == 1


@pytest.mark.parametrize("who", OTHERS)
def test_outsiders_see_no_feedback(application, recruiter, actor, who):
    feedback_submit(application=application, by=recruiter, recommendation=5)
    assert feedback_visible_to(actor(who), application).count() == 0


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("recruiter", True),
        ("manager", True),
        ("interviewer", False),
        ("readonly", False),
        ("outsider", True),
    ],
)
def test_talent_pools(actor, who, expected):
    assert attempt(lambda: pool_create(by=actor(who), name="Backend talent")) is expected


@pytest.mark.parametrize(("who", "expected"), allowed_for(*TEAM))
def test_outsiders_see_nothing_of_a_jobs_applicants(application, actor, who, expected):
    user = actor(who)
    assert applications_visible_to(user).filter(pk=application.pk).exists() is expected
    assert (
        attempt(lambda: job_for_user(user, application.job.number, perm=Perm.VIEW_APPLICANTS))
        is expected
    )


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("recruiter", True),
        ("manager", True),
        ("interviewer", True),
        ("outsider", True),
        ("readonly", False),
    ],
)
def test_candidate_profiles_of_the_job(application, actor, who, expected):
    assert attempt(lambda: candidate_for_user(actor(who), application.candidate_id)) is expected


def test_interviewers_see_only_candidates_of_jobs_they_interview_for(application, interviewer):
    stranger = CandidateFactory()
    visible = candidates_visible_to(interviewer)
    assert list(visible) == [application.candidate]
    with pytest.raises(Http404):
        candidate_for_user(interviewer, stranger.pk)


def test_administrators_may_do_everything_on_any_job(job, application, admin_user):
    for perm in Perm:
        assert job_can(admin_user, job, perm), perm
    job_close(job=job, by=admin_user, reason=CloseReason.CANCELLED)
