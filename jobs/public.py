"""Reads of the public career site and the job's schema.org JobPosting data.

A job is public while it is active, not internal-only and not past its expiry date; everything
else answers 404 on the career site.
"""

import datetime
import json
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from jobs.choices import EmploymentType, JobStatus, SalaryPeriod, WorkplaceType
from jobs.countries import country_choices, country_name
from jobs.models import Job

# Columns the list rows show; the description stays out of a 10,000-row table's pages.
LIST_COLUMNS = (
    "number",
    "title",
    "city",
    "region",
    "country",
    "workplace_type",
    "employment_type",
    "activated_at",
)
EMPLOYMENT_TYPES: dict[str, str] = {
    EmploymentType.FULL_TIME: "FULL_TIME",
    EmploymentType.PART_TIME: "PART_TIME",
    EmploymentType.CONTRACT: "CONTRACTOR",
    EmploymentType.TEMPORARY: "TEMPORARY",
    EmploymentType.INTERNSHIP: "INTERN",
    EmploymentType.VOLUNTEER: "VOLUNTEER",
}
SALARY_UNITS: dict[str, str] = {
    SalaryPeriod.YEARLY: "YEAR",
    SalaryPeriod.MONTHLY: "MONTH",
    SalaryPeriod.WEEKLY: "WEEK",
    SalaryPeriod.DAILY: "DAY",
    SalaryPeriod.HOURLY: "HOUR",
}
# Inside <script> only '<', '>' and '&' could end the data block or open markup; the quote is
# escaped too, so no scanner ever mistakes user text in the block for an attribute.
_SCRIPT_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    ord("'"): "\\u0027",
}


def public_jobs() -> QuerySet[Job]:
    """Active, public, unexpired jobs (partial index job_public_list_idx)."""
    return Job.objects.filter(public_q())


def public_q(prefix: str = "") -> Q:
    """The condition of `public_jobs`, for a job reached through `prefix` ("job__")."""
    today = timezone.localdate()
    return Q(
        Q(**{f"{prefix}status": JobStatus.ACTIVE, f"{prefix}internal_only": False}),
        Q(**{f"{prefix}expires_on__isnull": True}) | Q(**{f"{prefix}expires_on__gte": today}),
    )


def public_job_list(
    *,
    q: str = "",
    location: str = "",
    workplace_type: str = "",
    employment_type: str = "",
    country: str = "",
) -> QuerySet[Job]:
    """The career site's list, newest first: search by title and location, three filters."""
    qs = public_jobs().only(*LIST_COLUMNS)
    for word in q.split():
        qs = qs.filter(title__icontains=word)
    if location.strip():
        qs = qs.filter(_location_matches(location.strip()))
    if workplace_type:
        qs = qs.filter(workplace_type=workplace_type)
    if employment_type:
        qs = qs.filter(employment_type=employment_type)
    if country:
        qs = qs.filter(country=country)  # job_location_idx
    return qs.order_by("-activated_at", "-id")


def _location_matches(text: str) -> Q:
    """City or region containing the text, or a country whose name (or code) it names."""
    codes = countries_named(text)
    match = Q(city__icontains=text) | Q(region__icontains=text)
    return match | Q(country__in=codes) if codes else match


def countries_named(text: str) -> list[str]:
    """Codes of countries whose name, or a word of it, starts with the text; or the code itself."""
    needle = text.strip().lower()
    if not needle:
        return []
    codes = []
    for code, name in country_choices():
        lowered = name.lower()
        words = lowered.replace(",", " ").split()
        if (
            needle == code.lower()
            or lowered.startswith(needle)
            or any(w.startswith(needle) for w in words if len(needle) > 2)
        ):
            codes.append(code)
    return codes


def public_countries() -> list[tuple[str, str]]:
    """(code, name) of the countries that have public jobs, by name: the country filter."""
    codes = public_jobs().order_by().values_list("country", flat=True).distinct()
    return sorted(((c, country_name(c) or c) for c in codes), key=lambda item: item[1])


def public_job_get(number: str) -> Job:
    """The public job with this number, or 404 (draft, closed, internal or expired alike)."""
    job = public_jobs().filter(number=number).first()
    if job is None:
        raise Http404("No such job is open.")
    return job


