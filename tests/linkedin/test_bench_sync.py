"""`python -m bench.sync` at a tiny size: both phases run end to end and LinkedIn never says 429."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.services
def test_the_sync_benchmark_runs_without_a_429():
    if not settings.REDIS_URL or not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("the benchmark needs PostgreSQL and Redis")
    command = [
        sys.executable, "-m", "bench.sync", "--applications", "60", "--events", "60",
        "--rate-scale", "1", "--pull-rate-scale", "500", "--redis-url", settings.REDIS_URL,
    ]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    push, pull = lines
    assert (push["phase"], push["rows_done"], push["rows_parked"]) == ("push", 60, 0)
    assert push["records"] >= 60 * 3  # candidates, applications and their stages
    assert (pull["phase"], pull["stored"], pull["status"]) == ("pull", 60, "ok")
    assert push["http_429"] == pull["http_429"] == 0
    assert push["busiest_minute"] <= push["minute_ceiling"]
    assert {"rss_start_mb", "rss_peak_mb", "rss_growth_mb"} <= set(pull)
