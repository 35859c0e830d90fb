"""The demo organisation behind `manage.py seed_demo`: Nordlys Technologies, its team, its jobs
and two months of hiring, all made through the services production uses.

Everything is drawn from `random.Random(SEED)` and a Faker seeded with the same number, so two
fresh databases get the same people, jobs and outcomes (times are relative to the run).
"""

import random
from collections import Counter
from datetime import datetime

from django.utils import timezone

from attract.demo import data
from attract.demo.jobs import close_jobs, create_jobs
from attract.demo.linkedin import post_jobs_to_linkedin
from attract.demo.organisation import configure_organisation, ensure_users
from attract.demo.people import Person, create_candidate
from attract.demo.pipeline import AppPlan, Planner, Player
from attract.demo.pools import create_pools
from attract.demo.timeline import Timeline
from attract.models import User
from attract.selectors import organisation_get
from candidates.models import Application, Candidate, InterviewFeedback, Note
from candidates.services import candidate_refresh_search
from candidates.tasks import search_refresh_deferred
from jobs.models import Job
from talentpools.models import TalentPool

__all__ = ["demo_present", "ensure_users", "seed", "summary"]

SEED = 2026
CANDIDATES = 300
CANDIDATE_NOTE_SHARE = 0.08


def demo_present() -> bool:
    """True once the demo jobs exist: seeding again would only add duplicates."""
    return Job.objects.filter(
        title__in=[spec.title for spec in data.JOBS],
        created_by__username__in=[user.username for user in data.USERS],
    ).exists()


def seed(
    users: dict[str, User],
    *,
    now: datetime | None = None,
    random_seed: int = SEED,
    candidates: int = CANDIDATES,
) -> None:
    """Create the demo organisation; call inside a transaction, after `ensure_users`."""
    now = now or timezone.now()
    rng = random.Random(random_seed)
    with search_refresh_deferred():
        engineering = configure_organisation(users["admin"])
        casts = create_jobs(users, engineering, rng, now)
        people, plans = Planner(casts, rng, now, random_seed).plan(candidates)
        timeline = Timeline(now)
        _play(people, plans, users, rng, timeline, now)
        close_jobs(casts)
        create_pools(users, people, rng)
        timeline.apply(casts)
        post_jobs_to_linkedin(users, casts)
    _refresh_search(people)


def _play(
    people: list[Person],
    plans: list[AppPlan],
    users: dict[str, User],
    rng: random.Random,
    timeline: Timeline,
    now: datetime,
) -> None:
    privacy_notice = organisation_get().privacy_notice
    for person in people:
        candidate = create_candidate(
            person, recruiter=users["recruiter"], privacy_notice=privacy_notice
        )
        timeline.row(candidate, person.created, "created_at", "updated_at")
    player = Player(rng, timeline)
    for plan in plans:
        player.play(plan)
    for person in people:
        if rng.random() < CANDIDATE_NOTE_SHARE:
            player.candidate_note(person, by=users["recruiter"], now=now)


def _refresh_search(people: list[Person]) -> None:
    # Directly, so search works at once and no worker has hundreds of queued refreshes to run.
    for person in people:
        assert person.candidate is not None
        candidate_refresh_search(candidate_id=person.candidate.pk)


def summary() -> list[tuple[str, str]]:
    """What the database holds now, as (label, value) lines for the command's report."""
    jobs = Counter(
        f"{status} {reason}".strip()
        for status, reason in Job.objects.values_list("status", "close_reason")
    )
    applications = Counter(Application.objects.values_list("status", flat=True))
    return [
        ("Users", str(User.objects.count())),
        ("Jobs", _breakdown(jobs)),
        ("Candidates", str(Candidate.objects.count())),
        ("Applications", _breakdown(applications)),
        ("Notes", str(Note.objects.count())),
        ("Interview feedback", str(InterviewFeedback.objects.count())),
        ("Talent pools", str(TalentPool.objects.count())),
    ]


def _breakdown(counter: Counter) -> str:
    parts = ", ".join(f"{count} {status.replace('_', ' ')}" for status, count in counter.items())
    return f"{sum(counter.values())} ({parts})"
