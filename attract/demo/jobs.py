"""Demo jobs: written as real ads, staffed, and taken through their lifecycle by the services."""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from html import escape

from attract.demo import data
from attract.demo.data import JobSpec
from attract.models import User
from jobs.choices import CloseReason, TeamRole
from jobs.models import Job, JobStage, ProcessTemplate
from jobs.services import (
    job_activate,
    job_close,
    job_create,
    job_decide_approval,
    job_submit_for_approval,
    team_delegate_add,
    team_member_add,
)

RECEIVING = ("active", "cancelled", "filled")  # plans whose job was active and took applicants
DAY = timedelta(days=1)


@dataclass
class JobCast:
    """A created job with the people who work on it and when things happened to it."""

    job: Job
    spec: JobSpec
    recruiter: User
    manager: User
    interviewers: list[User]
    created: datetime
    opened: datetime | None = None
    closed: datetime | None = None
    window_end: datetime | None = None
    stages: list[JobStage] = field(default_factory=list)

    @property
    def window_start(self) -> datetime:
        assert self.opened is not None
        return self.opened + timedelta(hours=3)

    @property
    def limit(self) -> datetime:
        """The last moment anything happened on the job's applications."""
        limit = self.closed or self.window_end
        assert limit is not None
        return limit


def describe(spec: JobSpec, rng: random.Random) -> str:
    """A job ad in HTML, built from the family's paragraphs and the job's own focus."""
    family = spec.family
    benefits = [*data.BENEFITS[spec.country], *rng.sample(data.COMMON_BENEFITS, 2)]
    parts = [
        data.INTRO,
        data.ROLE[family].format(title=escape(spec.title), focus=escape(spec.focus)),
        "<h3>What you will do</h3>",
        _bullets(rng.sample(data.DO[family], 4)),
        "<h3>What you bring</h3>",
        _bullets(rng.sample(data.BRING[family], 4)),
        "<h3>What we offer</h3>",
        _bullets(benefits),
        data.WORKPLACE_TEXT[spec.workplace].format(city=escape(spec.city)),
        data.CLOSING,
    ]
    return "".join(parts)


def _bullets(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ul>"


def _fields(spec: JobSpec, rng: random.Random, today) -> dict:
    fields = {
        "title": spec.title,
        "description": describe(spec, rng),
        "city": spec.city,
        "region": spec.region,
        "country": spec.country,
        "postal_code": spec.postal_code,
        "workplace_type": spec.workplace,
        "employment_type": spec.employment,
        "seniority": spec.seniority,
        "job_function": spec.function,
        "industry": spec.industry,
        "openings": spec.openings,
        "internal_only": spec.internal,
        "expires_on": None if spec.expires_in is None else today + spec.expires_in * DAY,
    }
    if spec.salary:
        low, high, currency, period, published = spec.salary
        fields.update(
            salary_min=Decimal(low),
            salary_max=Decimal(high),
            salary_currency=currency,
            salary_period=period,
            publish_salary=published,
        )
    return fields


def create_jobs(
    users: dict[str, User], engineering: ProcessTemplate, rng: random.Random, now: datetime
) -> list[JobCast]:
    """Every demo job, taken as far as its plan says (closing comes after the pipeline)."""
    casts = []
    for spec in data.JOBS:
        template = engineering if spec.engineering_template else None
        job = job_create(
            by=users[spec.creator], template=template, **_fields(spec, rng, now.date())
        )
        cast = _staff(job, spec, users)
        _plan_dates(cast, rng, now)
        _advance(cast, users)
        cast.stages = list(job.stages.all())
        casts.append(cast)
    return casts


def _staff(job: Job, spec: JobSpec, users: dict[str, User]) -> JobCast:
    creator = users[spec.creator]
    recruiter = creator if spec.creator.startswith("recruiter") else users["recruiter"]
    manager = users[spec.manager]
    for user, role in ((recruiter, TeamRole.RECRUITER), (manager, TeamRole.HIRING_MANAGER)):
        if user.pk != creator.pk:
            team_member_add(job=job, by=creator, user=user, role=role)
    interviewers = []
    if spec.plan != "draft":
        interviewers.append(users["interviewer"])
    if spec.family == "engineering" and manager.pk != users["manager2"].pk:
        interviewers.append(users["manager2"])  # anyone may interview, managers included
    for user in interviewers:
        team_member_add(job=job, by=creator, user=user, role=TeamRole.INTERVIEWER)
    if spec.delegate:
        team_delegate_add(job=job, by=recruiter, delegate=users["recruiter2"])
    return JobCast(job, spec, recruiter, manager, interviewers, created=job.created_at)


def _plan_dates(cast: JobCast, rng: random.Random, now: datetime) -> None:
    plan = cast.spec.plan
    if plan == "active":
        cast.opened = now - rng.uniform(16, 60) * DAY
        cast.window_end = now - timedelta(hours=1)
    elif plan in ("cancelled", "filled"):
        cast.opened = now - rng.uniform(55, 70) * DAY
        cast.closed = now - rng.uniform(2, 12) * DAY
        cast.window_end = cast.closed - DAY
    start = cast.opened or now - rng.uniform(1, 6) * DAY
    cast.created = start - rng.uniform(2, 6) * DAY


def _advance(cast: JobCast, users: dict[str, User]) -> None:
    job, plan = cast.job, cast.spec.plan
    if plan == "draft":
        return
    if job.requires_approval:
        _seek_approval(cast, users)
        job.refresh_from_db()
    if plan in RECEIVING:
        activator = cast.manager if cast.spec.creator == "manager" else cast.recruiter
        job_activate(job=job, by=activator)


def _seek_approval(cast: JobCast, users: dict[str, User]) -> None:
    job, plan, manager = cast.job, cast.spec.plan, cast.manager
    if plan == "pending":
        # Two approvers in parallel: one has approved, the other has not decided yet.
        other = users["manager2"] if manager.pk == users["manager"].pk else users["manager"]
        job_submit_for_approval(job=job, by=cast.recruiter, approvers=[manager, other])
        job_decide_approval(job=job, by=other, approve=True, comment="Budget confirmed.")
        return
    job_submit_for_approval(job=job, by=cast.recruiter)
    approve = plan != "rejected"
    comment = "Approved: headcount is in the plan." if approve else data.APPROVAL_REJECTION
    job_decide_approval(job=job, by=manager, approve=approve, comment=comment)


def close_jobs(casts: list[JobCast]) -> None:
    """Close the jobs planned as filled (someone was hired) or cancelled."""
    for cast in casts:
        if cast.spec.plan == "filled":
            reason, comment = CloseReason.FILLED, data.FILLED_COMMENT
        elif cast.spec.plan == "cancelled":
            reason, comment = CloseReason.CANCELLED, data.CANCEL_COMMENTS[cast.spec.title]
        else:
            continue
        job_close(job=cast.job, by=cast.recruiter, reason=reason, comment=comment)
