"""Shared set-up of the LinkedIn feed tests (imported by the other test_feed_* modules), and
`assert_rule_abiding`: every LinkedIn rule checked on a parsed <job>."""

import io
import re
import uuid

import pytest
from lxml import etree

from attract.services import organisation_update
from jobs.choices import Industry, JobFunction
from linkedin import feed_store
from linkedin.feed import DESCRIPTION_MIN, LINKEDIN_TAGS, PARTNER_JOB_ID_MAX, visible_length
from linkedin.models import BuildTrigger
from linkedin.selectors_feed import posting_settings
from linkedin.services_feed import linkedin_post, posting_settings_update
from linkedin.services_feed_build import feed_build

SITE = "https://careers.fjord.example"
COMPANY_ID = "1234567"
# Reference: LINKEDIN.md 1.10 — the order every <job> follows (optional ones may be absent).
JOB_ORDER = [
    "partnerJobId",
    "company",
    "title",
    "description",
    "applyUrl",
    "companyId",
    "location",
    "city",
    "state",
    "country",
    "postalCode",
    "workplaceTypes",
    "industryCodes",
    "jobFunctions",
    "experienceLevel",
    "jobtype",
    "salaries",
    "listDate",
    "expirationDate",
    "posterEmail",
]
HEADER_ORDER = ["lastBuildDate", "publisherUrl", "publisher", "expectedJobCount"]
MANDATORY = [
    "partnerJobId",
    "company",
    "title",
    "description",
    "applyUrl",
    "companyId",
    "location",
    "posterEmail",
]
ENUMS = {
    "workplaceTypes": {"On-site", "Hybrid", "Remote"},
    "experienceLevel": {
        "ENTRY_LEVEL",
        "MID_SENIOR_LEVEL",
        "DIRECTOR",
        "EXECUTIVE",
        "INTERNSHIP",
        "ASSOCIATE",
        "NOT_APPLICABLE",
    },
    "jobtype": {"FULL_TIME", "PART_TIME", "CONTRACT", "INTERNSHIP", "VOLUNTEER"},
}
_TAG = re.compile(r"</?([a-zA-Z0-9]+)[^>]*>")


@pytest.fixture(autouse=True)
def own_cache_keys(settings):
    """The real cache backend (Redis in CI), with keys no other test run on the machine shares:
    the build lock of a concurrent run must not make these tests flaky."""
    default = {**settings.CACHES["default"], "KEY_PREFIX": f"feedtest-{uuid.uuid4().hex}"}
    settings.CACHES = {**settings.CACHES, "default": default}


@pytest.fixture
def feed_on(admin_user):
    """Job posting switched on, with an https career site (the rules need it)."""
    organisation_update(by=admin_user, company_name="Fjord Analytics", public_site_url=SITE)
    return posting_settings_update(
        by=admin_user, company_name="", company_id=COMPANY_ID, enabled=True
    )


@pytest.fixture
def post(recruiter):
    def post_job(job, by=None):
        return linkedin_post(job=job, by=by or recruiter)

    return post_job


@pytest.fixture
def active_job(make_job, recruiter):
    """Make an active job (rita recruits it)."""
    from jobs.services import job_activate

    def make(**fields):
        job = make_job(**fields)
        job_activate(job=job, by=recruiter)
        return job

    return make


def build(trigger=BuildTrigger.COMMAND):
    return feed_build(trigger=trigger)


def live_bytes() -> bytes:
    name = posting_settings().live_name
    with feed_store.open_feed(name) as fh:
        return fh.read()


def parse(data: bytes) -> tuple[etree._Element, list[dict]]:
    """The feed's root and its jobs as {tag: text or [children]}, parsed strictly."""
    parser = etree.XMLParser(huge_tree=True, resolve_entities=False, strip_cdata=False)
    root = etree.parse(io.BytesIO(data), parser).getroot()
    return root, [job_dict(job) for job in root.findall("job")]


def job_dict(element) -> dict:
    values: dict = {"_order": [child.tag for child in element]}
    for child in element:
        values[child.tag] = child if len(child) else (child.text or "")
    return values


def feed_jobs(data: bytes | None = None) -> dict[str, dict]:
    _root, jobs = parse(data if data is not None else live_bytes())
    return {job["partnerJobId"]: job for job in jobs}


def assert_in_order(tags: list[str], order: list[str]) -> None:
    positions = [order.index(tag) for tag in tags]
    assert positions == sorted(positions), f"elements out of order: {tags}"
    assert len(set(tags)) == len(tags), f"repeated elements: {tags}"


def assert_rule_abiding(job: dict) -> None:
    """Every rule of LINKEDIN.md 1.3-1.6 on one parsed <job>."""
    assert_in_order(job["_order"], JOB_ORDER)
    for tag in MANDATORY:
        assert isinstance(job.get(tag), str) and job[tag].strip(), f"{tag} missing"
    assert len(job["partnerJobId"]) <= PARTNER_JOB_ID_MAX
    description = job["description"]
    assert visible_length(description) >= DESCRIPTION_MIN
    assert {t.lower() for t in _TAG.findall(description)} <= LINKEDIN_TAGS
    assert job["applyUrl"].startswith("https://")
    assert job["companyId"].isdigit()
    assert "@" in job["posterEmail"]
    if "country" in job:
        assert re.fullmatch(r"[A-Z]{2}", job["country"])
    assert job.get("city", "x").strip()
    for tag, allowed in ENUMS.items():
        if tag in job:
            assert job[tag] in allowed, f"{tag}={job[tag]!r}"
    if "industryCodes" in job:
        assert {int(c.text) for c in job["industryCodes"]} <= set(Industry.values)
    if "jobFunctions" in job:
        assert {c.text for c in job["jobFunctions"]} <= set(JobFunction.values)
