"""Helpers of the LinkedIn reliability tests: real Celery worker processes (killed with their whole
process group), the sandbox's request log, an organisation connected to the sandbox, and run
locks held by another database connection."""

from __future__ import annotations

import ast
import contextlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.core.cache import cache
from django.db import connection, connections
from django.test import Client

from attract.celery import app as celery_app
from linkedin import locks, services_rsc
from linkedin.models_rsc import RecruiterConnection, RecruiterSeat
from linkedin.selectors_rsc import linkedin_tasks_allowed
from tests.linkedin.conftest import LinkedInSandbox
from tests.linkedin.test_rsc_views import connect_partner_ready

ROOT = Path(__file__).resolve().parents[2]
SUCCEEDED = re.compile(
    r"Task (?P<task>[\w.]+)\[[^\]]+\] succeeded in (?P<secs>[\d.e-]+)s: (?P<value>.*)$"
)


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    """A real `celery worker` process on its own queue, in a process group of its own."""

    def __init__(self, name: str, env: dict[str, str], pool: str = "solo") -> None:
        self.name = name
        self.queue = f"rel-{name}-{uuid.uuid4().hex[:8]}"
        command = [
            sys.executable, "-m", "celery", "-A", "attract", "worker", f"--pool={pool}",
            "--concurrency=1", "-Q", self.queue, "-n", f"{self.queue}@%h", "--without-gossip",
            "--without-mingle", "--without-heartbeat", "--loglevel=INFO",
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # its own process group: the pool's children die with it
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_ready(self, timeout: float = 40.0) -> None:
        ok = wait_for(lambda: any(" ready." in line for line in self.lines), timeout, 0.05)
        assert ok, f"worker {self.name} did not start:\n" + "\n".join(self.lines[-40:])

    def send(self, task: Any, *args: Any) -> None:
        task.apply_async(args=args, queue=self.queue)

    def results(self, task_name: str) -> list[tuple[float, Any]]:
        """(seconds, return value) of every finished run of the task, from the worker's log."""
        found = []
        for line in list(self.lines):
            match = SUCCEEDED.search(line)
            if match and match["task"] == task_name:
                found.append((float(match["secs"]), ast.literal_eval(match["value"])))
        return found

    def wait_results(self, task_name: str, count: int, timeout: float = 60.0) -> list:
        ok = wait_for(lambda: len(self.results(task_name)) >= count, timeout, 0.05)
        assert ok, f"{self.name}: {task_name} did not finish:\n" + "\n".join(self.lines[-40:])
        return self.results(task_name)

    def kill(self) -> None:
        """SIGKILL the worker's whole process group, as an OOM killer or a lost node would."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        self._reader.join(timeout=5)


def worker_env(sandbox: LinkedInSandbox, redis_url: str, **extra: str) -> dict[str, str]:
    """The environment of a worker: the test database, Redis, the sandbox, quick retries."""
    return {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": redis_url,
        "LINKEDIN_API_BASE_URL": sandbox.url,
        "LINKEDIN_OAUTH_BASE_URL": sandbox.url,
        "LINKEDIN_BACKOFF_BASE": "0.05",
        "LINKEDIN_BACKOFF_MAX": "0.2",
        "LINKEDIN_RATE_SCALE": "100",  # as the test process (tests/conftest.py)
        "PYTHONUNBUFFERED": "1",
        "ATTRACT_LOG_LEVEL": "INFO",
        **extra,
    }


@contextlib.contextmanager
def workers(sandbox: LinkedInSandbox, redis_url: str) -> Iterator[Callable[..., Worker]]:
    """Start workers on demand; every one is stopped at the end."""
    started: list[Worker] = []
    celery_app.conf.task_always_eager = False

    def start(name: str, pool: str = "solo", **extra: str) -> Worker:
        worker = Worker(name, worker_env(sandbox, redis_url, **extra), pool)
        started.append(worker)
        worker.wait_ready()
        return worker

    try:
        yield start
    finally:
        for worker in started:
            worker.stop()


def wait_for(predicate: Callable[[], bool], timeout: float = 60.0, every: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(every)
    return predicate()


# --- The sandbox's request log -------------------------------------------------------------------


def requests_log(sandbox: LinkedInSandbox, since: int = 0) -> list[dict[str, Any]]:
    response = sandbox.http.get(f"{sandbox.url}/_sandbox/requests", params={"since": since})
    response.raise_for_status()
    return list(response.json()["requests"])


def handled(log: list[dict[str, Any]], path: str, method: str = "PUT") -> list[dict[str, Any]]:
    """Requests LinkedIn itself answered (no injected fault) on exactly this path."""
    return [e for e in log if e["path"] == path and e["method"] == method and not e["fault"]]


def key_id(key_string: str) -> str:
    """Our id from a compound key string (`atsCandidateId=12&dataProvider=ATS&…`)."""
    return key_string.split("&", 1)[0].split("=", 1)[-1]


# --- An organisation connected to the sandbox ----------------------------------------------------


def connect(admin_user: Any, sandbox: LinkedInSandbox) -> RecruiterConnection:
    """Recruiter System Connect enabled at contract level, LinkedIn's status push handled."""
    admin = Client()
    admin.force_login(admin_user)
    connection_ = connect_partner_ready(admin, sandbox)
    [push] = sandbox.enable_integration(deliver=False)["pushes"]
    event, _ = services_rsc.push_record(
        connection=connection_, raw=push["body"].encode(), payload=push["payload"]
    )
    services_rsc.push_handle(event_id=event.pk)
    assert linkedin_tasks_allowed()
    return RecruiterConnection.objects.get()


def link_seat(sandbox: LinkedInSandbox, user: Any) -> RecruiterSeat:
    contract = RecruiterConnection.objects.get().contract_urn
    return RecruiterSeat.objects.create(
        seat_urn=sandbox.recruiter_seat, contract_urn=contract, user=user
    )


# --- Run locks held elsewhere --------------------------------------------------------------------


@contextlib.contextmanager
def held_elsewhere(name: str) -> Iterator[None]:
    """Another worker holds the run lock `name`: its own database connection (PostgreSQL) or
    the shared cache (elsewhere)."""
    if connection.vendor != "postgresql":
        assert cache.add(name, "another run", 60)
        try:
            yield
        finally:
            cache.delete(name)
        return
    other = connections.create_connection("default")
    number = locks.lock_id(name)
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [number])
            assert cursor.fetchone()[0]
        yield
    finally:
        # Unlocked before closing: the server frees a closed session's locks a moment later,
        # which would race the caller's next look at the lock.
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [number])
        other.close()


def lock_is_free(name: str) -> bool:
    with locks.run_lock(name, 1) as held:
        return held
