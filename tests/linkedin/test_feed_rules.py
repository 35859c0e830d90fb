"""The LinkedIn rules on one job, without a database: one test per exclusion rule, the XML
text cleaning, CDATA splitting and the description narrowing (LINKEDIN.md 1.3-1.6)."""

import datetime
import io
from decimal import Decimal
from types import SimpleNamespace

import pytest
from lxml import etree

from linkedin.feed import (
    Description,
    FeedContext,
    cdata_parts,
    check_job,
    linkedin_description,
    write_feed,
    xml_text,
)

NOW = datetime.datetime(2025, 3, 3, 6, 0, tzinfo=datetime.UTC)
CTX = FeedContext(
    company="Contoso Ltd",
    company_id="1234567",
    apply_base="https://www.contoso.example",
    apply_path="/careers/{number}/",
    built_at=NOW,
    publisher="Contoso Ltd",
    publisher_url="https://www.contoso.example",
)
LONG = Description("<p>" + "x" * 120 + "</p>", 120)


def row(**values):
    base = {
        "number": "J-000001",
        "title": "Backend Engineer",
        "city": "Copenhagen",
        "region": "",
        "country": "DK",
        "postal_code": "1050",
        "workplace_type": "hybrid",
        "employment_type": "full_time",
        "seniority": "mid_senior",
        "job_function": "eng",
        "industry": 4,
        "salary_min": Decimal("550000"),
        "salary_max": Decimal("650000"),
        "salary_currency": "DKK",
        "salary_period": "yearly",
        "publish_salary": True,
        "expires_on": datetime.date(2025, 4, 1),
        "listed_on": None,
        "poster_email": "recruiter@contoso.example",
    }
    return SimpleNamespace(**{**base, **values})


def rules(verdict) -> set[str]:
    return {r.rule for r in verdict.reasons}


def test_a_complete_job_passes_and_matches_the_skeleton():
    verdict = check_job(row(), CTX, LONG)
    assert verdict.reasons == []
    job = verdict.job
    assert job.location == "Copenhagen, Denmark"
    assert job.apply_url == "https://www.contoso.example/careers/J-000001/"
    assert (job.workplace_type, job.experience_level, job.job_type) == (
        "Hybrid",
        "MID_SENIOR_LEVEL",
        "FULL_TIME",
    )
    assert job.salary == ("650000", "550000", "DKK", "YEARLY")
    assert (job.list_date, job.expiration_date) == ("03/03/2025", "04/01/2025")


@pytest.mark.parametrize(
    ("values", "context", "rule"),
    [
        ({"title": "  "}, {}, "missing_field"),
        ({"poster_email": ""}, {}, "missing_field"),
        ({"poster_email": "not-an-email"}, {}, "missing_field"),
        ({}, {"company": ""}, "missing_field"),
        ({}, {"company_id": ""}, "missing_field"),
        ({}, {"apply_base": ""}, "missing_field"),
        ({"number": "J-" + "1" * 39}, {}, "partner_job_id_too_long"),
        ({}, {"apply_base": "http://www.contoso.example"}, "apply_url_not_https"),
        ({"city": ""}, {}, "location_incomplete"),
        ({"country": ""}, {}, "location_incomplete"),
        ({"country": "XX"}, {}, "location_incomplete"),
        ({"workplace_type": "moon"}, {}, "unknown_enum"),
        ({"employment_type": "gig"}, {}, "unknown_enum"),
        ({"seniority": "wizard"}, {}, "unknown_enum"),
        ({"job_function": "zzz"}, {}, "unknown_enum"),
        ({"industry": 999999}, {}, "unknown_enum"),
        ({"salary_currency": "XYZ"}, {}, "unknown_enum"),
        ({"salary_period": "fortnightly"}, {}, "unknown_enum"),
    ],
)
def test_each_rule_excludes_the_job(values, context, rule):
    ctx = FeedContext(**{**CTX.__dict__, **context})
    verdict = check_job(row(**values), ctx, LONG)
    assert verdict.job is None
    assert rule in rules(verdict)


def test_a_description_under_100_characters_of_text_is_excluded():
    verdict = check_job(row(), CTX, Description("<p>" + "x" * 99 + "</p>", 99))
    assert rules(verdict) == {"description_too_short"}


def test_partner_job_id_of_exactly_40_characters_passes():
    assert check_job(row(number="J-" + "1" * 38), CTX, LONG).job is not None


def test_optional_values_may_be_empty():
    verdict = check_job(
        row(seniority="", job_function="", industry=None, publish_salary=False, expires_on=None),
        CTX,
        LONG,
    )
    job = verdict.job
    assert job.experience_level == job.job_function == job.industry_code == ""
    assert job.salary is None and job.expiration_date == ""


def test_us_locations_use_the_state():
    job = check_job(row(city="San Francisco", region="CA", country="US"), CTX, LONG).job
    assert (job.location, job.state, job.country) == ("San Francisco, CA", "CA", "US")
    assert check_job(row(city="Austin", country="US"), CTX, LONG).job.location == (
        "Austin, United States"
    )


def test_non_us_locations_use_the_country_name():
    job = check_job(row(city="London", region="England", country="GB"), CTX, LONG).job
    assert job.location == "London, United Kingdom"


def test_temporary_jobs_are_contracts_on_linkedin():
    assert check_job(row(employment_type="temporary"), CTX, LONG).job.job_type == "CONTRACT"


# --- Text cleaning


def test_characters_illegal_in_xml_are_removed():
    assert xml_text("a\x00b\x0bc\x1fd\ufffee\ud800f\t\n\rg😀") == "abcdef\t\n\rg😀"


@pytest.mark.parametrize(
    "value", ["a]]>b", "]]>", "]]]>", "x]]>]]>y", "]]>>", "no marker", "]]", "a]]]]>>b"]
)
def test_cdata_sections_survive_any_text(value):
    buffer = io.BytesIO()
    with etree.xmlfile(buffer, encoding="utf-8") as xf, xf.element("t"):
        for part in cdata_parts(value):
            xf.write(etree.CDATA(part))
    assert etree.fromstring(buffer.getvalue()).text == value


def test_the_description_is_narrowed_to_linkedins_tags():
    html, length = linkedin_description(
        '<h3>Role</h3><p onclick="x()">Hi <em>there</em> <a href="/x">link</a></p>'
        "<script>alert(1)</script><ol><li>One</li></ol><table><tr><td>cell</td></tr></table>"
    )
    assert html == "<p><b>Role</b></p><p>Hi <i>there</i> link</p><ul><li>One</li></ul>cell"
    assert length == len("Role Hi there link One cell")


def test_entities_and_spaces_count_as_the_text_a_reader_sees():
    _html, length = linkedin_description("<p>A &amp; B</p>\n\n   <p>C</p>")
    assert length == len("A & B C")


def test_the_written_feed_puts_expected_job_count_before_the_jobs():
    buffer = io.BytesIO()
    job = check_job(row(title="a]]>b \x01"), CTX, LONG).job
    count = write_feed(buffer, CTX, [job, job._replace(partner_job_id="J-000002")])
    root = etree.fromstring(buffer.getvalue())
    assert count == 2
    assert [c.tag for c in root][:4] == [
        "lastBuildDate",
        "publisherUrl",
        "publisher",
        "expectedJobCount",
    ]
    assert root.findtext("lastBuildDate") == "Mon, 03 Mar 2025 06:00:00 GMT"
    assert root.findtext("expectedJobCount") == "2"
    assert root.find("job").findtext("title") == "a]]>b"
