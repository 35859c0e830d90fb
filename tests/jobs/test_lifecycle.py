"""SPEC 1 "Jobs": lifecycle, approvals, job numbers and field rules, through the services.

rita recruits on every job; hank (and, where two approvers are needed, hedda) are its hiring
managers and so its default approvers; ivan interviews. A refused call raises a named error and
leaves the job, its approvals and its audit trail exactly as they were.
"""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from attract.models import Counter, Event, SecurityRole
from candidates.services import application_create, application_hire
from jobs.choices import ApprovalDecision, CloseReason, JobStatus, StageKind, TeamRole
from jobs.models import Job, JobApproval
from jobs.process import StageSpec
from jobs.selectors import approvals_waiting_for
from jobs.services import (
    job_activate,
    job_close,
    job_create,
    job_decide_approval,
    job_delete,
    job_submit_for_approval,
    job_update,
    team_delegate_add,
    team_member_add,
    template_save,
)
from tests.conftest import JOB_FIELDS
from tests.factories import CandidateFactory, UserFactory

APPROVAL_STAGES = [
    StageSpec("Application", StageKind.APPLICATION),
    StageSpec("Interview", StageKind.INTERVIEW),
    StageSpec("Offer", StageKind.OFFER),
    StageSpec("Hired", StageKind.HIRED),
]


def codes_of(error: ValidationError) -> set:
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


def state_of(job: Job) -> dict:
    """Everything a refused lifecycle call must leave alone."""
    job.refresh_from_db()
    return {
        "status": job.status,
        "round": job.approval_round,
        "close_reason": job.close_reason,
        "activated_at": job.activated_at,
        "closed_at": job.closed_at,
        "updated_at": job.updated_at,
        "title": job.title,
        "approvals": sorted(
            JobApproval.objects.filter(job=job).values_list(
                "approver_id", "round", "decision", "comment"
            )
        ),
        "events": Event.objects.filter(job=job).count(),
    }


def transitions(job: Job) -> list[tuple]:
    events = Event.objects.filter(type="job.transitioned", job=job).order_by("id")
    return [
        (e.actor, e.parameters["before"], e.parameters["after"], e.parameters["comment"])
        for e in events
    ]


@pytest.fixture
def hedda(db):
    """A second hiring manager, so that approvals can run in parallel."""
    return UserFactory(username="hedda", roles=[SecurityRole.HIRING_MANAGER])


@pytest.fixture
def approval_template(admin_user):
    return template_save(
        by=admin_user, name="With approval", stages=APPROVAL_STAGES, requires_approval=True
    )


@pytest.fixture
def gated_job(make_job, approval_template, recruiter, manager, interviewer):
    """A draft that needs approval before it may be activated."""
    job = make_job(template=approval_template)
    team_member_add(job=job, by=recruiter, user=manager, role=TeamRole.HIRING_MANAGER)
    team_member_add(job=job, by=recruiter, user=interviewer, role=TeamRole.INTERVIEWER)
    return job


@pytest.fixture
def pending_job(gated_job, recruiter, hedda):
    """Waiting for two approvers in parallel: hank and hedda."""
    team_member_add(job=gated_job, by=recruiter, user=hedda, role=TeamRole.HIRING_MANAGER)
    job_submit_for_approval(job=gated_job, by=recruiter)
    return gated_job


@pytest.fixture
def approved_job(pending_job, manager, hedda):
    job_decide_approval(job=pending_job, by=manager, approve=True)
    job_decide_approval(job=pending_job, by=hedda, approve=True)
    pending_job.refresh_from_db()
    return pending_job


@pytest.fixture
def rejected_job(pending_job, hedda):
    job_decide_approval(job=pending_job, by=hedda, approve=False, comment="No budget this year.")
    pending_job.refresh_from_db()
    return pending_job


# --- Draft → Active, when no approval is needed


def test_a_draft_needing_no_approval_is_activated_directly(make_job, recruiter):
    draft = make_job()
    assert draft.status == JobStatus.DRAFT and not draft.requires_approval

    job_activate(job=draft, by=recruiter)

    draft.refresh_from_db()
    assert draft.status == JobStatus.ACTIVE
    assert draft.activated_at is not None


def test_a_job_needing_no_approval_cannot_be_submitted_for_one(make_job, recruiter, manager):
    draft = make_job()
    before = state_of(draft)

    with pytest.raises(ValidationError) as refused:
        job_submit_for_approval(job=draft, by=recruiter, approvers=[manager])

    assert codes_of(refused.value) == {"no_approval"}
    assert state_of(draft) == before


# --- Approval


