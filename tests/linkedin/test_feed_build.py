"""Building the feed: what goes in, in which order, what is left out and why, and how a build
publishes (atomically, never two at once, the previous feed live on failure)."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from jobs.choices import (
    CloseReason,
    EmploymentType,
    Industry,
    JobFunction,
    Seniority,
    WorkplaceType,
)
from jobs.services import job_close, job_update
from linkedin import feed_store, services_feed_build
from linkedin.models import BuildStatus, FeedBuild, LinkedInPosting, PostingStatus
from linkedin.selectors_feed import posting_settings
from linkedin.services_feed import linkedin_unpost
from linkedin.services_feed_build import LOCK_KEY, FeedBuildBusy, FeedBuildFailed
from tests.linkedin.reliability_support import held_elsewhere
from tests.linkedin.test_feed_support import *  # noqa: F403 - the shared fixtures
from tests.linkedin.test_feed_support import (
    COMPANY_ID,
    HEADER_ORDER,
    JOB_ORDER,
    SITE,
    assert_rule_abiding,
    build,
    feed_jobs,
    live_bytes,
    parse,
)

pytestmark = pytest.mark.django_db
SHORT = "<p>Too short to be a LinkedIn job.</p>"


def test_a_posted_job_goes_into_the_feed_with_every_field_in_linkedins_order(
    feed_on, active_job, post, recruiter
):
    # given
    job = active_job(
        region="Oslo",
        postal_code="0150",
        workplace_type=WorkplaceType.HYBRID,
        employment_type=EmploymentType.FULL_TIME,
        seniority=Seniority.MID_SENIOR,
        job_function=JobFunction.ENG,
        industry=Industry.COMPUTER_SOFTWARE,
        salary_min=650000,
        salary_max=750000,
        salary_currency="NOK",
        salary_period="yearly",
        publish_salary=True,
        expires_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    post(job)
    # when
    outcome = build()
    # then
    root, jobs = parse(live_bytes())
    assert [child.tag for child in root][:4] == HEADER_ORDER
    assert root.findtext("expectedJobCount") == "1"
    assert root.findtext("publisherUrl") == SITE
    assert root.findtext("lastBuildDate").endswith(" GMT")
    (entry,) = jobs
    assert_rule_abiding(entry)
    assert entry["_order"] == JOB_ORDER  # every element, salaries included, in LinkedIn's order
    assert entry["partnerJobId"] == job.number
    assert entry["company"] == "Fjord Analytics"
    assert entry["companyId"] == COMPANY_ID
    assert entry["applyUrl"] == f"{SITE}/careers/{job.number}/"
    assert entry["location"] == "Oslo, Norway"
    assert (entry["city"], entry["state"], entry["country"]) == ("Oslo", "Oslo", "NO")
    assert entry["workplaceTypes"] == "Hybrid"
    assert entry["industryCodes"][0].text == "4"
    assert entry["jobFunctions"][0].text == "eng"
    assert (entry["experienceLevel"], entry["jobtype"]) == ("MID_SENIOR_LEVEL", "FULL_TIME")
    salary = entry["salaries"][0]
    assert salary.findtext("highEnd/amount") == "750000"
    assert salary.findtext("lowEnd/currencyCode") == "NOK"
    assert (salary.findtext("period"), salary.findtext("type")) == ("YEARLY", "BASE_SALARY")
    assert entry["posterEmail"] == recruiter.email
    assert outcome.build.included == 1 and outcome.build.excluded == 0


def test_values_are_cdata_and_the_declaration_is_linkedins(feed_on, active_job, post):
    post(active_job())
    build()
    data = live_bytes()
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<source>')
    assert b"<partnerJobId><![CDATA[J-" in data
    assert b"<expectedJobCount><![CDATA[1]]></expectedJobCount>" in data


def test_a_us_job_is_located_by_city_and_state(feed_on, active_job, post):
    job = active_job(city="San Francisco", region="CA", country="US")
    post(job)
    build()
    entry = feed_jobs()[job.number]
    assert entry["location"] == "San Francisco, CA"
    assert entry["country"] == "US"


def test_salaries_appear_only_when_published(feed_on, active_job, post):
    hidden = active_job(salary_min=1, salary_max=2, salary_currency="EUR", salary_period="yearly")
    post(hidden)
    build()
    assert "salaries" not in feed_jobs()[hidden.number]


def test_the_description_keeps_only_linkedins_tags(feed_on, active_job, post):
    job = active_job(
        description="<h2>About</h2><p>We <em>build</em> things <a href='https://x.example'>"
        "here</a>.</p><ol><li>One</li></ol>" + "<p>More words about the job.</p>" * 5
    )
    post(job)
    build()
    description = feed_jobs()[job.number]["description"]
    assert "<p><b>About</b></p>" in description
    assert "<i>build</i>" in description and "<a" not in description and "here" in description
    assert "<ul><li>One</li></ul>" in description


def test_only_active_public_unexpired_posted_jobs_are_in_the_feed(
    feed_on, active_job, make_job, post
):
    posted = active_job(title="Posted")
    post(posted)
    active_job(title="Never posted")
    internal = active_job(title="Internal")
    post(internal)
    internal.internal_only = True
    internal.save(update_fields=["internal_only"])
    build()
    assert list(feed_jobs()) == [posted.number]


# --- One test per exclusion rule (the rules themselves: test_feed_rules.py)


def _excluded_by(job, rule: str) -> None:
    outcome = build()
    (entry,) = outcome.build.report
    assert entry["number"] == job.number
    assert rule in {r["rule"] for r in entry["reasons"]}
    assert job.number not in feed_jobs()
    posting = LinkedInPosting.objects.get(job=job)
    assert posting.excluded and rule in {r["rule"] for r in posting.exclusions}


def test_a_description_under_100_characters_of_text_is_excluded(feed_on, active_job, post):
    job = active_job(description=SHORT)
    post(job)
    _excluded_by(job, "description_too_short")


def test_a_job_whose_apply_url_is_not_https_is_excluded(feed_on, active_job, post, admin_user):
    from attract.services import organisation_update

    job = active_job()
    post(job)
    organisation_update(by=admin_user, public_site_url="http://careers.fjord.example")
    _excluded_by(job, "apply_url_not_https")


def test_a_job_whose_poster_has_no_email_is_excluded(feed_on, active_job, post, recruiter):
    job = active_job()
    post(job)
    recruiter.email = ""
    recruiter.save(update_fields=["email"])
    _excluded_by(job, "missing_field")


def test_a_job_without_a_city_is_excluded(feed_on, active_job, post):
    job = active_job()
    post(job)
    type(job).objects.filter(pk=job.pk).update(city="")
    _excluded_by(job, "location_incomplete")


def test_a_job_with_an_unknown_enum_value_is_excluded(feed_on, active_job, post):
    job = active_job()
    post(job)
    type(job).objects.filter(pk=job.pk).update(workplace_type="moon_base")
    _excluded_by(job, "unknown_enum")


def test_an_excluded_job_never_breaks_the_feed_for_the_others(feed_on, active_job, post):
    good, bad = active_job(title="Good"), active_job(title="Bad", description=SHORT)
    post(good)
    post(bad)
    outcome = build()
    assert list(feed_jobs()) == [good.number]
    assert (outcome.build.included, outcome.build.excluded) == (1, 1)


def test_a_fixed_job_comes_back_at_the_next_build(feed_on, active_job, post, recruiter):
    job = active_job(description=SHORT)
    post(job)
    build()
    job_update(job=job, by=recruiter, description="<p>" + "A proper description. " * 10 + "</p>")
    build()
    assert job.number in feed_jobs()
    posting = LinkedInPosting.objects.get(job=job)
    assert not posting.excluded and posting.exclusions == []


# --- Posting statuses follow the builds


def test_a_pending_posting_is_posted_from_its_first_build(feed_on, active_job, post):
    posting = post(active_job())
    assert posting.status == PostingStatus.PENDING
    build()
    posting.refresh_from_db()
    assert posting.status == PostingStatus.POSTED and posting.first_included_at is not None
    first = posting.first_included_at
    build()
    posting.refresh_from_db()
    assert posting.first_included_at == first


def test_closed_and_unposted_jobs_leave_the_feed_and_are_removed(
    feed_on, active_job, post, recruiter
):
    closed, unposted, kept = active_job(), active_job(), active_job()
    for job in (closed, unposted, kept):
        post(job)
    build()
    job_close(job=closed, by=recruiter, reason=CloseReason.CANCELLED)
    linkedin_unpost(job=unposted, by=recruiter)
    build()
    assert list(feed_jobs()) == [kept.number]
    closed_posting = LinkedInPosting.objects.get(job=closed)
    assert (closed_posting.status, closed_posting.removed_reason) == ("removed", "closed")
    assert LinkedInPosting.objects.get(job=unposted).removed_reason == "unposted"


def test_an_expired_job_is_removed(feed_on, active_job, post):
    job = active_job()
    post(job)
    type(job).objects.filter(pk=job.pk).update(expires_on=datetime.date(2020, 1, 1))
    build()
    assert feed_jobs() == {}
    assert LinkedInPosting.objects.get(job=job).removed_reason == "expired"


def test_unchanged_descriptions_are_not_sanitised_again(feed_on, active_job, post, monkeypatch):
    post(active_job())
    build()
    calls = []
    monkeypatch.setattr(
        services_feed_build, "linkedin_description", lambda raw: calls.append(raw) or ("", 0)
    )
    build()
    assert calls == []


def test_descriptions_are_prepared_when_posted_and_saved_not_at_build(
    feed_on, active_job, post, recruiter, monkeypatch
):
    job = active_job()
    post(job)
    job_update(job=job, by=recruiter, description="<p>" + "Edited after posting. " * 10 + "</p>")
    calls = []
    monkeypatch.setattr(
        services_feed_build, "linkedin_description", lambda raw: calls.append(raw) or ("", 0)
    )
    build()
    assert calls == []  # the build found the LinkedIn version ready
    assert "Edited after posting." in feed_jobs()[job.number]["description"]


def test_a_description_saved_outside_the_services_is_prepared_by_the_build(
    feed_on, active_job, post
):
    job = active_job()
    post(job)
    type(job).objects.filter(pk=job.pk).update(
        description="<p>" + "Imported in bulk. " * 10 + "</p>", updated_at=timezone.now()
    )
    build()
    assert "Imported in bulk." in feed_jobs()[job.number]["description"]


# --- Publishing


def test_a_failed_build_leaves_the_previous_feed_live_and_records_the_error(
    feed_on, active_job, post, monkeypatch
):
    post(active_job())
    build()
    live_before, data_before = posting_settings().live_name, live_bytes()

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(services_feed_build, "write_jobs", broken)
    with pytest.raises(FeedBuildFailed):
        build()
    failed = FeedBuild.objects.first()
    assert failed.status == BuildStatus.FAILED and "disk on fire" in failed.error
    assert posting_settings().live_name == live_before
    assert live_bytes() == data_before


def test_a_feed_that_does_not_parse_back_is_never_published(feed_on, active_job, post, monkeypatch):
    post(active_job())

    def corrupt(sink, jobs):
        sink.write(b"<source><job><title>unclosed</job></source>")
        return 1

    monkeypatch.setattr(services_feed_build, "write_jobs", corrupt)
    with pytest.raises(FeedBuildFailed):
        build()
    assert posting_settings().live_name == ""
    assert "XMLSyntaxError" in FeedBuild.objects.first().error


def test_old_builds_are_deleted_but_the_previous_one_stays(feed_on, active_job, post):
    post(active_job())
    first, second, third = build().build, build().build, build().build
    from django.core.files.storage import default_storage

    first_name = first.storage_name
    first.refresh_from_db()
    assert not default_storage.exists(first_name) and first.storage_name == ""
    assert default_storage.exists(second.storage_name)
    assert default_storage.exists(third.gzip_storage_name)
    assert not any(
        name.startswith(".building-") for name in default_storage.listdir(feed_store.FEED_DIR)[1]
    )


def test_two_builds_never_run_at_once(feed_on):
    # given a build holding the lock (on PostgreSQL, in another session)
    # when another starts, it is refused
    with held_elsewhere(LOCK_KEY), pytest.raises(FeedBuildBusy):
        build()
    # then nothing was recorded, and the lock is free again afterwards
    assert not FeedBuild.objects.exists()
    assert build().build.status == BuildStatus.OK


def test_the_lock_is_released_after_a_failed_build(feed_on, monkeypatch):
    monkeypatch.setattr(services_feed_build, "feed_rows", lambda: 1 / 0)
    with pytest.raises(FeedBuildFailed):
        build()
    monkeypatch.undo()
    assert build().build.status == BuildStatus.OK


def test_no_feed_is_built_while_posting_is_switched_off(db):
    with pytest.raises(services_feed_build.FeedDisabled):
        build()


# --- The command


def test_the_command_prints_the_url_path_and_the_jobs_in_and_out(feed_on, active_job, post, capsys):
    good, bad = active_job(), active_job(description=SHORT)
    post(good)
    post(bad)
    call_command("build_linkedin_feed")
    out = capsys.readouterr().out
    assert f"Feed URL path: /linkedin/feed/{posting_settings().feed_token}.xml" in out
    assert "Included: 1 job" in out and f"  {good.number}" in out
    assert "Excluded: 1 job" in out
    assert f"{bad.number} — description_too_short" in out


def test_the_command_exits_non_zero_when_the_build_fails(feed_on, monkeypatch):
    monkeypatch.setattr(services_feed_build, "feed_rows", lambda: 1 / 0)
    with pytest.raises(CommandError, match="previous feed stays live"):
        call_command("build_linkedin_feed")


def test_the_command_exits_non_zero_when_posting_is_off(db):
    with pytest.raises(CommandError, match="switched off"):
        call_command("build_linkedin_feed")
