"""The LinkedIn limited-listings XML feed: the rules a job must pass and the streamed writer.

Reference: LINKEDIN.md 1.2-1.6 and 1.10 (element order and spelling follow the 1.10 skeleton).
A job that breaks a rule is left out with its reasons; it never breaks the feed for the others.
Rows are plain named tuples (see `FEED_COLUMNS` in linkedin/selectors_feed.py), so the writer
never touches the ORM and memory stays flat however many jobs stream through.
"""

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from email.utils import format_datetime
from functools import lru_cache
from typing import IO, Any, NamedTuple

import nh3
import pycountry
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from lxml import etree

from jobs.choices import EmploymentType, Industry, JobFunction, SalaryPeriod, Seniority
from jobs.choices import WorkplaceType as Workplace
from jobs.countries import country_name

PARTNER_JOB_ID_MAX = 40
DESCRIPTION_MIN = 100
# Reference: LINKEDIN.md 1.5 — anything else is stripped, its inner text kept.
LINKEDIN_TAGS = frozenset({"b", "strong", "u", "i", "br", "p", "ul", "li"})
WORKPLACE_TYPES = {
    Workplace.ON_SITE: "On-site",
    Workplace.HYBRID: "Hybrid",
    Workplace.REMOTE: "Remote",
}
JOB_TYPES = {
    EmploymentType.FULL_TIME: "FULL_TIME",
    EmploymentType.PART_TIME: "PART_TIME",
    EmploymentType.CONTRACT: "CONTRACT",
    # Guess: the feed's jobtype list has no TEMPORARY; a temporary job is a fixed-term contract.
    EmploymentType.TEMPORARY: "CONTRACT",
    EmploymentType.INTERNSHIP: "INTERNSHIP",
    EmploymentType.VOLUNTEER: "VOLUNTEER",
}
EXPERIENCE_LEVELS = {
    Seniority.INTERNSHIP: "INTERNSHIP",
    Seniority.ENTRY: "ENTRY_LEVEL",
    Seniority.ASSOCIATE: "ASSOCIATE",
    Seniority.MID_SENIOR: "MID_SENIOR_LEVEL",
    Seniority.DIRECTOR: "DIRECTOR",
    Seniority.EXECUTIVE: "EXECUTIVE",
}
SALARY_PERIODS = {
    SalaryPeriod.YEARLY: "YEARLY",
    SalaryPeriod.MONTHLY: "MONTHLY",
    SalaryPeriod.WEEKLY: "WEEKLY",
    SalaryPeriod.DAILY: "DAILY",
    SalaryPeriod.HOURLY: "HOURLY",
}
JOB_FUNCTIONS = frozenset(JobFunction.values)
INDUSTRY_CODES = frozenset(Industry.values)
CURRENCIES = frozenset(c.alpha_3 for c in pycountry.currencies)
# Guess: LINKEDIN.md 1.4 leaves the date format open; third-party feeds use MM/DD/YYYY.
DATE_FORMAT = "%m/%d/%Y"

# Characters XML 1.0 forbids (the Char production), lone surrogates included.
_ILLEGAL_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
# Tags of the editor that have a LinkedIn equivalent; nh3 then keeps the allowed ones only.
_EQUIVALENTS = (
    ("<em>", "<i>"),
    ("</em>", "</i>"),
    ("<ol>", "<ul>"),
    ("</ol>", "</ul>"),
    *((f"<h{n}>", "<p><b>") for n in (2, 3, 4)),
    *((f"</h{n}>", "</b></p>") for n in (2, 3, 4)),
)
_email = EmailValidator()


def xml_text(value: Any) -> str:
    """The value as text with every character XML 1.0 forbids removed."""
    return _ILLEGAL_XML.sub("", "" if value is None else str(value))


def clean_text(value: Any) -> str:
    # The common case, without the regex: printable text holds no character XML 1.0 forbids
    # (controls, surrogates and noncharacters are all non-printable).
    if value.__class__ is str and value.isprintable():
        return value.strip()
    return xml_text(value).strip()


def linkedin_description(raw: str) -> tuple[str, int]:
    """The description narrowed to LinkedIn's tags, and the length of its visible text."""
    text = xml_text(raw)
    for tag, equivalent in _EQUIVALENTS:
        if tag in text:
            text = text.replace(tag, equivalent)
    cleaned = nh3.clean(text, tags=set(LINKEDIN_TAGS), attributes={}).strip()
    return cleaned, visible_length(cleaned)


