"""The public career site (SPEC 1 "Career site"): the job list with its search, filters and pages,
the job page with its schema.org JobPosting, and a 404 for every job that is not public.

Nobody signs in here: `client` is an anonymous job seeker.
"""

import datetime
import io
import json
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from PIL import Image

from attract.services import organisation_update
from jobs.choices import CloseReason, JobStatus
from jobs.models import Job
from jobs.services import job_activate, job_close
from tests.xss import PAYLOADS, assert_inert

JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)
NON_PUBLIC = ["draft", "pending_approval", "approved", "rejected", "closed", "internal", "expired"]


def list_url(**params) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("careers:list") + (f"?{query}" if query else "")


def titles(response) -> list[str]:
    return [job.title for job, _ in response.context["page_obj"].object_list]


def logo_upload() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "navy").save(buffer, "PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


def jsonld(html: str) -> dict:
    blocks = JSONLD.findall(html)
    assert len(blocks) == 1
    return json.loads(blocks[0])


@pytest.fixture
def non_public_job(make_job, make_public_job, recruiter):
    """A job in one of the states the career site never shows."""

    def make(kind: str) -> Job:
        if kind == "draft":
            return make_job(title="Draft role")
        if kind == "internal":
            return make_public_job(title="Internal role", internal_only=True)
        job = make_public_job(title=f"{kind} role")
        if kind == "closed":
            return job_close(job=job, by=recruiter, reason=CloseReason.CANCELLED)
        if kind == "expired":
            # Time passing: the expiry date was in the future when the job was activated.
            Job.objects.filter(pk=job.pk).update(
                expires_on=timezone.localdate() - datetime.timedelta(days=1)
            )
        else:
            # The approval states; reaching them through the approval flow is tests/jobs' part.
            Job.objects.filter(pk=job.pk).update(status=kind)
        job.refresh_from_db()
        return job

    return make


# --- The list


def test_the_list_shows_only_active_public_unexpired_jobs(client, make_public_job, non_public_job):
    # given one public job, one expiring today (still open) and one of every other kind
    make_public_job(title="Open role")
    make_public_job(title="Last day role", expires_on=timezone.localdate())
    for kind in NON_PUBLIC:
        non_public_job(kind)

    # when a job seeker opens the career site
    response = client.get(list_url())

    # then only the open ones are listed, newest first
    assert response.status_code == 200
    assert titles(response) == ["Last day role", "Open role"]
    html = response.content.decode()
    assert "2 open positions" in html
    assert reverse("careers:job", args=[Job.objects.get(title="Open role").number]) in html


def test_each_row_shows_title_location_types_and_posted_date(client, make_public_job):
    job = make_public_job(
        title="Nurse", city="Bergen", region="Vestland", workplace_type="hybrid",
        employment_type="part_time",
    )  # fmt: skip
    html = client.get(list_url()).content.decode()
    assert f'href="{reverse("careers:job", args=[job.number])}">Nurse</a>' in html
    assert "Bergen, Vestland, Norway" in html
    assert "Hybrid" in html
    assert "Part-time" in html
    assert f'<time datetime="{timezone.localdate(job.activated_at):%Y-%m-%d}">' in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "python"}, ["Python developer"]),
        ({"q": "DEVELOPER"}, ["Python developer", "Go developer"]),
        ({"q": "go+developer"}, ["Go developer"]),
        ({"location": "bergen"}, ["Go developer"]),
        ({"location": "Vestland"}, ["Go developer"]),
        ({"location": "sweden"}, ["Nurse"]),
        ({"location": "SE"}, ["Nurse"]),
        ({"location": "Norway"}, ["Python developer", "Go developer"]),
        ({"workplace_type": "remote"}, ["Nurse"]),
        ({"employment_type": "contract"}, ["Go developer"]),
        ({"country": "NO"}, ["Python developer", "Go developer"]),
        ({"country": "NO", "workplace_type": "on_site"}, ["Python developer"]),
        ({"q": "chef"}, []),
    ],
)
def test_search_by_title_and_location_and_filter_by_type_and_country(
    client, make_public_job, params, expected
):
    make_public_job(title="Nurse", city="Malmö", country="SE", workplace_type="remote")
    make_public_job(
        title="Go developer",
        city="Bergen",
        region="Vestland",
        employment_type="contract",
        workplace_type="hybrid",
    )
    make_public_job(title="Python developer", city="Oslo")
    response = client.get(list_url(**params))
    assert sorted(titles(response)) == sorted(expected)


