"""Demo applications: planned (who, which job, how far, what outcome, when), then played through
the same services a recruiter's clicks call, with notes and interview feedback on the way."""

import random
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from attract.demo import data
from attract.demo.jobs import JobCast
from attract.demo.people import Person, PersonMaker
from attract.demo.timeline import DAY, Timeline, spread
from attract.models import User
from candidates.models import (
    Application,
    ApplicationStatus,
    CandidateSource,
    NoteVisibility,
    RejectionReason,
)
from candidates.services import (
    application_create,
    application_hire,
    application_move,
    application_reject,
    application_withdraw,
    feedback_submit,
    note_add,
)
from jobs.choices import StageKind as K
from jobs.models import JobStage

A = ApplicationStatus
FILLED_OUT = "filled_out"  # still active when the job was filled: rejected at closing time
MIN_PER_JOB = 6
OUTCOMES = {
    "active": {A.ACTIVE: 58, A.REJECTED: 30, A.WITHDRAWN: 9, A.HIRED: 3},
    "cancelled": {A.ACTIVE: 45, A.REJECTED: 40, A.WITHDRAWN: 15},
    "filled": {FILLED_OUT: 35, A.REJECTED: 50, A.WITHDRAWN: 15},
}
STAGE_WEIGHTS = {
    A.ACTIVE: {K.PROSPECT: 1.2, K.APPLICATION: 3, K.SCREENING: 2, K.ASSESSMENT: 1.2,
               K.INTERVIEW: 1.5, K.OFFER: 0.6},
    A.REJECTED: {K.PROSPECT: 0.4, K.APPLICATION: 3, K.SCREENING: 2.5, K.ASSESSMENT: 1.2,
                 K.INTERVIEW: 1.5, K.OFFER: 0.3},
    A.WITHDRAWN: {K.APPLICATION: 0.8, K.SCREENING: 1.5, K.ASSESSMENT: 0.8, K.INTERVIEW: 1.5,
                  K.OFFER: 0.7},
    A.HIRED: {K.OFFER: 1},
}  # fmt: skip
SOURCED = (CandidateSource.LINKEDIN_EXPORT, CandidateSource.LINKEDIN_STUB, CandidateSource.MANUAL)
EARLY_KINDS = (K.PROSPECT, K.APPLICATION, K.SCREENING)


@dataclass
class AppPlan:
    cast: JobCast
    person: Person
    path: list[JobStage]
    outcome: str
    reason: str
    times: list[datetime]

    @property
    def kinds(self) -> list[str]:
        return [stage.kind for stage in self.path]

    def during(self, index: int, rng: random.Random) -> datetime:
        """A moment while the application sat in path[index]."""
        start = self.times[index]
        end = self.times[index + 1] if index + 1 < len(self.times) else self.cast.limit
        return start + (end - start) * rng.uniform(0.2, 0.8)


