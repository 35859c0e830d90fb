"""Demo talent pools: three owned and shared by the team, plus the system LinkedIn pool."""

import random
from collections.abc import Callable

from attract.demo import data
from attract.demo.people import Person
from attract.models import User
from candidates.models import CandidateSource
from talentpools.models import TalentPool
from talentpools.services import linkedin_pool, pool_add_members, pool_create, pool_share

MAX_MEMBERS = 24
MEMBERS: dict[str, Callable[[Person], bool]] = {
    "Backend engineers — Nordics": lambda p: (
        p.family == "engineering" and p.country in ("NO", "SE") and "Graduate" not in p.tags
    ),
    "Graduates 2026": lambda p: "Graduate" in p.tags,
    "Commercial leaders": lambda p: p.family == "commercial",
}


def create_pools(
    users: dict[str, User], people: list[Person], rng: random.Random
) -> list[TalentPool]:
    pools = []
    for name, description, owner_key, shared_with in data.POOLS:
        owner = users[owner_key]
        pool = pool_create(by=owner, name=name, description=description)
        for key in shared_with:
            pool_share(pool=pool, by=owner, user=users[key])
        fits = [p.candidate for p in people if MEMBERS[name](p)]
        pool_add_members(
            pool=pool, by=owner, candidates=rng.sample(fits, k=min(MAX_MEMBERS, len(fits)))
        )
        pools.append(pool)
    # InMail stubs land in the system pool, as the LinkedIn sync would put them (SPEC 2.7).
    stubs = [p.candidate for p in people if p.source == CandidateSource.LINKEDIN_STUB]
    pool_add_members(pool=linkedin_pool(), by=None, candidates=stubs)
    return pools