def test_a_draft_needing_approval_cannot_be_activated(gated_job, recruiter):
    before = state_of(gated_job)

    with pytest.raises(ValidationError, match="needs approval") as refused:
        job_activate(job=gated_job, by=recruiter)

    assert codes_of(refused.value) == {"illegal_transition"}
    assert state_of(gated_job) == before


def test_the_template_decides_whether_a_job_needs_approval(gated_job, approval_template):
    assert approval_template.requires_approval
    assert gated_job.requires_approval
    assert [s.name for s in gated_job.stages.all()] == [s.name for s in APPROVAL_STAGES]


def test_submitting_asks_the_teams_hiring_managers_by_default(gated_job, recruiter, manager, hedda):
    # given hank and hedda manage the job, and hank has named a delegate
    team_member_add(job=gated_job, by=recruiter, user=hedda, role=TeamRole.HIRING_MANAGER)
    delegate = UserFactory(roles=[SecurityRole.HIRING_MANAGER])
    team_delegate_add(job=gated_job, by=manager, delegate=delegate)

    # when rita submits without naming approvers
    approvals = job_submit_for_approval(job=gated_job, by=recruiter)

    # then the two managers (not the delegate, not the recruiter) are asked, in round 1
    gated_job.refresh_from_db()
    assert gated_job.status == JobStatus.PENDING_APPROVAL
    assert gated_job.approval_round == 1
    assert {a.approver for a in approvals} == {manager, hedda}
    assert set(gated_job.approvals.values_list("round", "decision")) == {
        (1, ApprovalDecision.PENDING)
    }


def test_submitting_with_named_approvers_asks_only_them(gated_job, recruiter, outsider):
    job_submit_for_approval(job=gated_job, by=recruiter, approvers=[outsider, outsider])

    gated_job.refresh_from_db()
    assert gated_job.status == JobStatus.PENDING_APPROVAL
    assert list(gated_job.approvals.values_list("approver", flat=True)) == [outsider.pk]


def test_submitting_without_any_approver_is_refused(make_job, approval_template, recruiter):
    # given a job whose team has no hiring manager
    lonely = make_job(template=approval_template)
    before = state_of(lonely)

    with pytest.raises(ValidationError) as refused:
        job_submit_for_approval(job=lonely, by=recruiter)

    assert codes_of(refused.value) == {"no_approvers"}
    assert state_of(lonely) == before
    assert before["round"] == 0 and before["approvals"] == []


def test_an_inactive_approver_is_refused(gated_job, recruiter):
    gone = UserFactory(is_active=False)
    before = state_of(gated_job)

    with pytest.raises(ValidationError) as refused:
        job_submit_for_approval(job=gated_job, by=recruiter, approvers=[gone])

    assert codes_of(refused.value) == {"inactive_approver"}
    assert state_of(gated_job) == before


def test_a_pending_job_cannot_be_submitted_again(pending_job, recruiter):
    before = state_of(pending_job)

    with pytest.raises(ValidationError) as refused:
        job_submit_for_approval(job=pending_job, by=recruiter)

    assert codes_of(refused.value) == {"illegal_transition"}
    assert state_of(pending_job) == before


def test_one_approval_of_two_leaves_the_job_pending(pending_job, manager, hedda):
    job_decide_approval(job=pending_job, by=manager, approve=True, comment="Fine by me.")

    pending_job.refresh_from_db()
    assert pending_job.status == JobStatus.PENDING_APPROVAL
    decisions = dict(pending_job.approvals.values_list("approver", "decision"))
    assert decisions == {manager.pk: ApprovalDecision.APPROVED, hedda.pk: ApprovalDecision.PENDING}


def test_every_approver_approving_approves_the_job(pending_job, manager, hedda):
    job_decide_approval(job=pending_job, by=manager, approve=True)
    job_decide_approval(job=pending_job, by=hedda, approve=True)

    pending_job.refresh_from_db()
    assert pending_job.status == JobStatus.APPROVED
    assert pending_job.approvals.get(approver=hedda).decided_at is not None


def test_one_rejection_rejects_even_after_another_approved(pending_job, manager, hedda):
    # given hank approved
    job_decide_approval(job=pending_job, by=manager, approve=True)

    # when hedda rejects
    job_decide_approval(job=pending_job, by=hedda, approve=False, comment="Headcount frozen.")

    # then the job is rejected, and the reason is on her decision
    pending_job.refresh_from_db()
    assert pending_job.status == JobStatus.REJECTED
    rejection = pending_job.approvals.get(approver=hedda)
    assert (rejection.decision, rejection.comment) == (
        ApprovalDecision.REJECTED,
        "Headcount frozen.",
    )