class Planner:
    """Decides every person and application before anything is written."""

    def __init__(self, casts: list[JobCast], rng: random.Random, now: datetime, seed: int):
        self.receiving = [cast for cast in casts if cast.opened is not None]
        self.rng, self.now = rng, now
        self.maker = PersonMaker(rng, seed)
        self.hires: Counter[int] = Counter()

    def plan(self, count: int) -> tuple[list[Person], list[AppPlan]]:
        people, plans = [], []
        for index in range(count):
            cast = self._first_job(index)
            person = self.maker.make(index, cast)
            own = [self._application(job, person) for job in self._jobs(index, cast)]
            person.created = self._created(person, own)
            people.append(person)
            plans.extend(own)
        return people, plans

    def _first_job(self, index: int) -> JobCast:
        if index < MIN_PER_JOB * len(self.receiving):
            return self.receiving[index % len(self.receiving)]
        weights = [cast.spec.popularity for cast in self.receiving]
        return self.rng.choices(self.receiving, weights=weights)[0]

    def _jobs(self, index: int, cast: JobCast) -> list[JobCast]:
        roll = self.rng.random()
        if index >= MIN_PER_JOB * len(self.receiving) and roll < 0.04:
            return []  # known from a talent pool only
        others = [c for c in self.receiving if c is not cast and c.spec.family == cast.spec.family]
        if roll > 0.8 and others:
            return [cast, self.rng.choice(others)]
        return [cast]

    def _created(self, person: Person, plans: list[AppPlan]) -> datetime:
        if not plans:
            return self.now - self.rng.uniform(5, 60) * DAY
        first = min(plan.times[0] for plan in plans)
        if person.source == CandidateSource.CAREER_SITE:
            return first - timedelta(minutes=2)
        return first - self.rng.uniform(1, 48) * timedelta(hours=1)

    def _application(self, cast: JobCast, person: Person) -> AppPlan:
        outcome = self._outcome(cast)
        stages = [stage for stage in cast.stages if stage.kind != K.HIRED]
        target = self._target(stages, outcome, person.source)
        entry = self._entry(stages, target, person.source)
        path = stages[stages.index(entry) : stages.index(target) + 1]
        times = self._times(cast, len(path) + (outcome != A.ACTIVE), outcome)
        return AppPlan(cast, person, path, outcome, self._reason(outcome, target), times)

    def _outcome(self, cast: JobCast) -> str:
        job_id = cast.job.pk
        if cast.spec.plan == "filled" and not self.hires[job_id]:
            outcome = A.HIRED  # the first applicant of a filled job is the one who got it
        else:
            weights = OUTCOMES[cast.spec.plan]
            outcome = self.rng.choices(list(weights), weights=list(weights.values()))[0]
        if outcome == A.HIRED and cast.spec.plan == "active":
            # An open job keeps at least one opening free.
            outcome = A.HIRED if self.hires[job_id] < cast.spec.openings - 1 else A.ACTIVE
        self.hires[job_id] += outcome == A.HIRED
        return outcome

    def _target(self, stages: list[JobStage], outcome: str, source: str) -> JobStage:
        weights = STAGE_WEIGHTS[A.ACTIVE if outcome == FILLED_OUT else outcome]
        options = [
            s
            for s in stages
            if s.kind in weights
            and not (s.kind == K.PROSPECT and source == CandidateSource.CAREER_SITE)
        ]
        return self.rng.choices(options, weights=[weights[s.kind] for s in options])[0]

    def _entry(self, stages: list[JobStage], target: JobStage, source: str) -> JobStage:
        if target.kind == K.PROSPECT:
            return target
        prospect = next((s for s in stages if s.kind == K.PROSPECT), None)
        if prospect is not None and source in SOURCED and self.rng.random() < 0.85:
            return prospect
        return next(s for s in stages if s.kind == K.APPLICATION)

    def _reason(self, outcome: str, target: JobStage) -> str:
        if outcome == A.REJECTED:
            early = target.kind in EARLY_KINDS
            return self.rng.choice(data.EARLY_REASONS if early else data.LATE_REASONS)
        if outcome == A.WITHDRAWN:
            return self.rng.choice(data.WITHDRAW_COMMENTS)
        return data.FILLED_REASON if outcome == FILLED_OUT else ""

    def _times(self, cast: JobCast, count: int, outcome: str) -> list[datetime]:
        assert cast.window_end is not None
        if outcome != FILLED_OUT:
            return spread(count, cast.window_start, cast.window_end, self.rng)
        times = spread(count - 1, cast.window_start, cast.window_end, self.rng)
        assert cast.closed is not None
        return [*times, cast.closed - self.rng.uniform(1, 20) * timedelta(hours=1)]