def visible_length(cleaned_html: str) -> int:
    """Characters of text a reader sees (tags dropped, entities decoded, spaces collapsed)."""
    return len(_SPACE.sub(" ", html.unescape(_TAG.sub(" ", cleaned_html))).strip())


@dataclass(frozen=True)
class Reason:
    rule: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"rule": self.rule, "message": self.message}


@dataclass(frozen=True)
class FeedContext:
    """What every job of one build shares."""

    company: str
    company_id: str
    apply_base: str  # the organisation's public site URL, without a trailing slash
    apply_path: str  # the career-site job path with "{number}" in place of the job number
    built_at: datetime
    publisher: str
    publisher_url: str

    def apply_url(self, number: str) -> str:
        return self.apply_base + self.apply_path.replace("{number}", number)


class Description(NamedTuple):
    html: str
    length: int


class FeedJob(NamedTuple):
    """The values of one <job>, in the element order of LINKEDIN.md 1.10."""

    partner_job_id: str
    company: str
    title: str
    description: str
    apply_url: str
    company_id: str
    location: str
    city: str
    state: str
    country: str
    postal_code: str
    workplace_type: str
    industry_code: str
    job_function: str
    experience_level: str
    job_type: str
    salary: tuple[str, str, str, str] | None  # high, low, currency, period
    list_date: str
    expiration_date: str
    poster_email: str


@dataclass
class Verdict:
    job: FeedJob | None
    reasons: list[Reason] = field(default_factory=list)


def check_job(row: Any, ctx: FeedContext, description: Description) -> Verdict:
    """The job's feed values, or the LinkedIn rules it breaks (LINKEDIN.md 1.3, 1.4, 1.6)."""
    reasons: list[Reason] = []
    number = clean_text(row.number)
    title = clean_text(row.title)
    poster_email = clean_text(row.poster_email)
    _check_mandatory(reasons, ctx, number, title, description, poster_email)
    apply_url = _check_apply_url(reasons, ctx, number)
    place = _check_location(reasons, row)
    enums = _check_enums(reasons, row)
    if reasons:
        return Verdict(None, reasons)
    listed_on = row.listed_on or ctx.built_at.astimezone(UTC).date()
    dates = (feed_date(listed_on), feed_date(row.expires_on) if row.expires_on else "")
    head = (number, ctx.company, title, description.html, apply_url, ctx.company_id)
    return Verdict(FeedJob._make((*head, *place, *enums, *dates, poster_email)))


def _check_mandatory(
    reasons: list[Reason],
    ctx: FeedContext,
    number: str,
    title: str,
    description: Description,
    poster_email: str,
) -> None:
    if (
        number
        and title
        and poster_email
        and ctx.company
        and ctx.company_id
        and len(number) <= PARTNER_JOB_ID_MAX
        and description.length >= DESCRIPTION_MIN
        and _valid_email(poster_email)
    ):
        return  # the common case: nothing to report
    for value, element, fix in (
        (number, "partnerJobId", "the job has no number"),
        (ctx.company, "company", "set the company name in the LinkedIn settings"),
        (title, "title", "give the job a title"),
        (ctx.company_id, "companyId", "set the LinkedIn company ID in the LinkedIn settings"),
        (poster_email, "posterEmail", "the job's poster needs an email address"),
    ):
        if not value:
            reasons.append(Reason("missing_field", f"{element} is missing: {fix}."))
    if len(number) > PARTNER_JOB_ID_MAX:
        reasons.append(
            Reason(
                "partner_job_id_too_long",
                f"partnerJobId {number!r} has {len(number)} characters; at most "
                f"{PARTNER_JOB_ID_MAX} are allowed.",
            )
        )
    if description.length < DESCRIPTION_MIN:
        reasons.append(
            Reason(
                "description_too_short",
                f"The description has {description.length} characters of text; LinkedIn needs "
                f"at least {DESCRIPTION_MIN}.",
            )
        )
    if poster_email and not _valid_email(poster_email):
        reasons.append(
            Reason("missing_field", f"posterEmail {poster_email!r} is not a valid email address.")
        )


@lru_cache(maxsize=4096)  # a few posters own most jobs
def _valid_email(value: str) -> bool:
    try:
        _email(value)
    except ValidationError:
        return False
    return True


