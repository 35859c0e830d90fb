"""Candidate search: free text and filters over the candidates a user may see.

On PostgreSQL the text is matched against `search_vector`, a stored tsvector of
`Candidate.search_document` with a GIN index (migration 0003), and ranked by `ts_rank`. SQLite has
no full-text column: every word must then appear in `search_document` (`icontains`).
"""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Exists, OuterRef, QuerySet

from attract.access import applications_visible_to, candidates_visible_to, pools_visible_to
from attract.models import User
from candidates.models import Candidate, Tag
from jobs.models import Job, JobStage
from talentpools.models import TalentPool, TalentPoolMember

MAX_WORDS = 20
_VECTOR = '"candidates_candidate"."search_vector"'
_TSQUERY = "websearch_to_tsquery('simple', %s)"
NAME_ORDER = ("last_name", "first_name", "id")


@dataclass(frozen=True)
class SearchFilters:
    q: str = ""
    job: Job | None = None
    stage: JobStage | None = None
    source: str = ""
    tag: Tag | None = None
    pool: TalentPool | None = None


def search_candidates(user: User, filters: SearchFilters) -> QuerySet[Candidate]:
    """Candidates the user may see matching the text and every filter, best match first."""
    qs = _filtered(user, candidates_visible_to(user), filters)
    qs = qs.prefetch_related("tags", "emails")
    text = " ".join(filters.q.split()[:MAX_WORDS])
    if not text:
        return qs.order_by(*NAME_ORDER)
    if connection.vendor == "postgresql":
        return _full_text(qs, text)
    return _contains_every_word(qs, text)


def _filtered(user: User, qs: QuerySet[Candidate], f: SearchFilters) -> QuerySet[Candidate]:
    if f.job is not None or f.stage is not None:
        # Only applications the user may see: an interviewer's filter cannot reveal other jobs.
        applications = applications_visible_to(user).filter(candidate=OuterRef("pk"))
        if f.job is not None:
            applications = applications.filter(job=f.job)
        if f.stage is not None:
            applications = applications.filter(stage=f.stage)
        qs = qs.filter(Exists(applications))
    if f.pool is not None:
        members = TalentPoolMember.objects.filter(
            candidate=OuterRef("pk"),
            pool=f.pool,
            pool__in=pools_visible_to(user).values("pk"),
        )
        qs = qs.filter(Exists(members))
    if f.source:
        qs = qs.filter(source=f.source)
    if f.tag is not None:
        qs = qs.filter(
            Exists(Candidate.tags.through.objects.filter(candidate=OuterRef("pk"), tag=f.tag))
        )
    return qs


def _full_text(qs: QuerySet[Candidate], text: str) -> QuerySet[Candidate]:
    # The WHERE uses the GIN index; ts_rank only runs on the rows that match. The SQL is constant
    # and the user's text only ever travels as a parameter.
    return qs.extra(  # noqa: S610
        select={"search_rank": f"ts_rank({_VECTOR}, {_TSQUERY})"},
        select_params=[text],
        where=[f"{_VECTOR} @@ {_TSQUERY}"],
        params=[text],
    ).order_by("-search_rank", *NAME_ORDER)


def _contains_every_word(qs: QuerySet[Candidate], text: str) -> QuerySet[Candidate]:
    for word in text.split():
        qs = qs.filter(search_document__icontains=word.strip("\"'"))
    return qs.order_by(*NAME_ORDER)