class Player:
    """Plays the plans through the services, and records when each thing happened."""

    def __init__(self, rng: random.Random, timeline: Timeline):
        self.rng, self.timeline = rng, timeline
        self.reasons = {r.name: r for r in RejectionReason.objects.filter(is_active=True)}

    def play(self, plan: AppPlan) -> Application:
        cast, person = plan.cast, plan.person
        sourced = person.source != CandidateSource.CAREER_SITE
        application = application_create(
            candidate=person.candidate,
            job=cast.job,
            by=cast.recruiter if sourced else None,
            source=person.source,
            stage=plan.path[0],
        )
        for stage in plan.path[1:]:
            mover = cast.manager if stage.kind in (K.INTERVIEW, K.OFFER) else cast.recruiter
            application = application_move(application=application, stage=stage, by=mover)
        application = self._finish(plan, application)
        self.timeline.application(application, plan.times)
        self._notes(plan, application)
        self._feedback(plan, application)
        return application

    def _finish(self, plan: AppPlan, application: Application) -> Application:
        recruiter = plan.cast.recruiter
        if plan.outcome == A.HIRED:
            return application_hire(application=application, by=recruiter)
        if plan.outcome == A.WITHDRAWN:
            return application_withdraw(application=application, by=recruiter, comment=plan.reason)
        if plan.outcome in (A.REJECTED, FILLED_OUT):
            reason = self.reasons.get(plan.reason) or next(iter(self.reasons.values()))
            return application_reject(application=application, by=recruiter, reason=reason)
        return application

    def _notes(self, plan: AppPlan, application: Application) -> None:
        kinds, rng, cast = plan.kinds, self.rng, plan.cast
        notes = []  # (author, texts to pick from, visibility, stage index)
        if K.SCREENING in kinds and rng.random() < 0.6:
            visibility = rng.choice((NoteVisibility.HIRING_TEAM, NoteVisibility.EVERYONE))
            notes.append((cast.recruiter, data.SCREEN_NOTES, visibility, kinds.index(K.SCREENING)))
        if K.INTERVIEW in kinds and rng.random() < 0.5:
            index = kinds.index(K.INTERVIEW)
            notes.append((cast.manager, data.INTERVIEW_NOTES, NoteVisibility.HIRING_TEAM, index))
        if rng.random() < 0.08:
            notes.append(
                (cast.recruiter, data.PRIVATE_NOTES, NoteVisibility.PRIVATE, len(kinds) - 1)
            )
        person = plan.person
        for author, texts, visibility, index in notes:
            body = rng.choice(texts).format(first=person.first_name, company=person.company)
            note = note_add(
                candidate=person.candidate,
                by=author,
                body=body,
                visibility=visibility,
                application=application,
            )
            self.timeline.row(note, plan.during(index, rng), "created_at", "updated_at")

    def _feedback(self, plan: AppPlan, application: Application) -> None:
        if K.INTERVIEW not in plan.kinds:
            return
        index = plan.kinds.index(K.INTERVIEW)
        went_on = index < len(plan.path) - 1 or plan.outcome == A.HIRED
        panel = {u.pk: u for u in [*plan.cast.interviewers, plan.cast.manager]}
        for user in panel.values():
            if not went_on and self.rng.random() < 0.3:
                continue  # not everyone has written theirs yet
            recommendation = self._recommendation(plan, went_on)
            feedback = feedback_submit(
                application=application,
                by=user,
                recommendation=recommendation,
                ratings=self._ratings(plan.person.family, recommendation),
                strengths=self.rng.choice(data.STRENGTHS),
                concerns=self.rng.choice(data.CONCERNS),
            )
            self.timeline.row(feedback, plan.during(index, self.rng), "submitted_at")

    def _recommendation(self, plan: AppPlan, went_on: bool) -> int:
        if went_on:
            return self.rng.choice((3, 4, 4, 5, 5))
        if plan.outcome == A.REJECTED:
            return self.rng.choice((1, 2, 2, 3))
        return self.rng.choice((2, 3, 4, 4, 5))

    def _ratings(self, family: str, recommendation: int) -> dict[str, int]:
        return {
            name: min(5, max(1, recommendation + self.rng.choice((-1, 0, 0, 1))))
            for name in data.RATINGS[family]
        }

    def candidate_note(self, person: Person, *, by: User, now: datetime) -> None:
        """A note on the person rather than on one application, visible to everyone."""
        assert person.candidate is not None and person.created is not None
        body = self.rng.choice(data.CANDIDATE_NOTES).format(first=person.first_name)
        note = note_add(candidate=person.candidate, by=by, body=body)
        at = person.created + (now - person.created) * self.rng.uniform(0.1, 0.9)
        self.timeline.row(note, at, "created_at", "updated_at")
