"""SPEC 1 "Jobs" (process) and "Roles" (hiring team): the rules a process and a team follow.

rita recruits, hank manages, ivan interviews; otto holds the Recruiter and Hiring manager
security roles but is on no team until named. A refused change raises a named error and leaves
the stages or the team as they were.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from attract.models import Event, SecurityRole
from jobs.choices import CloseReason, JobStatus, StageKind, TeamRole
from jobs.models import HiringTeamMember, ProcessTemplate
from jobs.process import MAX_STAGES, StageSpec, validate_stages
from jobs.services import (
    job_close,
    job_decide_approval,
    job_process_set,
    job_submit_for_approval,
    team_delegate_add,
    team_member_add,
    team_member_remove,
    template_save,
)
from tests.factories import UserFactory, default_template

R = SecurityRole
APPLICATION = StageSpec("Application", StageKind.APPLICATION)
OFFER = StageSpec("Offer", StageKind.OFFER)


def codes_of(error: ValidationError) -> set:
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


def stages_of(job) -> list[tuple]:
    return list(job.stages.order_by("position").values_list("pk", "name", "kind", "position"))


def team_of(job) -> list[tuple]:
    return sorted(job.team.values_list("user_id", "role", "delegate_of_id"))


def specs_of(job) -> list[StageSpec]:
    """The job's current stages as the specs an edit starts from."""
    return [StageSpec(s.name, s.kind, id=s.pk) for s in job.stages.order_by("position")]


@pytest.fixture
def draft(make_job, recruiter, manager, interviewer):
    """A draft (process still editable) with the full team."""
    job = make_job()
    team_member_add(job=job, by=recruiter, user=manager, role=TeamRole.HIRING_MANAGER)
    team_member_add(job=job, by=recruiter, user=interviewer, role=TeamRole.INTERVIEWER)
    return job


# --- The rules of a process


def kinds(*names_and_kinds: tuple[str, str]) -> list[StageSpec]:
    return [StageSpec(name, kind) for name, kind in names_and_kinds]


@pytest.mark.parametrize(
    ("stages", "message"),
    [
        (kinds(("Screen", "screening"), ("Offer", "offer")), "kind Application"),
        (kinds(("Application", "application"), ("Screen", "screening")), "kind Offer"),
        (
            kinds(("Application", "application"), ("Prospect", "prospect"), ("Offer", "offer")),
            "it comes first",
        ),
        (
            kinds(
                ("Prospect", "prospect"),
                ("Sourced", "prospect"),
                ("Application", "application"),
                ("Offer", "offer"),
            ),
            "at most one and it comes first",
        ),
        (
            kinds(("Application", "application"), ("Referral", "application"), ("Offer", "offer")),
            "exactly one Application",
        ),
        (
            kinds(("Screen", "screening"), ("Application", "application"), ("Offer", "offer")),
            "Application stage comes first",
        ),
        (
            kinds(("Application", "application"), ("Hired", "hired"), ("Offer", "offer")),
            "it comes last",
        ),
        (
            kinds(("Application", "application"), ("Interview", "interview"), ("Offer", "offer"))
            + kinds((" interview ", "interview")),
            "different from each other",
        ),
        (kinds(("Application", "application"), ("Offer", "offer"), ("Party", "party")), "Unknown"),
        (kinds(("Application", "application"), ("", "screening"), ("Offer", "offer")), "a name"),
        (kinds(("Application", "application"), ("x" * 81, "screening"), ("Offer", "offer")), "80"),
        ([], "between 1 and"),
        (
            [APPLICATION, *kinds(*((f"Round {i}", "interview") for i in range(MAX_STAGES))), OFFER],
            "between 1 and",
        ),
    ],
    ids=[
        "no-application",
        "no-offer",
        "prospect-not-first",
        "two-prospects",
        "two-applications",
        "application-not-first",
        "hired-not-last",
        "duplicate-names",
        "unknown-kind",
        "blank-name",
        "long-name",
        "empty",
        "too-many",
    ],
)
def test_an_invalid_process_is_refused(stages, message):
    with pytest.raises(ValidationError) as refused:
        validate_stages(stages)

    assert any(message in m for m in refused.value.messages), refused.value.messages