@pytest.mark.parametrize("comment", ["", "   "])
def test_a_rejection_needs_a_comment(pending_job, hedda, comment):
    before = state_of(pending_job)

    with pytest.raises(ValidationError) as refused:
        job_decide_approval(job=pending_job, by=hedda, approve=False, comment=comment)

    assert "comment" in refused.value.message_dict
    assert state_of(pending_job) == before


def test_a_rejection_without_comment_carries_the_comment_required_code(pending_job, hedda):
    with pytest.raises(ValidationError) as refused:
        job_decide_approval(job=pending_job, by=hedda, approve=False)

    assert codes_of(refused.value) == {"comment_required"}


@pytest.mark.parametrize("who", ["recruiter", "interviewer", "outsider", "admin_user"])
def test_someone_who_is_not_an_approver_cannot_decide(pending_job, request, who):
    before = state_of(pending_job)

    with pytest.raises(PermissionDenied):
        job_decide_approval(job=pending_job, by=request.getfixturevalue(who), approve=True)

    assert state_of(pending_job) == before


def test_an_approver_cannot_decide_twice(pending_job, manager):
    # given hank approved, hedda has not decided yet
    job_decide_approval(job=pending_job, by=manager, approve=True)
    before = state_of(pending_job)

    # when hank tries to change his mind, he is refused
    with pytest.raises(PermissionDenied):
        job_decide_approval(job=pending_job, by=manager, approve=False, comment="Changed my mind.")

    assert state_of(pending_job) == before


def test_no_one_decides_on_an_approved_job(approved_job, manager):
    before = state_of(approved_job)

    with pytest.raises(ValidationError) as refused:
        job_decide_approval(job=approved_job, by=manager, approve=False, comment="Too late.")

    assert codes_of(refused.value) == {"illegal_transition"}
    assert state_of(approved_job) == before


def test_a_rejected_job_cannot_be_activated(rejected_job, recruiter):
    before = state_of(rejected_job)

    with pytest.raises(ValidationError) as refused:
        job_activate(job=rejected_job, by=recruiter)

    assert codes_of(refused.value) == {"illegal_transition"}
    assert state_of(rejected_job) == before


def test_an_approved_job_is_activated(approved_job, manager):
    job_activate(job=approved_job, by=manager)

    approved_job.refresh_from_db()
    assert approved_job.status == JobStatus.ACTIVE
    assert approved_job.activated_at is not None


# --- Editing sends a job back to Draft


def test_editing_a_pending_job_returns_it_to_draft_and_withdraws_its_approvals(
    pending_job, recruiter, manager
):
    job_update(job=pending_job, by=recruiter, title="Staff backend engineer")

    pending_job.refresh_from_db()
    assert pending_job.status == JobStatus.DRAFT
    assert not pending_job.approvals.filter(decision=ApprovalDecision.PENDING).exists()
    assert not approvals_waiting_for(manager).exists()


def test_editing_an_approved_job_returns_it_to_draft(approved_job, recruiter):
    job_update(job=approved_job, by=recruiter, openings=3)

    approved_job.refresh_from_db()
    assert approved_job.status == JobStatus.DRAFT
    assert approved_job.openings == 3
    # and it needs a new approval before it may go live
    with pytest.raises(ValidationError):
        job_activate(job=approved_job, by=recruiter)


def test_editing_a_rejected_job_returns_it_to_draft(rejected_job, recruiter):
    job_update(job=rejected_job, by=recruiter, title="Backend engineer (revised budget)")

    rejected_job.refresh_from_db()
    assert rejected_job.status == JobStatus.DRAFT


def test_saving_without_a_change_keeps_an_approved_job_approved(approved_job, recruiter):
    before = state_of(approved_job)

    job_update(job=approved_job, by=recruiter, title=approved_job.title)

    assert state_of(approved_job) == before


def test_resubmission_starts_a_new_round_and_only_it_waits_on_the_dashboard(
    pending_job, recruiter, manager, hedda
):
    # given hedda rejected round 1 while hank's request was still open
    job_decide_approval(job=pending_job, by=hedda, approve=False, comment="Rewrite the ad.")
    pending_job.refresh_from_db()
    assert not approvals_waiting_for(manager).exists()

    # when rita resubmits
    job_submit_for_approval(job=pending_job, by=recruiter)

    # then round 2 asks both again, and hank's dashboard shows only the round 2 request
    pending_job.refresh_from_db()
    assert pending_job.status == JobStatus.PENDING_APPROVAL
    assert pending_job.approval_round == 2
    assert pending_job.approvals.filter(round=1, approver=manager).exists()
    waiting = list(approvals_waiting_for(manager))
    assert [(a.job, a.round) for a in waiting] == [(pending_job, 2)]
    assert [(a.job, a.round) for a in approvals_waiting_for(hedda)] == [(pending_job, 2)]


