"""Recruiter System Connect sync against the sandbox with LinkedIn's limits on.

    .venv/bin/python -m bench.sync [--applications 12000] [--events 10000] [--rate-scale 1]
        [--pull-rate-scale 500]
    .venv/bin/python -m bench.sync --applications 100000 --events 50000   # the full size

Works in a scratch PostgreSQL database created beside the one of DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/attract_dev), dropped at the end, and on Redis
`--redis-url` (default redis://127.0.0.1:6379/12: the rate limiter every process shares). It
starts the real sandbox (`manage.py linkedin_sandbox`, its own free port, storage in memory) and
connects the organisation the way an administrator does (sign-in, contract, Request, contract
level access enabled by LinkedIn's status push), with the three Talent Acquisition seats linked
to users. Everything runs in this process: the drain is the product's service
(`services_outbox.outbox_drain`, what the Celery task runs) and the pull is
`services_prospects.prospects_pull`. One JSON line per phase:

- push: `--applications` applications (candidates past Prospect, two applications each, stage
  history of one to four moves, some rejected) each with an outbox row, bulk-created, then drained.
  The ceiling is LinkedIn's ATS sync throttle, 10,000 records a minute per application
  (LINKEDIN.md 2.5/2.11), for candidates, applications and stage records together (they share
  it). `--rate-scale S` multiplies every throttle on both sides (the sandbox's and the client's,
  100,000 requests a day too) so that the run is S times shorter: the ceiling is 10,000 x S
  records a minute. records_per_s counts what the sandbox accepted (every record of every
  request), ratio = records_per_s / ceiling. http_429 counts LinkedIn's refusals seen by the
  client (the goal is none), busiest_minute the most records sent in one clock minute.
- pull: `--events` InMail conversation events seeded in the sandbox (a bulk control) across the
  three seats and the member directory, spread over the last 36 hours, then one pull (events,
  notes and stubs of every seat, 12-hour windows from the 14-day lookback). The ceiling that
  applies is the member-level one, 12 records per member (seat holder) per minute
  (LINKEDIN.md 2.9/2.11): with pages of 50 the application-level 100,000 calls a day would allow
  ~3,500 records a minute for any member count, far above 12 x 3. `--pull-rate-scale P` multiplies
  the throttles for this phase (sandbox and client). The pull reads one seat after the other,
  so the ceiling that binds at any moment is one member's, 12 x P records a minute;
  ratio = events_per_s / that ceiling (ratio_all_seats: against the three members together).
- memory: this process's RSS (the product process) sampled every 0.2 s in each phase: start,
  middle, end, peak, and growth_mb = end - start.

The defaults (scaled down from 100,000 applications and 50,000 events: one drain sends about
200-350 records a second on two cores, so the push ceiling is not scaled up, and the sandbox
reads its whole event store for each page)
take about eight minutes on two cores; the ratios are what count.
"""

import argparse
import gc
import json
import logging
import os
import random
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench.scratch import admin_sql, scratch_url

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/attract_dev"
DEFAULT_REDIS = "redis://127.0.0.1:6379/12"
SYNC_RECORDS_PER_MINUTE = 10_000  # Reference: LINKEDIN.md 2.5 / 2.11
MEMBER_RECORDS_PER_MINUTE = 12  # Reference: LINKEDIN.md 2.9 / 2.11, conversationEvents
JOBS = 40
LOOKBACK_HOURS = 14 * 24
EVENT_SPREAD_HOURS = 36


# --- Scratch database, sandbox, Django -----------------------------------------------------------


def start_sandbox(scale: float) -> tuple[subprocess.Popen, str]:
    command = [
        sys.executable, "manage.py", "linkedin_sandbox", "--port", "0",
        "--storage", ":memory:", "--quiet", "--rate-scale", str(scale),
    ]  # fmt: skip
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    line = process.stdout.readline()
    if "listening on" not in line:
        process.kill()
        raise RuntimeError(f"the LinkedIn sandbox did not start: {line!r}")
    return process, line.rsplit(" ", 1)[-1].strip().rstrip("/")


def stop(process: subprocess.Popen | None) -> None:
    if process is None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
    if process.stdout:
        process.stdout.close()