def test_the_default_process_is_valid(db):
    template = default_template()
    stages = [StageSpec(s.name, s.kind) for s in template.stages.all()]

    validate_stages(stages)

    assert [s.kind for s in stages] == [
        "prospect",
        "application",
        "screening",
        "interview",
        "offer",
        "hired",
    ]


def test_the_smallest_process_is_application_then_offer():
    validate_stages([APPLICATION, OFFER])


def test_an_invalid_process_carries_the_invalid_process_code():
    with pytest.raises(ValidationError) as refused:
        validate_stages([APPLICATION])

    assert codes_of(refused.value) == {"invalid_process"}


# --- Editing a job's process


def test_a_stage_is_renamed_in_place(draft, recruiter):
    specs = specs_of(draft)
    screen = next(s for s in specs if s.kind == StageKind.SCREENING)
    specs[specs.index(screen)] = StageSpec("Phone screen", screen.kind, id=screen.id)

    job_process_set(job=draft, by=recruiter, stages=specs)

    assert draft.stages.get(pk=screen.id).name == "Phone screen"
    assert draft.stages.count() == 6


def test_a_stage_is_added_where_it_is_placed(draft, manager):
    specs = specs_of(draft)
    specs.insert(3, StageSpec("Case study", StageKind.ASSESSMENT))

    job_process_set(job=draft, by=manager, stages=specs)

    assert [name for _, name, _, _ in stages_of(draft)] == [
        "Prospect",
        "Application",
        "Screen",
        "Case study",
        "Interview",
        "Offer",
        "Hired",
    ]
    assert [position for *_, position in stages_of(draft)] == list(range(7))


def test_stages_are_reordered_keeping_their_identity(draft, recruiter):
    before = {name: pk for pk, name, _, _ in stages_of(draft)}
    specs = specs_of(draft)
    specs[2], specs[3] = specs[3], specs[2]  # Interview before Screen

    job_process_set(job=draft, by=recruiter, stages=specs)

    after = stages_of(draft)
    assert [name for _, name, _, _ in after] == [
        "Prospect",
        "Application",
        "Interview",
        "Screen",
        "Offer",
        "Hired",
    ]
    assert {name: pk for pk, name, _, _ in after} == before


def test_an_optional_stage_without_candidates_is_removed(draft, recruiter):
    specs = [s for s in specs_of(draft) if s.kind != StageKind.SCREENING]

    job_process_set(job=draft, by=recruiter, stages=specs)

    assert not draft.stages.filter(kind=StageKind.SCREENING).exists()


def test_the_change_is_recorded(draft, recruiter):
    specs = specs_of(draft)
    specs.insert(2, StageSpec("Case study", StageKind.ASSESSMENT))

    job_process_set(job=draft, by=recruiter, stages=specs)

    event = Event.objects.get(type="job.process_changed", job=draft)
    assert event.actor == recruiter
    assert event.parameters["stages"][2] == "Case study"


@pytest.mark.parametrize("removed", [StageKind.APPLICATION, StageKind.OFFER])
def test_a_mandatory_stage_cannot_be_removed(draft, recruiter, removed):
    before = stages_of(draft)

    with pytest.raises(ValidationError):
        job_process_set(
            job=draft, by=recruiter, stages=[s for s in specs_of(draft) if s.kind != removed]
        )

    assert stages_of(draft) == before


def test_a_stage_of_another_job_cannot_be_slipped_in(draft, make_job, recruiter):
    other = make_job()
    foreign = other.stages.get(kind=StageKind.SCREENING)
    specs = specs_of(draft)
    specs[2] = StageSpec("Screen", StageKind.SCREENING, id=foreign.pk)
    before, other_before = stages_of(draft), stages_of(other)

    with pytest.raises(ValidationError) as refused:
        job_process_set(job=draft, by=recruiter, stages=specs)

    assert codes_of(refused.value) == {"unknown_stage"}
    assert stages_of(draft) == before
    assert stages_of(other) == other_before


