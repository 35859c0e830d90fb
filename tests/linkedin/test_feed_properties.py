"""Whatever recruiters type, the feed parses and every job in it abides by LinkedIn's rules.

Job texts are drawn by hypothesis (bounded, derandomised: the same examples on every run) from
control characters, "]]>", markup, emoji, right-to-left text and 1 MB descriptions, and written
straight to the database (no service cleaning first), then built and parsed back.
"""

import datetime
import gzip
import tempfile

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from jobs.choices import JobStatus
from jobs.models import Job
from jobs.services import next_job_number
from linkedin.feed_store import FeedPipeline
from linkedin.models import LinkedInPosting
from tests.linkedin.test_feed_support import *  # noqa: F403 - the shared fixtures
from tests.linkedin.test_feed_support import (
    assert_rule_abiding,
    build,
    live_bytes,
    parse,
)

pytestmark = pytest.mark.django_db

FRAGMENTS = [
    "]]>",
    "]]",
    "<![CDATA[",
    "<script>alert(1)</script>",
    "<p>",
    "</p>",
    "<b>bold</b>",
    "<li>",
    "<ul><li>item</li></ul>",
    "<a href='javascript:x'>link</a>",
    "<!-- comment -->",
    "&amp;",
    "&",
    "<",
    ">",
    "&#0;",
    "\x01",
    "\x08",
    "\x0b",
    "\x0c",
    "\x1f",
    "\x7f",
    "\ufffe",
    "\uffff",
    "\r\n",
    "\t",
    "😀",
    "👩🏽‍💻",
    "עברית",
    "مرحبا بالعالم",
    "\u202e",
    "\u200f",
    " ",
]
# PostgreSQL text cannot hold NUL and no driver stores lone surrogates: everything else goes.
CHARS = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")
PIECE = st.one_of(st.text(CHARS, max_size=12), st.sampled_from(FRAGMENTS))
TEXT = st.lists(PIECE, max_size=25).map("".join)


def short(limit: int):
    return TEXT.map(lambda value: value[:limit])


def huge(piece: str) -> str:
    """About 1 MB of description built from one drawn piece."""
    piece = piece or "x"
    return piece * (1_000_000 // len(piece) + 1)


JOB = st.fixed_dictionaries(
    {
        "title": short(200),
        "description": st.one_of(TEXT, TEXT.map(lambda t: "<p>" + t * 20 + "</p>")),
        "city": short(100),
        "region": short(100),
        "postal_code": short(20),
    }
)
HUGE_JOB = JOB.flatmap(
    lambda job: st.builds(lambda piece: {**job, "description": huge(piece)}, TEXT)
)


def create(recruiter, values: dict) -> Job:
    job = Job.objects.create(
        number=next_job_number(),
        country="NO",
        status=JobStatus.ACTIVE,
        poster=recruiter,
        created_by=recruiter,
        activated_at=timezone.now(),
        expires_on=timezone.localdate() + datetime.timedelta(days=30),
        **values,
    )
    LinkedInPosting.objects.create(job=job, posted_by=recruiter, posted_at=timezone.now())
    return job


def check(recruiter, jobs: list[dict]) -> None:
    created = [create(recruiter, values) for values in jobs]
    try:
        outcome = build()
        root, parsed = parse(live_bytes())
        assert root.tag == "source"
        assert int(root.findtext("expectedJobCount")) == len(parsed) == outcome.build.included
        assert outcome.build.included + outcome.build.excluded == len(created)
        for job in parsed:
            assert_rule_abiding(job)
        numbers = {job.number for job in created}
        assert {job["partnerJobId"] for job in parsed} <= numbers
        assert {entry["number"] for entry in outcome.build.report} <= numbers
    finally:
        Job.objects.filter(pk__in=[job.pk for job in created]).delete()


PROPERTY = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)


@PROPERTY
@given(jobs=st.lists(JOB, min_size=1, max_size=4))
def test_any_job_texts_give_a_feed_that_parses_and_abides_by_the_rules(feed_on, recruiter, jobs):
    check(recruiter, jobs)


@settings(PROPERTY, max_examples=4)
@given(job=HUGE_JOB)
def test_one_megabyte_descriptions_stay_well_formed(feed_on, recruiter, job):
    check(recruiter, [job])


def test_a_job_full_of_every_hazard_at_once_is_included_clean(feed_on, recruiter):
    hazards = "".join(FRAGMENTS)
    job = create(
        recruiter,
        {
            "title": ("Ingénieur ]]> " + hazards)[:200],
            "description": "<p>" + hazards * 5 + "</p>",
            "city": "Tromsø \x0b]]>",
        },
    )
    outcome = build()
    assert outcome.build.included == 1, outcome.build.report
    (parsed,) = parse(live_bytes())[1]
    assert_rule_abiding(parsed)
    assert parsed["partnerJobId"] == job.number
    assert parsed["title"].startswith("Ingénieur ]]> ]]")
    assert parsed["city"] == "Tromsø ]]>"
    assert "<script" not in parsed["description"] and "<a " not in parsed["description"]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.text(max_size=300), max_size=40),
    st.lists(st.integers(min_value=1, max_value=5000), min_size=1, max_size=8),
)
def test_the_gzip_copy_is_the_feed_however_the_body_arrives(texts, cuts):
    # given a head whose count is filled in last, and a body streamed in uneven pieces
    head = b'<?xml version="1.0" encoding="UTF-8"?>\n<source><n>0</n>  '
    final = b'<?xml version="1.0" encoding="UTF-8"?>\n<source><n>%d</n>' % len(texts)
    final = final.ljust(len(head), b" ")
    jobs = [etree.Element("job") for _ in texts]
    for element, text in zip(jobs, texts, strict=True):
        element.text = "".join(c for c in text if c.isprintable())
    body = b"".join(etree.tostring(e, encoding="utf-8") for e in jobs) + b"</source>"
    with tempfile.TemporaryFile() as fh, tempfile.NamedTemporaryFile() as gz:
        pipeline = FeedPipeline(fh, gz, head)
        start = 0
        for cut in [*cuts, len(body)]:
            pipeline.write(body[start : start + cut])
            start += cut
        pipeline.write(body[start:])
        pipeline.put_head(final)
        written = pipeline.finish()
        # then the feed file is the final head and the body, parsed back whole
        fh.seek(0)
        feed = fh.read()
        gz.seek(0)
        packed = gz.read()
    assert feed == final + body and written.bytes == len(feed)
    assert written.jobs_parsed == len(texts)
    # and the gzip copy (its CRC combined from the head's and the body's) is the same bytes
    assert gzip.decompress(packed) == feed and written.gzip_bytes == len(packed)