def _check_apply_url(reasons: list[Reason], ctx: FeedContext, number: str) -> str:
    if not ctx.apply_base:
        reasons.append(
            Reason(
                "missing_field",
                "applyUrl is missing: set the organisation's public site URL (Company settings).",
            )
        )
        return ""
    url = ctx.apply_url(number)
    # Reference: LINKEDIN.md 1.4 — https only; [3P] https without "www" is accepted.
    if not url.startswith("https://"):
        reasons.append(
            Reason(
                "apply_url_not_https",
                f"The apply URL {url} is not https: the organisation's public site URL must "
                "start with https://.",
            )
        )
    return url


def _check_location(reasons: list[Reason], row: Any) -> tuple[str, str, str, str, str]:
    city, region = clean_text(row.city), clean_text(row.region)
    code = clean_text(row.country).upper()
    country = country_name(code) if code else ""
    if not city or not country:
        missing = " and ".join(
            what for what, ok in (("a city", city), ("a country", country)) if not ok
        )
        reasons.append(
            Reason("location_incomplete", f"The location needs {missing} (LinkedIn needs both).")
        )
    # Reference: LINKEDIN.md 1.4 — "City, State" in the US, "City, Country" elsewhere.
    location = f"{city}, {region}" if code == "US" and region else f"{city}, {country}"
    return location, city, region, code, clean_text(row.postal_code)


def _check_enums(reasons: list[Reason], row: Any) -> tuple[Any, ...]:
    workplace = _enum(reasons, WORKPLACE_TYPES, row.workplace_type, "workplaceTypes")
    industry = _member(reasons, INDUSTRY_CODES, row.industry, "industryCode")
    function = _member(reasons, JOB_FUNCTIONS, row.job_function, "jobFunction")
    level = _enum(reasons, EXPERIENCE_LEVELS, row.seniority, "experienceLevel")
    job_type = _enum(reasons, JOB_TYPES, row.employment_type, "jobtype")
    return workplace, industry, function, level, job_type, _salary(reasons, row)


def _enum(reasons: list[Reason], mapping: dict, value: Any, element: str) -> str:
    known = mapping.get(value)
    if known is not None:
        return known
    if value not in (None, ""):
        reasons.append(Reason("unknown_enum", f"{value!r} is not a LinkedIn {element} value."))
    return ""


def _member(reasons: list[Reason], allowed: frozenset, value: Any, element: str) -> str:
    if value in (None, ""):
        return ""
    if value not in allowed:
        reasons.append(Reason("unknown_enum", f"{value!r} is not a LinkedIn {element} code."))
        return ""
    return str(value)


def _salary(reasons: list[Reason], row: Any) -> tuple[str, str, str, str] | None:
    if not row.publish_salary or (row.salary_min is None and row.salary_max is None):
        return None
    currency = clean_text(row.salary_currency).upper()
    if currency not in CURRENCIES:
        reasons.append(Reason("unknown_enum", f"{currency!r} is not an ISO 4217 currency code."))
    period = _enum(reasons, SALARY_PERIODS, row.salary_period, "salary period")
    return _amount(row.salary_max), _amount(row.salary_min), currency, period


def _amount(value: Decimal | None) -> str:
    return "" if value is None else str(int(value.to_integral_value()))


# --- The writer


def cdata_parts(value: str) -> list[str]:
    """Pieces to write as consecutive CDATA sections: "a]]>b" → "a]]", ">b"."""
    if "]]>" not in value:
        return [value]
    pieces = value.split("]]>")
    return [pieces[0] + "]]", *(">" + p + "]]" for p in pieces[1:-1]), ">" + pieces[-1]]


def _cdata(xf: Any, tag: str, value: str) -> None:
    with xf.element(tag):
        for part in cdata_parts(value):
            xf.write(etree.CDATA(part))


def _plain(xf: Any, tag: str, value: str) -> None:
    with xf.element(tag):
        xf.write(value)


def write_job(xf: Any, job: FeedJob) -> None:
    """One <job> in the order of LINKEDIN.md 1.10; optional elements only when they have a value."""
    with xf.element("job"):
        for tag, value in zip(_MANDATORY_HEAD, job[:7], strict=True):
            _cdata(xf, tag, value)
        for tag, value in zip(_OPTIONAL_PLACE, job[7:12], strict=True):
            if value:
                _cdata(xf, tag, value)
        if job.industry_code:
            with xf.element("industryCodes"):
                _cdata(xf, "industryCode", job.industry_code)
        if job.job_function:
            with xf.element("jobFunctions"):
                _cdata(xf, "jobFunction", job.job_function)
        for tag, value in (("experienceLevel", job.experience_level), ("jobtype", job.job_type)):
            if value:
                _cdata(xf, tag, value)
        if job.salary:
            _write_salary(xf, job.salary)
        _cdata(xf, "listDate", job.list_date)
        if job.expiration_date:
            _cdata(xf, "expirationDate", job.expiration_date)
        _cdata(xf, "posterEmail", job.poster_email)


