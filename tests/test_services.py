"""Behaviour that depends on the real services: PostgreSQL, Redis and a Celery worker.

Skipped on a laptop without them; CI sets ATTRACT_REQUIRE_SERVICES=1 so that they fail instead.
"""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from celery.schedules import crontab
from django.conf import settings
from django.db import connection

from attract.celery import app as celery_app
from candidates.models import Candidate
from candidates.services import candidate_create
from tests.conftest import service_missing

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.services


@pytest.fixture
def redis_url():
    url = settings.REDIS_URL
    if not url:
        service_missing("REDIS_URL is not set")
    try:
        redis.Redis.from_url(url, socket_timeout=2).ping()
    except redis.RedisError as exc:
        service_missing(f"Redis at {url} does not answer: {exc}")
    return url


@pytest.fixture
def postgres(db):
    if connection.vendor != "postgresql":
        service_missing("DATABASE_URL does not point at PostgreSQL")
    return connection


def test_the_suite_runs_on_postgresql(postgres):
    with postgres.cursor() as cursor:
        cursor.execute("SHOW server_version")
        assert int(cursor.fetchone()[0].split(".")[0]) >= 13


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker(redis_url, transactional_db, postgres):
    """A real Celery worker process on Redis and the test database, on a queue of its own."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DATABASE_URL": _database_url(), "REDIS_URL": redis_url}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "attract",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    try:
        yield process
    finally:
        celery_app.conf.task_default_queue = "celery"
        process.terminate()
        output, _ = process.communicate(timeout=30)
        print(output)


def wait_for(predicate, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_a_task_enqueued_on_commit_runs_on_a_real_worker(worker, recruiter):
    # given a worker on Redis; when a service commits a change that enqueues a task
    candidate, _ = candidate_create(
        by=recruiter,
        first_name="Solveig",
        last_name="Haugen",
        email="solveig@example.org",
        current_title="Platform engineer",
    )

    # then the worker's effect shows in PostgreSQL
    def refreshed():
        row = Candidate.objects.get(pk=candidate.pk)
        return row.search_refreshed_at is not None

    assert wait_for(refreshed), "the worker never refreshed the candidate's search document"
    stored = Candidate.objects.get(pk=candidate.pk).search_document
    assert "Solveig" in stored
    assert "solveig@example.org" in stored
    assert "Platform engineer" in stored


def test_every_beat_entry_names_a_registered_task_with_a_schedule_and_expiry():
    celery_app.loader.import_default_modules()
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule, "the beat schedule is empty"
    for name, entry in schedule.items():
        assert entry["task"] in celery_app.tasks, f"{name}: unknown task {entry['task']}"
        assert isinstance(entry["schedule"], crontab) or entry["schedule"].total_seconds() > 0
        assert entry["options"]["expires"] > 0, f"{name} could pile up while workers are down"


def test_celery_is_configured_for_safe_delivery():
    conf = celery_app.conf
    assert conf.task_acks_late
    assert conf.task_reject_on_worker_lost
    assert conf.worker_prefetch_multiplier == 1
    assert conf.accept_content == ["json"]
    assert conf.task_serializer == "json"
    assert conf.broker_transport_options["visibility_timeout"] > conf.task_time_limit
