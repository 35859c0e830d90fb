"""The LinkedIn feed build and serving, on PostgreSQL.

    .venv/bin/python -m bench.feed --sizes 1000,10000,100000 --serve-sizes 1000,10000

Works in a scratch database created beside the one of DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/attract_dev) and dropped at the end. For each size it adds
active, posted jobs with realistic 1-3 KB HTML descriptions (bulk_create), then prints one JSON
line:

- build_s: the median of the daily builds (eleven up to 10,000 jobs, five above) in a fresh
  child process, after a first one (first_build_s: every posting enters the feed, and the
  process starts its feed verifier) and the vacuum that follows it;
  the LinkedIn versions of the descriptions were prepared when the jobs were posted or saved,
  as the product's services do; peak_rss_mb the builds' peak resident memory, rss_growth_mb
  the growth over the child's state before the builds;
- floor_s: the median of as many bare lxml serialisations (same writer, same CDATA) of the
  same jobs already in memory, in the same child, each right after a build; ratio: the median
  of the build / floor ratios of those pairs (a slower minute of the machine slows both);
- backfill_build_s, backfill_ratio: a build that prepares every description itself (as after
  a bulk import that bypassed the services);
- feed_bytes, gzip_bytes.

For the serve sizes it starts gunicorn (2 sync workers, DEBUG off) on a free loopback port and
drives it with 16 client threads (http.client, bounded in requests and time): requests/s for a
full GET and a 304 of the feed and of a static file of the same bytes served by WhiteNoise in
the same gunicorn, and their ratios.
"""

import argparse
import json
import os
import random
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlsplit

from bench.scratch import admin_sql, scratch_url

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/attract_dev"
CLIENTS = 16
REPEATS, REPEATS_SMALL = 5, 11  # daily builds and floors per size (up to 10,000 jobs: 11)
WORDS = [
    "platform",
    "data",
    "customers",
    "team",
    "build",
    "reliable",
    "systems",
    "grid",
    "energy",
    "forecasting",
    "operators",
    "python",
    "django",
    "postgresql",
    "kubernetes",
    "product",
    "design",
    "research",
    "quality",
    "scale",
    "ownership",
    "mentoring",
    "roadmap",
    "delivery",
    "insight",
    "analytics",
    "pipelines",
    "weather",
    "meters",
    "field",
    "service",
    "growth",
    "partners",
    "security",
    "privacy",
    "accessibility",
    "testing",
    "automation",
    "monitoring",
    "on-call",
]
HEADINGS = ("What you will do", "What you bring", "What we offer", "About the team")


# --- Scratch database


