"""The career site's job list with 10,000 active jobs: requests per second against a baseline.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/attract_dev \\
        .venv/bin/python bench/bench_careers.py [JOBS] [REQUESTS]

The database must be migrated (`manage.py migrate` with the same DATABASE_URL; jobs 0003 adds
the partial index job_public_list_idx). Inside one transaction the script creates JOBS active
public jobs (default 10,000) with bulk_create, and their stages, then sends REQUESTS (default
200) requests per scenario through Django's test Client: the list's first page, a title and
location search, a filtered page, a deep page and a job page. The baseline, measured in the same
run, is the sign-in page: a template and a form, no query. Everything is rolled back at the end.
"""

import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "attract.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core import signals  # noqa: E402
from django.db import close_old_connections, connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from attract.models import User  # noqa: E402
from attract.selectors import organisation_get  # noqa: E402
from jobs.choices import EmploymentType, JobStatus, WorkplaceType  # noqa: E402
from jobs.models import Job, JobStage, ProcessTemplate  # noqa: E402
from jobs.public import public_job_list  # noqa: E402

TITLES = ["engineer", "designer", "analyst", "nurse", "teacher", "welder", "chef", "accountant"]
LEVELS = ["Junior", "Senior", "Lead", "Principal", "Staff", ""]
PLACES = [
    ("Oslo", "Oslo", "NO"),
    ("Bergen", "Vestland", "NO"),
    ("Berlin", "Berlin", "DE"),
    ("Munich", "Bavaria", "DE"),
    ("Paris", "Île-de-France", "FR"),
    ("Lyon", "Auvergne-Rhône-Alpes", "FR"),
    ("Austin", "Texas", "US"),
    ("Boston", "Massachusetts", "US"),
    ("Malmö", "Skåne", "SE"),
    ("Madrid", "Madrid", "ES"),
]
DESCRIPTION = "<p>" + "Join a team that builds things people use every day. " * 20 + "</p>"
BATCH = 2000


class Rolled(Exception):
    """Raised to roll the benchmark's transaction back."""


def make_jobs(n: int) -> str:
    """N active public jobs with their stages; returns one job's number for the job page."""
    rng = random.Random(42)
    poster = User.objects.create(username=f"bench-{time.time_ns()}", email="bench@example.org")
    template = ProcessTemplate.objects.prefetch_related("stages").get(is_default=True)
    now = timezone.now()
    for start in range(0, n, BATCH):
        jobs = [_job(i, rng, poster, template, now) for i in range(start, min(start + BATCH, n))]
        Job.objects.bulk_create(jobs)
        JobStage.objects.bulk_create(
            JobStage(job=job, name=s.name, kind=s.kind, position=s.position)
            for job in jobs
            for s in template.stages.all()
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE jobs_job")
        cursor.execute("ANALYZE jobs_jobstage")
    return f"B-{n // 2:06d}"


def _job(i: int, rng: random.Random, poster: User, template, now) -> Job:
    city, region, country = rng.choice(PLACES)
    title = f"{rng.choice(LEVELS)} {rng.choice(TITLES)} {i}".strip()
    return Job(
        number=f"B-{i:06d}",
        title=title.capitalize(),
        description=DESCRIPTION,
        city=city,
        region=region,
        country=country,
        workplace_type=rng.choice(WorkplaceType.values),
        employment_type=rng.choice(EmploymentType.values),
        status=JobStatus.ACTIVE,
        poster=poster,
        created_by=poster,
        template=template,
        activated_at=now - timezone.timedelta(minutes=i),
    )


def requests_per_second(client: Client, url: str, n: int) -> float:
    for _ in range(3):  # warm-up: templates compiled, connection ready
        assert client.get(url).status_code == 200, url
    started = time.perf_counter()
    for _ in range(n):
        response = client.get(url)
        assert response.status_code == 200, url
    return n / (time.perf_counter() - started)


def plan_uses_index() -> bool:
    page = public_job_list()[:20]
    return "job_public_list_idx" in page.explain()


def main() -> None:
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database: the figures are about PostgreSQL.")
    n_jobs = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    n_requests = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    settings.DEBUG = False  # no query log growing with every request
    # The test Client sends request signals; their connection clean-up would end the transaction.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    client = Client()
    try:
        with transaction.atomic():
            organisation_get()
            started = time.perf_counter()
            number = make_jobs(n_jobs)
            print(f"{n_jobs:,} active jobs created in {time.perf_counter() - started:.1f} s")
            print(f"first page uses job_public_list_idx: {plan_uses_index()}")
            report(client, number, n_jobs, n_requests)
            raise Rolled
    except Rolled:
        pass


def report(client: Client, number: str, n_jobs: int, n_requests: int) -> None:
    deep = max(1, n_jobs // 20 * 4 // 5)
    scenarios = {
        "baseline: sign-in page": "/accounts/login/",
        "list, first page": "/careers/",
        "list, search": "/careers/?q=senior+engineer&location=berlin",
        "list, filtered": "/careers/?country=DE&workplace_type=remote&employment_type=full_time",
        f"list, page {deep}": f"/careers/?page={deep}",
        "job page": f"/careers/{number}/",
    }
    baseline = 0.0
    print(f"{'scenario':<28}{'req/s':>9}{'ms/req':>9}{'vs baseline':>13}")
    for name, url in scenarios.items():
        rps = requests_per_second(client, url, n_requests)
        baseline = baseline or rps
        print(f"{name:<28}{rps:>9.0f}{1000 / rps:>9.1f}{rps / baseline:>13.2f}")


if __name__ == "__main__":
    main()