def test_the_process_is_locked_once_the_job_is_activated(job, recruiter):
    # given an active job (job_process_set's "a stage holding candidates cannot be removed"
    # guard is therefore unreachable: only an active job takes candidates)
    specs = specs_of(job)
    specs.insert(3, StageSpec("Case study", StageKind.ASSESSMENT))
    before = stages_of(job)

    with pytest.raises(ValidationError) as refused:
        job_process_set(job=job, by=recruiter, stages=specs)

    assert codes_of(refused.value) == {"locked"}
    assert stages_of(job) == before


def test_the_process_stays_locked_after_the_job_is_closed(job, recruiter):
    job_close(job=job, by=recruiter, reason=CloseReason.CANCELLED)
    specs = [s for s in specs_of(job) if s.kind != StageKind.SCREENING]
    before = stages_of(job)

    with pytest.raises(ValidationError) as refused:
        job_process_set(job=job, by=recruiter, stages=specs)

    assert codes_of(refused.value) == {"locked"}
    assert stages_of(job) == before


def test_changing_the_process_of_an_approved_job_returns_it_to_draft(
    admin_user, make_job, recruiter, manager
):
    # given an approved job
    template = template_save(
        by=admin_user,
        name="Gated",
        stages=[APPLICATION, StageSpec("Interview", StageKind.INTERVIEW), OFFER],
        requires_approval=True,
    )
    gated = make_job(template=template)
    team_member_add(job=gated, by=recruiter, user=manager, role=TeamRole.HIRING_MANAGER)
    job_submit_for_approval(job=gated, by=recruiter)
    job_decide_approval(job=gated, by=manager, approve=True)
    gated.refresh_from_db()

    # when its process changes
    specs = specs_of(gated)
    specs.insert(1, StageSpec("Case study", StageKind.ASSESSMENT))
    job_process_set(job=gated, by=recruiter, stages=specs)

    # then it needs approving again
    gated.refresh_from_db()
    assert gated.status == JobStatus.DRAFT


# --- Templates are copied, never shared


def test_editing_a_template_never_changes_existing_jobs(make_job, admin_user):
    # given a job made from the default template
    running = make_job()
    before = stages_of(running)

    # when an administrator rewrites the template
    template = default_template()
    template_save(
        by=admin_user,
        template=template,
        name=template.name,
        is_default=True,
        stages=[
            StageSpec("Applied", StageKind.APPLICATION),
            StageSpec("Take-home test", StageKind.ASSESSMENT),
            StageSpec("Offer", StageKind.OFFER),
        ],
    )

    # then the running job keeps its copy, and only new jobs get the new process
    assert stages_of(running) == before
    assert [name for _, name, _, _ in stages_of(make_job())] == [
        "Applied",
        "Take-home test",
        "Offer",
    ]


def test_editing_a_job_never_changes_its_template(draft, recruiter):
    template_stages = list(default_template().stages.values_list("name", "kind", "position"))
    specs = specs_of(draft)
    specs.insert(3, StageSpec("Case study", StageKind.ASSESSMENT))

    job_process_set(job=draft, by=recruiter, stages=specs)

    assert (
        list(default_template().stages.values_list("name", "kind", "position")) == template_stages
    )


def test_only_administrators_save_templates(recruiter):
    templates_before = ProcessTemplate.objects.count()

    with pytest.raises(PermissionDenied):
        template_save(by=recruiter, name="Mine", stages=[APPLICATION, OFFER])

    assert ProcessTemplate.objects.count() == templates_before


def test_an_invalid_template_is_not_saved(admin_user):
    templates_before = ProcessTemplate.objects.count()

    with pytest.raises(ValidationError):
        template_save(by=admin_user, name="Broken", stages=[OFFER, APPLICATION])

    assert ProcessTemplate.objects.count() == templates_before


# --- Who may be on the hiring team