def _setup_django(url: str, media: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_MEDIA_ROOT"] = media
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "attract.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# --- Rows


def description(rng: random.Random) -> str:
    """A job ad of about 1-3 KB: paragraphs, headings and lists, as the editor produces."""
    parts, target = [], rng.randint(1000, 3000)
    while sum(map(len, parts)) < target:
        kind = rng.random()
        if kind < 0.2:
            parts.append(f"<h3>{rng.choice(HEADINGS)}</h3>")
        elif kind < 0.5:
            items = "".join(f"<li>{_sentence(rng, 6)}</li>" for _ in range(rng.randint(3, 5)))
            parts.append(f"<ul>{items}</ul>")
        else:
            parts.append(f"<p>{_sentence(rng, 30)} <em>{_sentence(rng, 3)}</em> &amp; more.</p>")
    return "".join(parts)


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize()


def add_jobs(target: int, rng: random.Random) -> None:
    """Active, public, posted jobs until there are `target` of them."""
    from django.db import connection, transaction
    from django.utils import timezone

    from attract.models import User
    from jobs.models import Job
    from linkedin.models import LinkedInPosting

    poster = User.objects.get(username="bench")
    have = Job.objects.count()
    now = timezone.now()
    for start in range(have, target, 5000):
        with transaction.atomic():
            jobs = Job.objects.bulk_create(
                _job(i, poster, rng, now) for i in range(start, min(start + 5000, target))
            )
            LinkedInPosting.objects.bulk_create(_posting(job, poster, now) for job in jobs)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # what autovacuum does for a real table


def _posting(job, poster, now):
    """As "Post now" does: the LinkedIn version of the description is prepared then."""
    from linkedin.feed import linkedin_description
    from linkedin.models import LinkedInPosting

    html, length = linkedin_description(job.description)
    return LinkedInPosting(
        job=job,
        posted_by=poster,
        posted_at=now,
        feed_description=html,
        feed_description_length=length,
        feed_description_of=job.updated_at,
    )


def _job(i: int, poster, rng: random.Random, now):
    from jobs.models import Job

    city, region, country = rng.choice(
        [("Oslo", "", "NO"), ("Austin", "TX", "US"), ("Berlin", "", "DE"), ("Lyon", "", "FR")]
    )
    published = rng.random() < 0.5
    return Job(
        number=f"J-{i + 1:06d}",
        title=f"{_sentence(rng, 2)} engineer {i}",
        description=description(rng),
        city=city,
        region=region,
        country=country,
        postal_code="0150",
        workplace_type=rng.choice(["on_site", "hybrid", "remote"]),
        employment_type="full_time",
        seniority="mid_senior",
        job_function="eng",
        industry=4,
        salary_min=500000 if published else None,
        salary_max=700000 if published else None,
        salary_currency="NOK" if published else "",
        salary_period="yearly" if published else "",
        publish_salary=published,
        poster=poster,
        created_by=poster,
        status="active",
        activated_at=now,
    )


def prepare(url: str) -> None:
    from django.core.management import call_command

    from attract.models import Organisation, User
    from linkedin.models import LinkedInJobPostingSettings

    call_command("migrate", verbosity=0)
    User.objects.create_user("bench", email="bench@nordlys.example")
    Organisation.objects.update_or_create(
        pk=1,
        defaults={"company_name": "Nordlys", "public_site_url": "https://careers.nordlys.example"},
    )
    LinkedInJobPostingSettings.objects.update_or_create(
        pk=1, defaults={"company_id": "5551234", "enabled": True}
    )


# --- The child: one cold build, one warm build and the floor, in a fresh process


def child_build() -> dict:
    import gc

    from django.db import connection
    from django.urls import get_resolver

    from linkedin.models import LinkedInPosting
    from linkedin.services_feed_build import feed_build

    get_resolver().url_patterns  # loaded once per process, as in a running worker  # noqa: B018
    gc.collect()
    before = _rss_mb()
    started = time.perf_counter()
    feed_build(trigger="command")  # the first build: every posting enters the feed
    first_s = time.perf_counter() - started
    with connection.cursor() as cursor:
        # The daily build runs a day later: autovacuum has long since been through the new
        # jobs and the first build's update of every posting, and the checkpoint that follows
        # bulk writes is over (neither is busy during the builds).
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("CHECKPOINT")
    started = time.perf_counter()
    outcome = feed_build(trigger="command")
    builds, floors = [time.perf_counter() - started], []
    peak = _rss_mb()  # before any floor, which holds every job in memory
    floors.append(_floor())
    repeats = REPEATS if outcome.build.included > 10_000 else REPEATS_SMALL
    for _ in range(repeats - 1):  # builds and floors in turns: both see the same machine
        started = time.perf_counter()
        outcome = feed_build(trigger="command")
        builds.append(time.perf_counter() - started)
        floors.append(_floor())
    build_s, floor = statistics.median(builds), statistics.median(floors)
    ratio = statistics.median(b / f for b, f in zip(builds, floors, strict=True))
    LinkedInPosting.objects.update(feed_description_of=None)  # as after a bulk import
    started = time.perf_counter()
    backfill = feed_build(trigger="command")
    backfill_s = time.perf_counter() - started
    build = outcome.build
    return {
        "jobs": build.included,
        "build_s": round(build_s, 3),
        "floor_s": round(floor, 3),
        "ratio": round(ratio, 2),
        "build_runs_s": [round(b, 3) for b in builds],
        "floor_runs_s": [round(f, 3) for f in floors],
        "first_build_s": round(first_s, 3),
        "peak_rss_mb": round(peak, 1),
        "rss_growth_mb": round(peak - before, 1),
        "feed_bytes": build.bytes,
        "gzip_bytes": build.gzip_bytes,
        "excluded": build.excluded,
        "backfill_build_s": round(backfill_s, 3),
        "backfill_ratio": round(backfill_s / floor, 2),
        "backfill_included": backfill.build.included,
    }


def _rss_mb() -> float:
    """Peak resident memory of this process (VmHWM: unlike ru_maxrss it starts afresh at
    exec, so the parent's memory does not count)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _floor() -> float:
    """Serialise the same jobs, already in memory as final feed values, with the same writer."""
    from linkedin.feed import Description, check_job, write_feed
    from linkedin.selectors_feed import feed_context, feed_rows, posting_settings

    ctx = feed_context(posting_settings())
    jobs = [
        check_job(row, ctx, Description(row.cached, row.cached_length)).job for row in feed_rows()
    ]
    with tempfile.TemporaryFile() as fh:
        started = time.perf_counter()
        write_feed(fh, ctx, jobs)
        fh.flush()
        return time.perf_counter() - started


# --- Serving


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve_bench(url: str, media: str, requests_per_phase: int, seconds: float) -> dict:
    from django.core.files.storage import default_storage

    from linkedin.selectors_feed import posting_settings

    config = posting_settings()
    static_root = tempfile.mkdtemp(prefix="bench-static-")
    shutil.copyfile(default_storage.path(config.live_name), Path(static_root) / "same-feed.xml")
    port = free_port()
    server = _gunicorn(url, media, static_root, port)
    try:
        feed = f"/linkedin/feed/{config.feed_token}.xml"
        static = "/static/same-feed.xml"
        result = {"jobs": config.live_build.included, "bytes": config.live_bytes}
        for label, path in (("static", static), ("feed", feed)):
            etag = _get(port, path, {})[1]
            result[f"{label}_get_rps"] = _drive(port, path, {}, requests_per_phase, seconds)
            result[f"{label}_304_rps"] = _drive(
                port, path, {"If-None-Match": etag}, requests_per_phase * 4, seconds, 304
            )
        result["get_ratio"] = round(result["feed_get_rps"] / result["static_get_rps"], 2)
        result["304_ratio"] = round(result["feed_304_rps"] / result["static_304_rps"], 2)
        return result
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(static_root, ignore_errors=True)


def _gunicorn(url: str, media: str, static_root: str, port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_MEDIA_ROOT": media,
        "DJANGO_STATIC_ROOT": static_root,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "ATTRACT_LOG_LEVEL": "WARNING",
    }
    cmd = [
        str(Path(sys.executable).with_name("gunicorn")),
        "attract.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        "--workers=2",
        "--worker-class=sync",
        "--backlog=64",
        "--log-level=warning",
    ]
    server = subprocess.Popen(cmd, cwd=ROOT, env=env)
    for _ in range(100):
        try:
            _get(port, "/healthz", {})
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("gunicorn did not start")


def _get(port: int, path: str, headers: dict) -> tuple[int, str, int]:
    conn = HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"User-Agent": "bench.feed", **headers})
        response = conn.getresponse()
        size = len(response.read())
        return response.status, response.getheader("ETag", ""), size
    finally:
        conn.close()


def _drive(
    port: int, path: str, headers: dict, total: int, seconds: float, expect: int = 200
) -> float:
    """Requests per second at CLIENTS concurrent clients, bounded in count and time."""
    counter = iter(range(total))
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    done = [0]

    def client() -> None:
        while time.monotonic() < deadline:
            with lock:
                if next(counter, None) is None:
                    return
            status, _etag, _size = _get(port, path, headers)
            if status != expect:
                raise RuntimeError(f"{path}: {status}, expected {expect}")
            with lock:
                done[0] += 1

    started = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        for future in [pool.submit(client) for _ in range(CLIENTS)]:
            future.result()
    return round(done[0] / (time.perf_counter() - started), 1)


# --- Main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--serve-sizes", default="1000,10000")
    parser.add_argument("--requests", type=int, default=800, help="full GETs per phase")
    parser.add_argument("--seconds", type=float, default=20.0, help="time limit per phase")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _setup_django(os.environ["DATABASE_URL"], os.environ["DJANGO_MEDIA_ROOT"])
        print(json.dumps(child_build()))
        return
    base = os.environ.get("DATABASE_URL", DEFAULT_URL)
    url = scratch_url(base, "feed")
    name = urlsplit(url).path.lstrip("/")
    media = tempfile.mkdtemp(prefix="bench-feed-media-")
    admin_sql(base, f'CREATE DATABASE "{name}"')
    try:
        run(url, media, args)
    finally:
        from django.db import connections

        connections.close_all()
        admin_sql(base, f'DROP DATABASE IF EXISTS "{name}"')
        shutil.rmtree(media, ignore_errors=True)


def run(url: str, media: str, args: argparse.Namespace) -> None:
    _setup_django(url, media)
    prepare(url)
    rng = random.Random(2026)
    serve_sizes = {int(s) for s in args.serve_sizes.split(",") if s}
    for size in sorted(int(s) for s in args.sizes.split(",")):
        add_jobs(size, rng)
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_MEDIA_ROOT": media}
        out = subprocess.run(
            [sys.executable, "-m", "bench.feed", "--child", "build"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        if out.returncode:
            raise RuntimeError(f"the build child failed:\n{out.stderr}")
        line = json.loads(out.stdout.strip().splitlines()[-1])
        print(json.dumps({"size": size, **line}), flush=True)
        if size in serve_sizes:
            serving = serve_bench(url, media, args.requests, args.seconds)
            print(json.dumps({"size": size, "serving": serving}), flush=True)


if __name__ == "__main__":
    main()