def test_the_new_round_is_decided_on_its_own_approvals(pending_job, recruiter, manager, hedda):
    # given round 1 was rejected and round 2 is open
    job_decide_approval(job=pending_job, by=hedda, approve=False, comment="Rewrite the ad.")
    pending_job.refresh_from_db()
    job_submit_for_approval(job=pending_job, by=recruiter)

    # when both approve round 2
    job_decide_approval(job=pending_job, by=manager, approve=True)
    job_decide_approval(job=pending_job, by=hedda, approve=True)

    # then the job is approved, although round 1 holds a rejection
    pending_job.refresh_from_db()
    assert pending_job.status == JobStatus.APPROVED


# --- Active → Closed


def test_an_active_job_is_closed_as_cancelled(job, recruiter):
    job_close(job=job, by=recruiter, reason=CloseReason.CANCELLED, comment="Reorganisation.")

    job.refresh_from_db()
    assert (job.status, job.close_reason) == (JobStatus.CLOSED, CloseReason.CANCELLED)
    assert job.closed_at is not None


def test_a_job_is_closed_as_filled_only_once_someone_is_hired(job, recruiter):
    # given an applicant who is not hired yet
    applicant = application_create(candidate=CandidateFactory(), job=job, by=recruiter)
    before = state_of(job)

    # then closing as filled is refused
    with pytest.raises(ValidationError) as refused:
        job_close(job=job, by=recruiter, reason=CloseReason.FILLED)
    assert codes_of(refused.value) == {"nobody_hired"}
    assert state_of(job) == before

    # when they are hired, the job closes as filled
    application_hire(application=applicant, by=recruiter)
    job_close(job=job, by=recruiter, reason=CloseReason.FILLED)
    job.refresh_from_db()
    assert (job.status, job.close_reason) == (JobStatus.CLOSED, CloseReason.FILLED)


def test_an_unknown_close_reason_is_refused(job, recruiter):
    before = state_of(job)

    with pytest.raises(ValidationError):
        job_close(job=job, by=recruiter, reason="bored")

    assert state_of(job) == before


@pytest.fixture
def closed_job(job, recruiter):
    job_close(job=job, by=recruiter, reason=CloseReason.CANCELLED)
    job.refresh_from_db()
    return job


@pytest.fixture
def draft_job(make_job):
    return make_job()


@pytest.mark.parametrize("target", ["draft_job", "pending_job", "approved_job", "closed_job"])
def test_only_an_active_job_can_be_closed(request, recruiter, target):
    target = request.getfixturevalue(target)
    before = state_of(target)

    with pytest.raises(ValidationError) as refused:
        job_close(job=target, by=recruiter, reason=CloseReason.CANCELLED)

    assert codes_of(refused.value) == {"illegal_transition"}
    assert state_of(target) == before


def test_a_closed_job_cannot_be_edited(closed_job, recruiter):
    job = closed_job
    before = state_of(job)

    with pytest.raises(ValidationError) as refused:
        job_update(job=job, by=recruiter, title="Reopened engineer")

    assert codes_of(refused.value) == {"closed"}
    assert state_of(job) == before


def test_a_closed_job_cannot_be_activated_again(closed_job, recruiter):
    job = closed_job
    before = state_of(job)

    with pytest.raises(ValidationError) as refused:
        job_activate(job=job, by=recruiter)

    assert codes_of(refused.value) == {"illegal_transition"}
    assert state_of(job) == before


# --- The record of transitions


def test_every_transition_records_who_from_to_and_why(gated_job, recruiter, manager):
    # given a job that goes through every state
    # (the decision reloads the job under a lock, so the caller re-reads it afterwards)
    job_submit_for_approval(job=gated_job, by=recruiter)
    job_decide_approval(job=gated_job, by=manager, approve=False, comment="Too vague.")
    gated_job.refresh_from_db()
    job_update(job=gated_job, by=recruiter, title="Backend engineer, payments")
    job_submit_for_approval(job=gated_job, by=recruiter)
    job_decide_approval(job=gated_job, by=manager, approve=True, comment="Clear now.")
    gated_job.refresh_from_db()
    job_activate(job=gated_job, by=manager)
    job_close(job=gated_job, by=recruiter, reason=CloseReason.CANCELLED, comment="Budget cut.")

    # then each transition left one event naming actor, before, after and comment
    assert transitions(gated_job) == [
        (recruiter, "draft", "pending_approval", ""),
        (manager, "pending_approval", "rejected", "Too vague."),
        (recruiter, "rejected", "draft", "Edited: approvals start over."),
        (recruiter, "draft", "pending_approval", ""),
        (manager, "pending_approval", "approved", ""),
        (manager, "approved", "active", ""),
        (recruiter, "active", "closed", "Budget cut."),
    ]


