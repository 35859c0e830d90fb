"""Candidate search on PostgreSQL: query times with and without the GIN index.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/attract_bench \\
        .venv/bin/python bench/bench_search.py [N]

The database must exist and be migrated (`createdb attract_bench`, then `manage.py migrate` with
the same DATABASE_URL; candidates 0003 adds the stored vector and its index). Creates N
candidates (default 50,000) inside one transaction, times what the search page runs (count and
first page of 25, through candidates.search.search_candidates) for a selective and a broad term,
drops the index (transactional DDL), times again, and rolls everything back: the database is
left as it was.
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "attract.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402

from attract.models import User  # noqa: E402
from candidates.models import Candidate  # noqa: E402
from candidates.search import SearchFilters, search_candidates  # noqa: E402

FIRST = [
    "Ada",
    "Alan",
    "Grace",
    "Linus",
    "Barbara",
    "Ken",
    "Margaret",
    "Dennis",
    "Frances",
    "Edsger",
]
LAST = ["Lovelace", "Turing", "Hopper", "Torvalds", "Liskov", "Thompson", "Hamilton", "Ritchie"]
TITLES = ["engineer", "designer", "analyst", "manager", "nurse", "teacher", "welder", "chef"]
WORDS = ["python", "java", "rust", "sales", "finance", "logistics", "oslo", "paris", "remote"]
RARE = "quixotic"  # in 1 row of 5,000
RUNS = 5


class Rolled(Exception):
    """Raised to roll the benchmark's transaction back."""


def make_candidates(n: int) -> None:
    rng = random.Random(42)
    batch = []
    for i in range(n):
        first, last, title = rng.choice(FIRST), rng.choice(LAST), rng.choice(TITLES)
        words = rng.sample(WORDS, 4) + ([RARE] if i % 5000 == 0 else [])
        document = f"{first} {last} {title} c{i}@example.org " + " ".join(words)
        batch.append(Candidate(first_name=first, last_name=last, current_title=title,
                               search_document=document))  # fmt: skip
        if len(batch) == 5000:
            Candidate.objects.bulk_create(batch)
            batch = []
    Candidate.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE candidates_candidate")


def page_query(user: User, term: str) -> tuple[int, float]:
    """Milliseconds (median of RUNS) for the count and the first page the search page shows."""
    timings, count = [], 0
    for _ in range(RUNS):
        started = time.perf_counter()
        qs = search_candidates(user, SearchFilters(q=term))
        count = qs.count()
        list(qs[:25])
        timings.append((time.perf_counter() - started) * 1000)
    return count, statistics.median(timings)


def uses_index(user: User, term: str) -> bool:
    return "candidate_search_vector_gin" in search_candidates(user, SearchFilters(q=term)).explain()


def measure(user: User, terms: list[str]) -> dict[str, tuple[int, float, bool]]:
    return {t: (*page_query(user, t), uses_index(user, t)) for t in terms}


def main() -> None:
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database: the index exists only there.")
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    user = User(username="bench", is_superuser=True, is_active=True)  # sees every candidate
    terms = [RARE, "welder python", "engineer"]
    try:
        with transaction.atomic():
            started = time.perf_counter()
            make_candidates(n)
            print(f"{n:,} candidates created in {time.perf_counter() - started:.1f} s")
            with_index = measure(user, terms)
            with connection.cursor() as cursor:
                cursor.execute("DROP INDEX candidate_search_vector_gin")
            without_index = measure(user, terms)
            raise Rolled
    except Rolled:
        pass
    print(f"{'term':<16}{'matches':>9}{'GIN ms':>9}{'no index ms':>13}{'ratio':>8}  rows plan")
    for term in terms:
        count, fast, used = with_index[term]
        _, slow, _ = without_index[term]
        plan = "GIN index" if used else "sequential scan"
        print(f"{term:<16}{count:>9,}{fast:>9.1f}{slow:>13.1f}{slow / fast:>8.1f}  {plan}")


if __name__ == "__main__":
    main()