def test_a_tampered_filter_is_ignored_rather_than_failing(client, make_public_job):
    make_public_job(title="Nurse")
    response = client.get(list_url(workplace_type="moon", country="XX", page="abc"))
    assert response.status_code == 200
    assert titles(response) == ["Nurse"]


def test_the_country_filter_offers_only_countries_with_public_jobs(
    client, make_public_job, non_public_job
):
    make_public_job(title="Nurse", city="Malmö", country="SE")
    make_public_job(title="Cook", city="Oslo", country="NO", internal_only=True)
    choices = client.get(list_url()).context["form"].fields["country"].choices
    assert choices == [("", "Any"), ("SE", "Sweden")]


def test_the_list_pages_by_twenty_and_keeps_the_search(client, make_public_job):
    for i in range(23):
        make_public_job(title=f"Engineer {i:02d}")

    first = client.get(list_url(q="engineer"))
    second = client.get(list_url(q="engineer", page=2))

    assert len(titles(first)) == 20
    assert titles(second) == ["Engineer 02", "Engineer 01", "Engineer 00"]
    assert "Page 1 of 2" in first.content.decode()
    assert 'href="?q=engineer&amp;page=2"' in first.content.decode()


def test_htmx_gets_only_the_results(client, make_public_job):
    make_public_job(title="Nurse")
    response = client.get(list_url(q="nurse"), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "Nurse" in html
    assert "<html" not in html
    assert 'role="search"' not in html


@pytest.mark.parametrize("rows", [3, 30])
def test_the_list_runs_the_same_four_queries_for_3_and_30_jobs(
    client, make_public_job, django_assert_num_queries, rows
):
    for i in range(rows):
        make_public_job(title=f"Role {i}")
    # 1 organisation (context processor), 2 countries with public jobs (filter choices),
    # 3 count of matching jobs (paginator), 4 the page's rows. No session: nobody signs in.
    with django_assert_num_queries(4):
        response = client.get(list_url(q="role"))
    assert len(titles(response)) == min(rows, 20)


# --- The job page


def test_the_job_page_shows_the_job_and_an_apply_link(client, make_public_job):
    job = make_public_job(
        title="Data engineer", city="Bergen", region="Vestland", postal_code="5003",
        seniority="mid_senior", employment_type="full_time", workplace_type="hybrid",
        salary_min=Decimal(600000), salary_max=Decimal(800000), salary_currency="NOK",
        salary_period="yearly", publish_salary=True,
        description="<p>Pipelines and <strong>warehouses</strong>.</p>",
    )  # fmt: skip
    response = client.get(reverse("careers:job", args=[job.number]))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 id="job-title">Data engineer</h1>' in html
    assert "Bergen, Vestland, Norway" in html
    assert "Mid-senior level" in html
    assert "600,000 to 800,000 NOK per year" in html
    assert "<p>Pipelines and <strong>warehouses</strong>.</p>" in html
    assert f'href="{reverse("careers:apply", args=[job.number])}"' in html


def test_an_unpublished_salary_stays_off_the_page(client, make_public_job):
    job = make_public_job(
        salary_min=Decimal(600000), salary_max=Decimal(800000), salary_currency="NOK",
        salary_period="yearly", publish_salary=False,
    )  # fmt: skip
    html = client.get(reverse("careers:job", args=[job.number])).content.decode()
    assert "600,000" not in html
    assert "600000" not in html
    assert "baseSalary" not in html


def test_career_pages_have_their_own_frame_without_staff_navigation(
    client, make_public_job, admin_user
):
    organisation_update(by=admin_user, company_name="Fjord Health", logo=logo_upload())
    job = make_public_job()
    for name, args in [("careers:list", []), ("careers:job", [job.number])]:
        html = client.get(reverse(name, args=args)).content.decode()
        assert '<html lang="en">' in html
        assert 'href="#main">Skip to main content</a>' in html
        assert '<main id="main"' in html
        assert "Fjord Health careers" in html
        assert f'src="{reverse("settings:logo")}"' in html
        assert 'href="/"' not in html  # the staff dashboard
        assert 'aria-label="Main"' not in html
        assert reverse("jobs:list") not in html
        assert "Sign out" not in html
        assert "<script>" not in html  # no inline script: the CSP forbids them


def test_the_job_page_runs_two_queries(client, make_public_job, django_assert_num_queries):
    job = make_public_job()
    # 1 the public job by number, 2 the organisation (shared by the JSON-LD and the frame).
    with django_assert_num_queries(2):
        response = client.get(reverse("careers:job", args=[job.number]))
    assert response.status_code == 200


def test_the_apply_form_runs_two_queries(client, make_public_job, django_assert_num_queries):
    job = make_public_job()
    # 1 the public job by number, 2 the organisation (privacy notice, retention, the frame).
    with django_assert_num_queries(2):
        response = client.get(reverse("careers:apply", args=[job.number]))
    assert response.status_code == 200


def test_crawlers_may_ask_for_headers_only(client, make_public_job):
    job = make_public_job()
    assert client.head(list_url()).status_code == 200
    assert client.head(reverse("careers:job", args=[job.number])).status_code == 200
    assert client.post(list_url()).status_code == 405


@pytest.mark.parametrize("kind", NON_PUBLIC)
def test_every_non_public_job_answers_404_on_every_career_page(client, non_public_job, kind):
    job = non_public_job(kind)
    for name in ("careers:job", "careers:apply", "careers:applied"):
        assert client.get(reverse(name, args=[job.number])).status_code == 404
    assert client.post(reverse("careers:apply", args=[job.number]), {}).status_code == 404


def test_an_unknown_number_answers_404(client, db):
    assert client.get(reverse("careers:job", args=["J-999999"])).status_code == 404


# --- schema.org JobPosting


def test_the_jobposting_of_an_on_site_job_carries_every_known_property(
    client, make_public_job, admin_user
):
    organisation_update(
        by=admin_user, company_name="Fjord Health", public_site_url="https://jobs.fjord.example"
    )
    job = make_public_job(
        title="Data engineer", city="Bergen", region="Vestland", postal_code="5003",
        employment_type="contract", workplace_type="on_site",
        salary_min=Decimal("600000"), salary_max=Decimal("800000.50"), salary_currency="NOK",
        salary_period="monthly", publish_salary=True,
        expires_on=timezone.localdate() + datetime.timedelta(days=30),
    )  # fmt: skip

    html = client.get(reverse("careers:job", args=[job.number])).content.decode()

    canonical = f"https://jobs.fjord.example/careers/{job.number}/"
    assert f'<link rel="canonical" href="{canonical}">' in html
    data = jsonld(html)
    assert data["@context"] == "https://schema.org/"
    assert data["@type"] == "JobPosting"
    assert data["title"] == "Data engineer"
    assert data["description"] == job.description
    assert data["datePosted"] == timezone.localdate(job.activated_at).isoformat()
    assert data["validThrough"].startswith(f"{job.expires_on.isoformat()}T23:59:59")
    assert data["hiringOrganization"] == {
        "@type": "Organization",
        "name": "Fjord Health",
        "sameAs": "https://jobs.fjord.example",
    }
    assert data["jobLocation"] == {
        "@type": "Place",
        "address": {
            "@type": "PostalAddress",
            "addressLocality": "Bergen",
            "addressRegion": "Vestland",
            "postalCode": "5003",
            "addressCountry": "NO",
        },
    }
    assert "jobLocationType" not in data
    assert "applicantLocationRequirements" not in data
    assert data["employmentType"] == "CONTRACTOR"
    assert data["baseSalary"] == {
        "@type": "MonetaryAmount",
        "currency": "NOK",
        "value": {
            "@type": "QuantitativeValue",
            "minValue": 600000,
            "maxValue": 800000.5,
            "unitText": "MONTH",
        },
    }
    assert data["identifier"] == {
        "@type": "PropertyValue",
        "name": "Fjord Health",
        "value": job.number,
    }
    assert data["directApply"] is True
    assert data["url"] == canonical


def test_the_jobposting_of_a_remote_job_names_the_applicants_country(
    client, make_public_job, admin_user
):
    organisation_update(by=admin_user, logo=logo_upload())
    job = make_public_job(
        workplace_type="remote", country="SE", city="Malmö", employment_type="internship"
    )

    data = jsonld(client.get(reverse("careers:job", args=[job.number])).content.decode())

    assert data["jobLocationType"] == "TELECOMMUTE"
    assert data["applicantLocationRequirements"] == {"@type": "Country", "name": "Sweden"}
    assert "jobLocation" not in data
    assert data["employmentType"] == "INTERN"
    assert data["hiringOrganization"]["logo"] == "http://testserver/settings/logo"
    assert data["url"] == f"http://testserver/careers/{job.number}/"
    assert "sameAs" not in data["hiringOrganization"]
    assert "validThrough" not in data
    assert "baseSalary" not in data


def test_an_unpublished_salary_is_not_in_the_jobposting(client, make_public_job):
    job = make_public_job(
        salary_min=Decimal(50), salary_max=Decimal(60), salary_currency="EUR",
        salary_period="hourly", publish_salary=False,
    )  # fmt: skip
    data = jsonld(client.get(reverse("careers:job", args=[job.number])).content.decode())
    assert "baseSalary" not in data


def test_a_published_hourly_salary_from_a_minimum_only(client, make_public_job):
    job = make_public_job(
        salary_min=Decimal(50), salary_currency="eur", salary_period="hourly", publish_salary=True
    )
    data = jsonld(client.get(reverse("careers:job", args=[job.number])).content.decode())
    assert data["baseSalary"]["currency"] == "EUR"
    assert data["baseSalary"]["value"] == {
        "@type": "QuantitativeValue", "minValue": 50, "unitText": "HOUR",
    }  # fmt: skip


def test_a_title_that_closes_the_script_stays_inside_the_data_block(client, make_public_job):
    title = "Engineer </script><script>alert(1)</script> & <b>co</b>"
    job = make_public_job(title=title, city="Oslo </script>")

    html = client.get(reverse("careers:job", args=[job.number])).content.decode()

    data = jsonld(html)
    assert data["title"] == title
    assert data["jobLocation"]["address"]["addressLocality"] == "Oslo </script>"
    assert "<script>alert(1)" not in html
    assert "\\u003c/script\\u003e\\u003cscript\\u003ealert(1)" in html
    assert escape(title) in html


# --- Untrusted text stays text


class _ActiveMarkup(HTMLParser):
    """Collects what a browser would run: handlers, javascript: URLs, scripts, SVG and images."""

    def __init__(self):
        super().__init__()
        self.found: list = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.found.append((tag, name, value))
        attributes = dict(attrs)
        inline = tag == "script" and not attributes.get("src")
        if inline and attributes.get("type") != "application/ld+json":
            self.found.append((tag, "inline", ""))
        if tag in ("svg", "img", "iframe", "object") and attributes.get("src") != "/settings/logo":
            self.found.append((tag, "element", ""))


def active_markup(html: str) -> list:
    parser = _ActiveMarkup()
    parser.feed(html)
    return parser.found


def without_description(html: str) -> str:
    """The page minus the sanitised description, whose plain text may hold payload characters."""
    start = html.find('<section aria-labelledby="about-role"')
    if start < 0:
        return html
    return html[:start] + html[html.index("</section>", start) :]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_xss_payloads_in_jobs_render_inert_on_every_career_page(client, make_public_job, payload):
    job = make_public_job(
        title=f"Role {payload}", city=payload, region=payload,
        description=f"<p>About {payload}</p>",
    )  # fmt: skip
    pages = [
        list_url(),
        reverse("careers:job", args=[job.number]),
        reverse("careers:apply", args=[job.number]),
        reverse("careers:applied", args=[job.number]),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert active_markup(html) == [], url
        assert_inert(without_description(html))
        assert escape(f"Role {payload}") in html


def test_the_list_and_job_pages_carry_the_content_security_policy(client, make_public_job):
    job = make_public_job()
    for url in (list_url(), reverse("careers:job", args=[job.number])):
        assert "script-src 'self'" in client.get(url)["Content-Security-Policy"]


def test_job_statuses_cover_every_non_public_state():
    """The 404 table above names every status but active (internal and expired on top)."""
    assert set(NON_PUBLIC) >= set(JobStatus.values) - {JobStatus.ACTIVE}


def test_activating_a_job_puts_it_on_the_career_site(client, make_job, recruiter):
    job = make_job(title="Welder")
    assert client.get(reverse("careers:job", args=[job.number])).status_code == 404
    job_activate(job=job, by=recruiter)
    assert client.get(reverse("careers:job", args=[job.number])).status_code == 200