@pytest.mark.parametrize(
    ("who", "role"),
    [
        ("manager", TeamRole.RECRUITER),
        ("interviewer", TeamRole.RECRUITER),
        ("readonly", TeamRole.RECRUITER),
        ("recruiter", TeamRole.HIRING_MANAGER),
        ("interviewer", TeamRole.HIRING_MANAGER),
    ],
)
def test_a_leading_team_role_needs_the_matching_security_role(
    make_job, admin_user, request, who, role
):
    # given a job created by an administrator, so that nobody is on its team yet
    target = make_job(by=admin_user)
    before = team_of(target)

    with pytest.raises(ValidationError) as refused:
        team_member_add(job=target, by=admin_user, user=request.getfixturevalue(who), role=role)

    assert "user" in refused.value.message_dict
    assert team_of(target) == before


def test_a_missing_security_role_carries_the_role_not_held_code(draft, recruiter, interviewer):
    with pytest.raises(ValidationError) as refused:
        team_member_add(job=draft, by=recruiter, user=interviewer, role=TeamRole.RECRUITER)

    assert codes_of(refused.value) == {"role_not_held"}


@pytest.mark.parametrize(
    ("roles", "role"),
    [([R.RECRUITER], TeamRole.RECRUITER), ([R.HIRING_MANAGER], TeamRole.HIRING_MANAGER)],
)
def test_holders_of_the_security_role_lead(draft, recruiter, roles, role):
    newcomer = UserFactory(roles=roles)

    team_member_add(job=draft, by=recruiter, user=newcomer, role=role)

    assert draft.team.filter(user=newcomer, role=role, delegate_of=None).exists()


@pytest.mark.parametrize("roles", [[], [R.READ_ONLY], [R.INTERVIEWER], [R.RECRUITER]])
def test_anyone_active_may_interview(draft, recruiter, roles):
    newcomer = UserFactory(roles=roles)

    team_member_add(job=draft, by=recruiter, user=newcomer, role=TeamRole.INTERVIEWER)

    assert draft.team.filter(user=newcomer, role=TeamRole.INTERVIEWER).exists()


@pytest.mark.parametrize("role", list(TeamRole))
def test_an_inactive_user_cannot_join(draft, recruiter, role):
    gone = UserFactory(is_active=False, roles=[R.RECRUITER, R.HIRING_MANAGER])
    before = team_of(draft)

    with pytest.raises(ValidationError):
        team_member_add(job=draft, by=recruiter, user=gone, role=role)

    assert team_of(draft) == before


def test_an_unknown_team_role_is_refused(draft, recruiter, outsider):
    before = team_of(draft)

    with pytest.raises(ValidationError):
        team_member_add(job=draft, by=recruiter, user=outsider, role="sponsor")

    assert team_of(draft) == before


def test_nobody_joins_twice_in_the_same_role(draft, recruiter, interviewer):
    before = team_of(draft)

    with pytest.raises(ValidationError):
        team_member_add(job=draft, by=recruiter, user=interviewer, role=TeamRole.INTERVIEWER)

    assert team_of(draft) == before


def test_joining_is_recorded(draft, recruiter, outsider):
    team_member_add(job=draft, by=recruiter, user=outsider, role=TeamRole.INTERVIEWER)

    event = Event.objects.filter(type="job.team_member_added", job=draft).latest("id")
    assert event.actor == recruiter
    assert (event.parameters["user_id"], event.parameters["role"]) == (outsider.pk, "interviewer")


def test_the_last_recruiter_or_hiring_manager_cannot_be_removed(draft, recruiter, manager):
    # given hank leaves, rita is the last one leading the job
    team_member_remove(member=draft.team.get(user=manager), by=recruiter)
    before = team_of(draft)

    with pytest.raises(ValidationError) as refused:
        team_member_remove(member=draft.team.get(user=recruiter), by=recruiter)

    assert codes_of(refused.value) == {"last_leader"}
    assert team_of(draft) == before


def test_a_delegate_does_not_count_as_a_leader(draft, recruiter, manager, outsider):
    # given rita's delegate, and hank gone
    team_delegate_add(job=draft, by=recruiter, delegate=outsider)
    team_member_remove(member=draft.team.get(user=manager), by=recruiter)
    before = team_of(draft)

    with pytest.raises(ValidationError) as refused:
        team_member_remove(member=draft.team.get(user=recruiter), by=recruiter)

    assert codes_of(refused.value) == {"last_leader"}
    assert team_of(draft) == before