def location_text(job: Job) -> str:
    """'Oslo, Oslo, Norway'; a remote job says where its applicants must live."""
    country = country_name(job.country) or job.country
    if job.workplace_type == WorkplaceType.REMOTE:
        return f"Remote ({country})"
    return ", ".join(p for p in (job.city, job.region, country) if p)


def salary_text(job: Job) -> str:
    """'600,000 to 800,000 NOK per year' when the salary is published, else ''."""
    if not job.publish_salary or (job.salary_min is None and job.salary_max is None):
        return ""
    amounts = " to ".join(_amount(v) for v in (job.salary_min, job.salary_max) if v is not None)
    if job.salary_min is None:
        amounts = f"up to {amounts}"
    elif job.salary_max is None:
        amounts = f"from {amounts}"
    period = job.get_salary_period_display() if job.salary_period else ""
    return " ".join(p for p in (amounts, job.salary_currency.upper(), period) if p)


def _amount(value: Decimal) -> str:
    return f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"


# --- schema.org JobPosting (Google's required and recommended properties)


def job_posting_data(job: Job, organisation: Any, *, base_url: str, logo_url: str = "") -> dict:
    """The JobPosting object for the job page; `base_url` is the site root, no trailing slash."""
    data: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": job.title,
        "description": job.description,
        "identifier": {
            "@type": "PropertyValue",
            "name": organisation.company_name,
            "value": job.number,
        },
        "datePosted": _date_posted(job),
        "hiringOrganization": _organisation(organisation, logo_url),
        "employmentType": EMPLOYMENT_TYPES.get(job.employment_type),
        "directApply": True,
        "url": base_url + reverse("careers:job", args=[job.number]),
    }
    data.update(_where(job))
    if job.expires_on:
        data["validThrough"] = _end_of_day(job.expires_on)
    salary = _base_salary(job)
    if salary:
        data["baseSalary"] = salary
    return {key: value for key, value in data.items() if value is not None}


def job_posting_jsonld(
    job: Job, organisation: Any, *, base_url: str, logo_url: str = ""
) -> SafeString:
    """The JobPosting as JSON safe to place inside <script type="application/ld+json">."""
    data = job_posting_data(job, organisation, base_url=base_url, logo_url=logo_url)
    text = json.dumps(data, ensure_ascii=False, indent=None).translate(_SCRIPT_ESCAPES)
    # Safe: no '<', '>', '&' or ' is left, so nothing can close the data block or start markup.
    return mark_safe(text)  # noqa: S308


def _date_posted(job: Job) -> str:
    posted = job.activated_at or job.created_at
    return timezone.localtime(posted).date().isoformat()


def _end_of_day(day: datetime.date) -> str:
    end = datetime.datetime.combine(day, datetime.time(23, 59, 59))
    return timezone.make_aware(end).isoformat()


def _organisation(organisation: Any, logo_url: str) -> dict:
    data = {"@type": "Organization", "name": organisation.company_name}
    if organisation.public_site_url:
        data["sameAs"] = organisation.public_site_url
    if logo_url:
        data["logo"] = logo_url
    return data


def _where(job: Job) -> dict:
    if job.workplace_type == WorkplaceType.REMOTE:
        return {
            "jobLocationType": "TELECOMMUTE",
            "applicantLocationRequirements": {
                "@type": "Country",
                "name": country_name(job.country) or job.country,
            },
        }
    address = {
        "@type": "PostalAddress",
        "addressLocality": job.city,
        "addressRegion": job.region,
        "postalCode": job.postal_code,
        "addressCountry": job.country,
    }
    return {
        "jobLocation": {
            "@type": "Place",
            "address": {key: value for key, value in address.items() if value},
        }
    }


def _base_salary(job: Job) -> dict | None:
    if not job.publish_salary or (job.salary_min is None and job.salary_max is None):
        return None
    value: dict[str, Any] = {
        "@type": "QuantitativeValue",
        "unitText": SALARY_UNITS.get(job.salary_period),
    }
    if job.salary_min is not None:
        value["minValue"] = _number(job.salary_min)
    if job.salary_max is not None:
        value["maxValue"] = _number(job.salary_max)
    return {"@type": "MonetaryAmount", "currency": job.salary_currency.upper(), "value": value}


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)