def setup_django(url: str, redis_url: str, sandbox_url: str, media: str) -> None:
    os.environ.update(
        DATABASE_URL=url,
        REDIS_URL=redis_url,
        DJANGO_MEDIA_ROOT=media,
        DJANGO_DEBUG="0",  # no query log: memory must stay flat
        DJANGO_SECRET_KEY=secrets.token_hex(32),
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        LINKEDIN_API_BASE_URL=sandbox_url,
        LINKEDIN_OAUTH_BASE_URL=sandbox_url,
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "attract.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import setup_test_environment

    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    settings.STORAGES = {**settings.STORAGES, "staticfiles": static}  # no collectstatic here

    setup_test_environment()  # the administrator's browser is Django's test client


def scale_client_limits(scale: float) -> None:
    """The product's own limiter, multiplied like the sandbox's (`--rate-scale`), through the
    product's LINKEDIN_RATE_SCALE setting."""
    from django.conf import settings

    settings.LINKEDIN_RATE_SCALE = scale


# --- The connected organisation -----------------------------------------------------------------


def connect(sandbox: Any) -> list[str]:
    """Recruiter System Connect enabled at contract level, the contract's seats linked."""
    from django.test import Client

    from attract.models import SecurityRole
    from linkedin import services_rsc
    from linkedin.models_rsc import RecruiterConnection, RecruiterSeat
    from linkedin.sandbox import seed
    from linkedin.selectors_rsc import linkedin_tasks_allowed
    from tests.factories import UserFactory
    from tests.linkedin.test_rsc_views import connect_partner_ready

    admin_user = UserFactory(username="ada", roles=[SecurityRole.ADMINISTRATOR])
    admin = Client()
    admin.force_login(admin_user)
    connection = connect_partner_ready(admin, sandbox)
    [push] = sandbox.enable_integration(deliver=False)["pushes"]
    event, _ = services_rsc.push_record(
        connection=connection, raw=push["body"].encode(), payload=push["payload"]
    )
    services_rsc.push_handle(event_id=event.pk)
    assert linkedin_tasks_allowed()
    contract = RecruiterConnection.objects.get().contract_urn
    seats = []
    for seat_id, seat_contract, holder, _ in seed.SEATS:
        if seat_contract != contract:
            continue
        user = UserFactory(username=f"seat{seat_id}", roles=[SecurityRole.RECRUITER])
        RecruiterSeat.objects.create(
            seat_urn=f"urn:li:seat:{seat_id}",
            contract_urn=contract,
            holder_urn=f"urn:li:person:{holder}",
            user=user,
        )
        seats.append(f"urn:li:seat:{seat_id}")
    return seats


# --- Push data --------------------------------------------------------------------------------


def make_jobs() -> list[Any]:
    from attract.models import SecurityRole
    from jobs.services import job_activate, job_create
    from tests.factories import UserFactory

    recruiter = UserFactory(username="rita", roles=[SecurityRole.RECRUITER])
    jobs = []
    for i in range(JOBS):
        job = job_create(
            by=recruiter,
            title=f"Engineer {i}",
            description="<p>Build the hiring product with Python and PostgreSQL.</p>" * 3,
            city="Oslo",
            country="NO",
        )
        jobs.append(job_activate(job=job, by=recruiter))
    return jobs


def add_applications(total: int, jobs: list[Any], rng: random.Random) -> None:
    """Candidates past Prospect, two applications each, stage history, and one outbox row per
    application (what `outbox.application_changed` writes), in bulk."""
    from django.db import connection, transaction
    from django.utils import timezone

    from candidates.models import (
        Application,
        ApplicationEvent,
        ApplicationStatus,
        Candidate,
        CandidateEmail,
        CandidateSource,
        RejectionReason,
    )
    from jobs.choices import StageKind
    from linkedin.models_sync import OutboxRow

    stages = {
        job.pk: [s for s in job.stages.order_by("position") if s.kind != StageKind.PROSPECT]
        for job in jobs
    }
    reasons = list(RejectionReason.objects.all())
    now = timezone.now()
    chunk = 5000
    for offset in range(0, total, chunk):
        size = min(chunk, total - offset)
        with transaction.atomic():
            candidates = Candidate.objects.bulk_create(
                Candidate(
                    first_name=f"Kari{offset + i}",
                    last_name=rng.choice(["Nordmann", "Hansen", "Berg", "Lie", "Dahl"]),
                    current_company="Fjord Systems",
                    current_title="Engineer",
                    city="Oslo",
                    country="NO",
                    source=CandidateSource.MANUAL,
                )
                for i in range(0, size, 2)
            )
            CandidateEmail.objects.bulk_create(
                CandidateEmail(candidate=c, email=f"c{c.pk}@mail.example", is_primary=True)
                for c in candidates
            )
            applications, paths = [], []
            for i in range(size):
                # a candidate's two applications are for two different jobs
                job = jobs[(offset + i + (i % 2) * 7) % len(jobs)]
                moves = rng.randint(0, min(3, len(stages[job.pk]) - 1))
                path = stages[job.pk][: moves + 1]
                rejected = rng.random() < 0.2
                applications.append(
                    Application(
                        candidate=candidates[i // 2],
                        job=job,
                        stage=path[-1],
                        status=ApplicationStatus.REJECTED if rejected else ApplicationStatus.ACTIVE,
                        rejection_reason=rng.choice(reasons) if rejected and reasons else None,
                        source=CandidateSource.MANUAL,
                        stage_entered_at=now,
                    )
                )
                paths.append(path)
            Application.objects.bulk_create(applications)
            ApplicationEvent.objects.bulk_create(
                ApplicationEvent(
                    application=app,
                    kind="created" if step == 0 else "moved",
                    from_stage=path[step - 1] if step else None,
                    to_stage=stage,
                    at=now - timedelta(days=10 - step),
                )
                for app, path in zip(applications, paths, strict=True)
                for step, stage in enumerate(path)
            )
            OutboxRow.objects.bulk_create(
                OutboxRow(
                    entity_type=OutboxRow.EntityType.APPLICATION,
                    entity_id=str(app.pk),
                    operation=OutboxRow.Operation.UPSERT,
                )
                for app in applications
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# --- Measuring ------------------------------------------------------------------------------


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


@contextmanager
def sampled_memory(out: dict[str, Any]) -> Iterator[None]:
    """RSS every 0.2 s while the block runs: start, middle, end, peak, growth."""
    gc.collect()
    samples = [rss_mb()]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.2):
            samples.append(rss_mb())

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()
        samples.append(rss_mb())
        out.update(
            rss_start_mb=round(samples[0], 1),
            rss_middle_mb=round(samples[len(samples) // 2], 1),
            rss_end_mb=round(samples[-1], 1),
            rss_peak_mb=round(max(samples), 1),
            rss_growth_mb=round(samples[-1] - samples[0], 1),
        )


class CallCounter(logging.Handler):
    """LinkedIn's answers as the client logs them (every attempt): totals and 429s."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.attempts = 0
        self.throttled = 0
        self.errors = 0

    def emit(self, record: logging.LogRecord) -> None:
        status = getattr(record, "linkedin_status", None)
        if status is None:
            return
        self.attempts += 1
        if status == 429:
            self.throttled += 1
        elif not isinstance(status, int) or status >= 400:
            self.errors += 1


@contextmanager
def counted_calls() -> Iterator[tuple[CallCounter, dict[int, int], Callable[[], int]]]:
    """Count LinkedIn answers (log records) and the records of each successful call by the
    clock minute it went in (a wrapper around `client.call`, which every batch goes through)."""
    from linkedin import client

    handler = CallCounter()
    logger = logging.getLogger("linkedin.client")
    previous = (logger.level, logger.propagate)
    logger.setLevel(logging.INFO)
    logger.propagate = False  # no console line per call
    logger.addHandler(handler)
    per_minute: dict[int, int] = {}
    total = [0]
    real = client.call

    def call(method: str, path: str, **kwargs: Any) -> Any:
        answer = real(method, path, **kwargs)
        if client.bucket_for(path) == "sync":
            records = int(kwargs.get("records", 1))
            minute = int(time.time() // 60)
            per_minute[minute] = per_minute.get(minute, 0) + records
            total[0] += records
        return answer

    client.call = call  # type: ignore[assignment]
    try:
        yield handler, per_minute, lambda: total[0]
    finally:
        client.call = real  # type: ignore[assignment]
        logger.removeHandler(handler)
        logger.setLevel(previous[0])
        logger.propagate = previous[1]


# --- Phases --------------------------------------------------------------------------------------


def push_phase(applications: int, scale: float, rng: random.Random) -> dict[str, Any]:
    from linkedin import services_outbox
    from linkedin.models_sync import OutboxRow

    jobs = make_jobs()
    OutboxRow.objects.update(status=OutboxRow.Status.DONE)  # the jobs' own rows: not measured
    built = time.monotonic()
    add_applications(applications, jobs, rng)
    build_s = time.monotonic() - built
    ceiling = SYNC_RECORDS_PER_MINUTE * scale / 60
    line: dict[str, Any] = {"phase": "push", "applications": applications, "rate_scale": scale}
    with sampled_memory(line), counted_calls() as (calls, per_minute, records):
        started = time.monotonic()
        drains = 0
        while OutboxRow.objects.filter(status=OutboxRow.Status.PENDING).exists():
            result = services_outbox.outbox_drain()
            drains += 1
            if result is None:
                raise RuntimeError("the drain did not run (lock held or LinkedIn tasks off)")
            if result.retried:
                time.sleep(1)
            if drains > 10_000:
                raise RuntimeError("the outbox does not empty")
        elapsed = time.monotonic() - started
    done = OutboxRow.objects.filter(status=OutboxRow.Status.DONE).count() - JOBS
    parked = OutboxRow.objects.filter(status=OutboxRow.Status.PARKED).count()
    full = [count for minute, count in sorted(per_minute.items())][1:-1] or list(
        per_minute.values()
    )
    per_s = records() / elapsed
    line.update(
        build_s=round(build_s, 1),
        drain_s=round(elapsed, 1),
        rows_done=done,
        rows_parked=parked,
        records=records(),
        records_per_s=round(per_s, 1),
        ceiling_records_per_s=round(ceiling, 1),
        ratio=round(per_s / ceiling, 3),
        busiest_minute=max(per_minute.values(), default=0),
        minute_ceiling=int(SYNC_RECORDS_PER_MINUTE * scale),
        full_minutes_mean=round(sum(full) / len(full)) if full else 0,
        applications_per_s=round(done / elapsed, 1),
        requests=calls.attempts,
        http_429=calls.throttled,
        http_errors=calls.errors,
        drains=drains,
    )
    return line


def pull_phase(sandbox: Any, seats: list[str], events: int, scale: float) -> dict[str, Any]:
    from django.conf import settings

    from linkedin import services_prospects
    from linkedin.models_prospects import InMailEvent

    settings.LINKEDIN_PROSPECTS_LOOKBACK_HOURS = LOOKBACK_HOURS
    now_ms = sandbox.now_ms()
    seeded = sandbox.seed_events(
        count=events,
        seats=seats,
        start_ms=now_ms - EVENT_SPREAD_HOURS * 3600 * 1000,
        end_ms=now_ms - services_prospects.SETTLE_MS - 60_000,
    )
    ceiling = MEMBER_RECORDS_PER_MINUTE * scale / 60  # one seat is pulled at a time
    line: dict[str, Any] = {
        "phase": "pull",
        "events": seeded["created"],
        "seats": len(seats),
        "rate_scale": scale,
    }
    with sampled_memory(line), counted_calls() as (calls, _, _):
        started = time.monotonic()
        outcome = services_prospects.prospects_pull()
        elapsed = time.monotonic() - started
    stored = InMailEvent.objects.count()
    per_s = stored / elapsed
    line.update(
        status=outcome.status,
        stored=stored,
        windows=outcome.windows,
        pull_s=round(elapsed, 1),
        events_per_s=round(per_s, 1),
        ceiling_events_per_s=round(ceiling, 1),
        ratio=round(per_s / ceiling, 3),
        ratio_all_seats=round(per_s / ceiling / len(seats), 3),
        requests=calls.attempts,
        http_429=calls.throttled,
        http_errors=calls.errors,
    )
    return line


# --- Main ---------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--applications", type=int, default=12_000)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--rate-scale", type=float, default=1.0, help="push: throttles x S")
    parser.add_argument("--pull-rate-scale", type=float, default=500.0, help="pull: throttles x P")
    parser.add_argument("--redis-url", default=DEFAULT_REDIS)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if (
        args.applications < 2
        or args.events < 1
        or args.rate_scale <= 0
        or args.pull_rate_scale <= 0
    ):
        parser.error("sizes must be positive (at least two applications) and scales above zero")
    for line in run(args):
        print(json.dumps(line), flush=True)


def run(args: argparse.Namespace) -> Iterator[dict[str, Any]]:
    base = os.environ.get("DATABASE_URL") or DEFAULT_URL
    url = scratch_url(base, "sync")
    name = urlsplit(url).path.lstrip("/")
    media = tempfile.mkdtemp(prefix="attract-bench-sync-")
    process = None
    admin_sql(base, f'DROP DATABASE IF EXISTS "{name}"')
    admin_sql(base, f'CREATE DATABASE "{name}"')
    try:
        process, sandbox_url = start_sandbox(args.rate_scale)
        setup_django(url, args.redis_url, sandbox_url, media)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        sandbox = bench_sandbox(sandbox_url)
        scale_client_limits(args.rate_scale)
        seats = connect(sandbox)
        yield push_phase(args.applications, args.rate_scale, random.Random(args.seed))
        sandbox.set_rate_scale(args.pull_rate_scale)
        scale_client_limits(args.pull_rate_scale)
        yield pull_phase(sandbox, seats, args.events, args.pull_rate_scale)
    finally:
        stop(process)
        from django.db import connections

        connections.close_all()
        admin_sql(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(media, ignore_errors=True)


def _sandbox_class() -> type:
    from tests.linkedin.conftest import LinkedInSandbox

    class Bench(LinkedInSandbox):
        def now_ms(self) -> int:
            return int(self._post("/_sandbox/clock", {"advance_seconds": 0})["now_ms"])

        def seed_events(self, **fields: Any) -> dict[str, Any]:
            return dict(self._post("/_sandbox/seed", {"kind": "conversation_events", **fields}))

    return Bench


def bench_sandbox(url: str) -> Any:
    return _sandbox_class()(url)


if __name__ == "__main__":
    main()