def test_a_direct_activation_is_recorded(make_job, recruiter):
    draft = make_job()

    job_activate(job=draft, by=recruiter)

    assert transitions(draft) == [(recruiter, "draft", "active", "")]


# --- Job numbers


NUMBER = re.compile(r"^J-\d{6}$")


def test_job_numbers_are_j_and_six_digits_unique_and_increasing(make_job):
    numbers = [make_job().number for _ in range(3)]

    assert all(NUMBER.match(n) for n in numbers), numbers
    assert len(set(numbers)) == 3
    assert numbers == sorted(numbers)
    assert [int(n[2:]) for n in numbers] == list(
        range(int(numbers[0][2:]), int(numbers[0][2:]) + 3)
    )


def test_the_newest_jobs_number_is_not_reused_after_it_is_deleted(make_job, recruiter):
    # given the newest job is deleted
    make_job()
    newest = make_job()
    job_delete(job=newest, by=recruiter)

    # when another job is created
    later = make_job()

    # then it gets a new number, never the deleted one
    assert later.number > newest.number
    assert not Job.objects.filter(number=newest.number).exists()


# --- Field rules


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"country": "XX"}, "country"),
        ({"country": "Norway"}, "country"),
        (
            {
                "salary_min": Decimal(90000),
                "salary_max": Decimal(60000),
                "salary_currency": "NOK",
                "salary_period": "yearly",
            },
            "__all__",
        ),
        ({"salary_min": Decimal(60000), "salary_period": "yearly"}, "salary_currency"),
        ({"salary_max": Decimal(60000), "salary_currency": "NOK"}, "salary_currency"),
        ({"publish_salary": True}, "publish_salary"),
        ({"title": "x" * 201}, "title"),
        ({"title": "   "}, "title"),
        ({"openings": 0}, "openings"),
    ],
    ids=[
        "unknown-country",
        "country-name",
        "salary-min-above-max",
        "salary-without-currency",
        "salary-without-period",
        "publish-without-salary",
        "title-201-chars",
        "blank-title",
        "no-openings",
    ],
)
def test_a_job_with_invalid_fields_is_not_created(recruiter, fields, field):
    jobs_before = Job.objects.count()
    counter_before = list(Counter.objects.values_list("name", "value"))

    with pytest.raises(ValidationError) as refused:
        job_create(by=recruiter, **{**JOB_FIELDS, **fields})

    assert field in refused.value.message_dict
    assert Job.objects.count() == jobs_before
    assert list(Counter.objects.values_list("name", "value")) == counter_before


def test_a_title_of_200_characters_is_accepted(make_job):
    assert len(make_job(title="x" * 200).title) == 200


def test_an_invalid_edit_changes_nothing(make_job, recruiter):
    draft = make_job()
    before = state_of(draft)

    with pytest.raises(ValidationError):
        job_update(job=draft, by=recruiter, title="New title", country="XX")

    assert state_of(draft) == before


def test_the_description_is_sanitised_keeping_the_allowed_tags(make_job):
    job = make_job(
        description=(
            '<p onclick="steal()">Join <strong>us</strong></p>'
            "<script>alert('pwned')</script>"
            "<ul><li><em>Python</em></li></ul>"
            '<a href="https://example.com/team" onmouseover="x()">Team</a>'
            '<a href="javascript:alert(1)">Click</a>'
        )
    )

    job.refresh_from_db()
    assert "<script" not in job.description
    assert "alert" not in job.description
    assert "onclick" not in job.description and "onmouseover" not in job.description
    assert "javascript:" not in job.description
    assert "<p>Join <strong>us</strong></p>" in job.description
    assert "<ul><li><em>Python</em></li></ul>" in job.description
    assert '<a href="https://example.com/team"' in job.description


def test_an_edited_description_is_sanitised_too(make_job, recruiter):
    draft = make_job()

    job_update(job=draft, by=recruiter, description="<p>New</p><img src=x onerror=alert(1)>")

    draft.refresh_from_db()
    assert draft.description == "<p>New</p>"
