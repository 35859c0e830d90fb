"""Demo candidates: realistic Nordic and European people, made with a seeded Faker."""

import random
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from faker import Faker

from attract.demo import data
from attract.demo.jobs import JobCast
from attract.models import User
from candidates.models import Candidate, CandidateSource
from candidates.services import candidate_create
from jobs.choices import Seniority

SOURCE_WEIGHTS = {
    CandidateSource.CAREER_SITE: 40,
    CandidateSource.LINKEDIN_EXPORT: 18,
    CandidateSource.REFERRAL: 12,
    CandidateSource.MANUAL: 12,
    CandidateSource.IMPORT: 10,
    CandidateSource.LINKEDIN_STUB: 8,
}
LINKEDIN_SOURCES = (CandidateSource.LINKEDIN_EXPORT, CandidateSource.LINKEDIN_STUB)
_FOLD = str.maketrans({"ø": "o", "æ": "ae", "ß": "ss", "œ": "oe", "ł": "l", "đ": "d"})


@dataclass
class Person:
    index: int
    first_name: str
    last_name: str
    phone: str
    city: str
    country: str
    family: str
    title: str
    company: str
    source: str
    tags: list[str]
    created: datetime | None = None
    candidate: Candidate | None = None

    @property
    def slug(self) -> str:
        return f"{ascii_slug(self.first_name)}.{ascii_slug(self.last_name)}"

    @property
    def email(self) -> str:
        return f"{self.slug}.{self.index}@example.org"


def ascii_slug(text: str) -> str:
    """'Sørensen' -> 'sorensen', 'van Dijk' -> 'van-dijk': names made safe for addresses."""
    folded = unicodedata.normalize("NFKD", text.lower().translate(_FOLD))
    plain = folded.encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or "x"


class PersonMaker:
    """Makes the same people on every run: Faker and random are seeded per instance."""

    def __init__(self, rng: random.Random, seed: int):
        self.rng = rng
        # One proxy for all locales; seed_instance keeps the global Faker seed of other users
        # (factory_boy in the tests) untouched while making this sequence reproducible.
        self.fake = Faker(sorted(set(data.LOCALES.values())))
        self.fake.seed_instance(seed)

    def make(self, index: int, cast: JobCast) -> Person:
        rng = self.rng
        country = cast.spec.country if rng.random() < 0.6 else self._pick(data.COUNTRY_WEIGHTS)
        fake = self.fake[data.LOCALES[country]]
        family = cast.spec.family
        person = Person(
            index=index,
            first_name=fake.first_name(),
            last_name=fake.last_name(),
            phone=fake.phone_number(),
            city=rng.choice(data.CITIES[country]),
            country=country,
            family=family,
            title=rng.choice(data.TITLES[family]),
            company=rng.choice(data.COMPANIES) if rng.random() < 0.6 else fake.company(),
            source=self._pick(SOURCE_WEIGHTS),
            tags=self._tags(family),
        )
        if cast.spec.seniority == Seniority.INTERNSHIP:
            person.title, person.tags = "MSc student, Computer Science", [*person.tags, "Graduate"]
        return person

    def _pick(self, weights: dict) -> str:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def _tags(self, family: str) -> list[str]:
        pool = [t for t in data.TAGS[family] if t != "Graduate"]
        tags = self.rng.sample(pool, k=self.rng.choice((0, 1, 1, 2)))
        if self.rng.random() < 0.25:
            tags.append(self.rng.choice(data.COMMON_TAGS))
        return tags


def create_candidate(person: Person, *, recruiter: User, privacy_notice: str) -> Candidate:
    """Career-site applicants come in by themselves (by=None) with consent; others are sourced."""
    fields = {}
    if person.source == CandidateSource.CAREER_SITE:
        fields = {
            "consent_given_at": person.created,
            "consent_text": privacy_notice,
            "retention_until": (person.created + timedelta(days=730)).date(),
        }
    if person.source in LINKEDIN_SOURCES:
        slug = person.slug.replace(".", "-")
        fields["linkedin_url"] = f"https://www.linkedin.com/in/{slug}-{person.index:04x}"
    candidate, _ = candidate_create(
        by=None if person.source == CandidateSource.CAREER_SITE else recruiter,
        first_name=person.first_name,
        last_name=person.last_name,
        email=person.email,
        phones=[person.phone],
        source=person.source,
        tags=person.tags,
        city=person.city,
        country=person.country,
        current_title=person.title,
        current_company=person.company,
        **fields,
    )
    person.candidate = candidate
    return candidate