def test_interviewers_come_and_go_freely(draft, recruiter, interviewer):
    team_member_remove(member=draft.team.get(user=interviewer), by=recruiter)

    assert not draft.team.filter(user=interviewer).exists()


def test_removing_a_leader_removes_their_delegates(draft, recruiter, manager, outsider):
    team_delegate_add(job=draft, by=manager, delegate=outsider)

    team_member_remove(member=draft.team.get(user=manager, delegate_of=None), by=recruiter)

    assert not draft.team.filter(user__in=[manager, outsider]).exists()


# --- Delegates


def test_a_recruiters_delegate_acts_with_the_recruiters_rights(job, recruiter, outsider):
    # given otto cannot close rita's job
    with pytest.raises(PermissionDenied):
        job_close(job=job, by=outsider, reason=CloseReason.CANCELLED)

    # when rita names him her delegate
    delegate = team_delegate_add(job=job, by=recruiter, delegate=outsider)

    # then he is on the team as a recruiter acting for her, and may close the job
    principal = job.team.get(user=recruiter, delegate_of=None)
    assert (delegate.role, delegate.delegate_of) == (TeamRole.RECRUITER, principal)
    job_close(job=job, by=outsider, reason=CloseReason.CANCELLED)
    job.refresh_from_db()
    assert job.status == JobStatus.CLOSED


def test_a_hiring_managers_delegate_is_a_hiring_manager(draft, manager, outsider):
    delegate = team_delegate_add(job=draft, by=manager, delegate=outsider)

    assert delegate.role == TeamRole.HIRING_MANAGER
    assert delegate.delegate_of == draft.team.get(user=manager)


def test_an_interviewer_cannot_name_a_delegate(draft, interviewer, outsider):
    before = team_of(draft)

    with pytest.raises(PermissionDenied):
        team_delegate_add(job=draft, by=interviewer, delegate=outsider)

    assert team_of(draft) == before


def test_a_delegate_cannot_name_delegates(draft, recruiter, outsider):
    # given otto is rita's delegate
    own = team_delegate_add(job=draft, by=recruiter, delegate=outsider)
    another = UserFactory(roles=[R.RECRUITER])
    before = team_of(draft)

    # then he may not name one, neither for himself...
    with pytest.raises(PermissionDenied):
        team_delegate_add(job=draft, by=outsider, delegate=another)
    # ...nor by passing his own delegation as the principal
    with pytest.raises(ValidationError):
        team_delegate_add(job=draft, by=outsider, delegate=another, principal=own)

    assert team_of(draft) == before


def test_delegates_are_named_only_for_oneself(draft, recruiter, manager, outsider):
    before = team_of(draft)

    with pytest.raises(PermissionDenied):
        team_delegate_add(
            job=draft,
            by=manager,
            delegate=outsider,
            principal=draft.team.get(user=recruiter),
        )

    assert team_of(draft) == before


def test_a_delegate_must_hold_the_security_role(draft, recruiter, manager, interviewer):
    before = team_of(draft)

    with pytest.raises(ValidationError) as refused:
        team_delegate_add(job=draft, by=recruiter, delegate=manager)
    assert "user" in refused.value.message_dict
    with pytest.raises(ValidationError):
        team_delegate_add(job=draft, by=recruiter, delegate=interviewer)

    assert team_of(draft) == before
    assert HiringTeamMember.objects.filter(delegate_of__isnull=False).count() == 0


def test_an_active_job_can_still_change_its_team(job, recruiter, outsider):
    """The lock is on the process only; activation leaves the team editable."""
    team_member_add(job=job, by=recruiter, user=outsider, role=TeamRole.HIRING_MANAGER)

    assert job.status == JobStatus.ACTIVE
    assert job.team.filter(user=outsider, role=TeamRole.HIRING_MANAGER).exists()