_MANDATORY_HEAD = (
    "partnerJobId",
    "company",
    "title",
    "description",
    "applyUrl",
    "companyId",
    "location",
)
_OPTIONAL_PLACE = ("city", "state", "country", "postalCode", "workplaceTypes")


def _write_salary(xf: Any, salary: tuple[str, str, str, str]) -> None:
    high, low, currency, period = salary
    with xf.element("salaries"), xf.element("salary"):
        for end, amount in (("highEnd", high), ("lowEnd", low)):
            if amount:
                with xf.element(end):
                    _cdata(xf, "amount", amount)
                    _plain(xf, "currencyCode", currency)  # plain text, as in LINKEDIN.md 1.10
        _cdata(xf, "period", period)
        _cdata(xf, "type", "BASE_SALARY")


# Room for any count up to 500,000 jobs and far beyond; the spaces are ignorable whitespace.
_COUNT_SLOT = 64
_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
SOURCE_START = b"<source>"


def _count_element(count: int) -> bytes:
    element = f"<expectedJobCount><![CDATA[{count}]]></expectedJobCount>".encode()
    return element.ljust(_COUNT_SLOT, b" ")


def rfc822(moment: datetime) -> str:
    """'Mon, 03 Mar 2025 06:00:00 GMT' (LINKEDIN.md 1.2)."""
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def _plain_element(tag: str, value: str) -> bytes:
    element = etree.Element(tag)
    element.text = xml_text(value)
    return etree.tostring(element, encoding="utf-8")


def feed_head(ctx: FeedContext, count: int) -> bytes:
    """Everything before the first <job>: the same length whatever the count, so the count,
    known only once the jobs are written, fills its slot without moving a byte."""
    parts = [_DECLARATION, SOURCE_START, _plain_element("lastBuildDate", rfc822(ctx.built_at))]
    if ctx.publisher_url:
        parts.append(_plain_element("publisherUrl", ctx.publisher_url))
    if ctx.publisher:
        parts.append(_plain_element("publisher", ctx.publisher))
    return b"".join([*parts, _count_element(count)])


def write_jobs(sink: Any, jobs: Iterable[FeedJob]) -> int:
    """Stream "<source>", every <job> and "</source>" into `sink`; returns the job count.

    The sink drops the leading "<source>": `feed_head` holds it (see `BodySink`).
    """
    count = 0
    with etree.xmlfile(sink, encoding="utf-8") as xf, xf.element("source"):
        for job in jobs:
            write_job(xf, job)
            count += 1
    return count


class BodySink:
    """A file-like object after `feed_head`: drops the "<source>" the writer opens with."""

    def __init__(self, write: Any):
        self._write = write
        self._pending = SOURCE_START

    def write(self, data: bytes) -> None:
        if self._pending:
            taken = data[: len(self._pending)]
            if not self._pending.startswith(bytes(taken)):
                raise ValueError("the body must start with <source>")
            self._pending, data = self._pending[len(taken) :], data[len(taken) :]
        if data:
            self._write(data)


def write_feed(fh: IO[bytes], ctx: FeedContext, jobs: Iterable[FeedJob]) -> int:
    """The whole feed into the seekable binary file `fh`, in one pass; returns the job count."""
    start = fh.tell()
    fh.write(feed_head(ctx, 0))
    count = write_jobs(BodySink(fh.write), jobs)
    end = fh.tell()
    fh.seek(start)
    fh.write(feed_head(ctx, count))
    fh.seek(end)
    return count


def check_head(head: bytes, count: int) -> None:
    """The final head parses and announces `count` jobs (the body was parsed on its own)."""
    root = etree.fromstring(head + b"</source>", etree.XMLParser(resolve_entities=False))
    if root.findtext("expectedJobCount") != str(count):
        raise etree.XMLSyntaxError("expectedJobCount does not match", None, 0, 0, None)


@lru_cache(maxsize=1024)
def feed_date(value: date) -> str:
    return value.strftime(DATE_FORMAT)
