"""The admin tab's job-posting section and the LinkedIn row of a job's Postings tab."""

import re

import pytest
from django.urls import reverse

from attract.events import Event
from linkedin.models import FeedBuild, LinkedInJobPostingSettings, LinkedInPosting, PostingStatus
from linkedin.selectors_feed import posting_settings
from linkedin.services_feed import TERMS_SENTENCE, linkedin_unpost
from tests.linkedin.test_feed_support import *  # noqa: F403 - the shared fixtures
from tests.linkedin.test_feed_support import (
    COMPANY_ID,
    SITE,
    build,
)
from tests.xss import PAYLOADS, assert_inert

pytestmark = pytest.mark.django_db
TAB = "/settings/admin/linkedin/"


def settings_data(**values):
    return {"company_name": "", "company_id": COMPANY_ID, "enabled": "on", **values}


# --- Admin tab


def test_the_tab_shows_the_settings_the_terms_and_the_feed_url(client, admin_user):
    client.force_login(admin_user)
    html = client.get(TAB).content.decode()
    assert "LinkedIn company ID" in html
    assert (
        "By posting your job to LinkedIn, you agree to LinkedIn&#x27;s Jobs Terms &amp; Conditions."
        in html
    )
    assert f"/linkedin/feed/{posting_settings().feed_token}.xml" in html
    assert 'data-copy="#linkedin-feed-url"' in html
    assert "Rotate the URL now" in html and "Build now" in html
    assert TERMS_SENTENCE.startswith("By posting your job to LinkedIn")


def test_an_admin_saves_the_company_id_and_switches_posting_on(client, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("linkedin:feed_settings"), settings_data(company_name="Fjord"))
    assert response.status_code == 302 and response["Location"] == TAB
    row = posting_settings()
    assert (row.company_name, row.company_id, row.enabled) == ("Fjord", COMPANY_ID, True)
    assert Event.objects.filter(type="linkedin.posting_settings_updated").exists()


@pytest.mark.parametrize("bad", ["12ab", "-5", "0123", "1" * 20, "https://linkedin.com/company/1"])
def test_a_company_id_must_be_a_number(client, admin_user, bad):
    client.force_login(admin_user)
    response = client.post(reverse("linkedin:feed_settings"), settings_data(company_id=bad))
    assert response.status_code == 422
    assert "company ID" in response.content.decode()
    assert not posting_settings().enabled


def test_posting_cannot_be_switched_on_without_a_company_id(client, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("linkedin:feed_settings"), settings_data(company_id=""))
    assert response.status_code == 422
    assert "Enter the LinkedIn company ID before switching job posting on." in (
        response.content.decode()
    )
    assert not posting_settings().enabled


@pytest.mark.parametrize("name", ["recruiter", "manager", "readonly", "interviewer"])
def test_only_administrators_change_the_job_posting_settings(client, request, name, feed_on):
    client.force_login(request.getfixturevalue(name))
    token = posting_settings().feed_token
    for url, data in [
        (reverse("linkedin:feed_settings"), settings_data(enabled="")),
        (reverse("linkedin:feed_rotate"), {}),
        (reverse("linkedin:feed_build"), {}),
    ]:
        assert client.post(url, data).status_code == 403
    row = posting_settings()
    assert row.enabled and row.feed_token == token
    assert not FeedBuild.objects.exists()


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.post(reverse("linkedin:feed_rotate"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_rotating_the_url_changes_the_token(client, admin_user, feed_on):
    client.force_login(admin_user)
    old = posting_settings().feed_token
    response = client.post(reverse("linkedin:feed_rotate"))
    assert response.status_code == 302
    assert posting_settings().feed_token != old
    assert posting_settings().token_rotated_at is not None


def test_build_now_builds_and_the_tab_reports_the_excluded_jobs(
    client, admin_user, feed_on, active_job, post
):
    good, bad = active_job(title="Good job"), active_job(title="Bad job", description="<p>x</p>")
    post(good)
    post(bad)
    client.force_login(admin_user)
    response = client.post(reverse("linkedin:feed_build"))
    assert response.status_code == 302
    html = client.get(TAB).content.decode()
    assert re.search(r'id="linkedin-build-included">\s*1\s*</dd>', html)
    assert f"{bad.number} Bad job" in html
    assert "description_too_short" in html
    assert reverse("jobs:edit", args=[bad.number]) in html
    build_row = FeedBuild.objects.get()
    assert (build_row.trigger, build_row.triggered_by) == ("admin", admin_user)


def test_build_now_is_refused_while_posting_is_off(client, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("linkedin:feed_build"), follow=True)
    assert "Switch LinkedIn job posting on before building the feed." in response.content.decode()
    assert not FeedBuild.objects.exists()


def test_a_failed_build_shows_its_error_and_the_live_feed(
    client, admin_user, feed_on, active_job, post, monkeypatch
):
    from linkedin import services_feed_build

    post(active_job())
    build()
    monkeypatch.setattr(services_feed_build, "feed_rows", lambda: 1 / 0)
    client.force_login(admin_user)
    client.post(reverse("linkedin:feed_build"))
    html = client.get(TAB).content.decode()
    assert "The build failed: the previous feed stays live." in html
    assert "ZeroDivisionError" in html
    assert "Live feed: built" in html


def test_the_tab_lists_the_last_fetches(client, admin_user, feed_on, active_job, post):
    post(active_job())
    build()
    url = f"/linkedin/feed/{posting_settings().feed_token}.xml"
    client.get(url, HTTP_USER_AGENT="LinkedInBot/1.0 (+http://www.linkedin.com)")
    client.force_login(admin_user)
    html = client.get(TAB).content.decode()
    assert "LinkedInBot/1.0" in html and "127.0.0.1" in html


def test_the_tab_costs_a_fixed_number_of_queries(
    client, admin_user, feed_on, active_job, post, django_assert_num_queries
):
    for _ in range(3):
        post(active_job(description="<p>x</p>"))
    build()
    client.force_login(admin_user)
    client.get(TAB)
    # session, user, roles (require_admin), organisation (context processor) and the RSC
    # section's own, then ours: settings, organisation, last build, last fetches
    with django_assert_num_queries(_tab_queries(client)) as ctx:
        client.get(TAB)
    for _ in range(3):
        post(active_job(description="<p>x</p>"))
    build()
    with django_assert_num_queries(len(ctx.captured_queries)):
        client.get(TAB)


def _tab_queries(client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        client.get(TAB)
    return len(context.captured_queries)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_texts_render_inert_on_the_tab(
    client, admin_user, feed_on, active_job, post, payload
):
    job = active_job(title=payload, description="<p>x</p>")
    post(job)
    build()
    client.get(f"/linkedin/feed/{posting_settings().feed_token}.xml", HTTP_USER_AGENT=payload)
    LinkedInJobPostingSettings.objects.filter(pk=1).update(company_name=payload)
    client.force_login(admin_user)
    html = client.get(TAB).content.decode()
    assert_inert(html)


# --- The Postings tab's LinkedIn row


def postings(job):
    return reverse("jobs:postings", args=[job.number])


def test_a_recruiter_sees_post_now_and_the_confirmation_shows_the_apply_url(
    client, recruiter, job, feed_on
):
    client.force_login(recruiter)
    html = client.get(postings(job)).content.decode()
    assert "Not posted" in html and reverse("linkedin:job_post", args=[job.number]) in html
    confirm = client.get(reverse("linkedin:job_post", args=[job.number])).content.decode()
    assert f"{SITE}/careers/{job.number}/" in confirm
    assert "Submit for posting" in confirm


def test_post_now_makes_the_job_pending_until_the_next_build(client, recruiter, job, feed_on):
    client.force_login(recruiter)
    response = client.post(reverse("linkedin:job_post", args=[job.number]))
    assert response.status_code == 302 and response["Location"] == postings(job)
    posting = LinkedInPosting.objects.get(job=job)
    assert (posting.status, posting.posted_by) == (PostingStatus.PENDING, recruiter)
    html = client.get(postings(job)).content.decode()
    assert "Pending" in html and "until the next build" in html
    assert "Unpost" in html
    build()
    html = client.get(postings(job)).content.decode()
    assert "Posted in feed" in html and "since " in html


def test_an_excluded_job_shows_the_reasons(client, recruiter, active_job, post, feed_on):
    job = active_job(description="<p>Short.</p>")
    post(job)
    build()
    client.force_login(recruiter)
    html = client.get(postings(job)).content.decode()
    assert "Excluded" in html
    assert "The description has 6 characters of text; LinkedIn needs at least 100." in html


def test_unpost_then_repost(client, recruiter, job, feed_on, post):
    post(job)
    client.force_login(recruiter)
    assert client.post(reverse("linkedin:job_unpost", args=[job.number])).status_code == 302
    posting = LinkedInPosting.objects.get(job=job)
    assert (posting.status, posting.removed_reason) == ("removed", "unposted")
    html = client.get(postings(job)).content.decode()
    assert "Removed" in html and "Repost" in html
    assert client.post(reverse("linkedin:job_repost", args=[job.number])).status_code == 302
    posting.refresh_from_db()
    assert (posting.status, posting.removed_reason, posting.removed_at) == ("pending", "", None)


def test_a_closed_job_reads_removed(client, recruiter, job, feed_on, post):
    from jobs.services import job_close

    post(job)
    job_close(job=job, by=recruiter, reason="cancelled")
    client.force_login(recruiter)
    html = client.get(postings(job)).content.decode()
    assert "Removed" in html and "Job closed" in html
    assert "Post now" not in html and "Repost" not in html


def test_a_job_that_is_not_public_cannot_be_posted(client, recruiter, make_job, feed_on):
    draft = make_job()
    client.force_login(recruiter)
    html = client.get(reverse("linkedin:job_post", args=[draft.number])).content.decode()
    assert "Only an active, public job" in html
    response = client.post(reverse("linkedin:job_post", args=[draft.number]))
    assert response.status_code == 422
    assert not LinkedInPosting.objects.exists()


def test_posting_twice_is_refused(client, recruiter, job, feed_on, post):
    post(job)
    client.force_login(recruiter)
    response = client.post(reverse("linkedin:job_post", args=[job.number]))
    assert response.status_code == 422
    assert "already posted" in response.content.decode()


def test_nothing_can_be_posted_while_posting_is_off(client, recruiter, job):
    client.force_login(recruiter)
    html = client.get(postings(job)).content.decode()
    assert "switched off" in html and "Post now" not in html
    assert client.post(reverse("linkedin:job_post", args=[job.number])).status_code == 422
    assert not LinkedInPosting.objects.exists()


@pytest.mark.parametrize("name", ["recruiter", "admin_user"])
def test_recruiters_on_the_job_and_administrators_post(client, request, name, job, feed_on):
    client.force_login(request.getfixturevalue(name))
    assert "Post now" in client.get(postings(job)).content.decode()
    assert client.post(reverse("linkedin:job_post", args=[job.number])).status_code == 302
    assert LinkedInPosting.objects.filter(job=job).exists()


@pytest.mark.parametrize("name", ["manager", "readonly", "interviewer", "outsider"])
def test_everyone_else_sees_the_status_only_and_is_refused(
    client, request, name, job, feed_on, post, recruiter
):
    # given a job posted once and removed, so every action exists
    post(job)
    client.force_login(request.getfixturevalue(name))
    html = client.get(postings(job)).content.decode()
    assert "Pending" in html
    for word in ("Post now", "Repost", "Unpost"):
        assert f">{word}<" not in html
    # when they post directly
    for action in ("job_post", "job_repost", "job_unpost"):
        assert client.post(reverse(f"linkedin:{action}", args=[job.number])).status_code == 403
    assert client.get(reverse("linkedin:job_post", args=[job.number])).status_code == 403
    # then nothing changed
    assert LinkedInPosting.objects.get(job=job).status == PostingStatus.PENDING
    linkedin_unpost(job=job, by=recruiter)
    assert client.post(reverse("linkedin:job_repost", args=[job.number])).status_code == 403
    assert LinkedInPosting.objects.get(job=job).status == PostingStatus.REMOVED


def test_the_postings_tab_costs_a_fixed_number_of_queries(
    client, recruiter, active_job, post, feed_on, django_assert_max_num_queries
):
    # The LinkedIn rows add three queries to the tab: the posting, the settings row and the
    # latest In-ATS sync task of the job.
    job = active_job()
    client.force_login(recruiter)
    client.get(postings(job))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client.get(postings(job))
    post(job)
    build()
    with CaptureQueriesContext(connection) as after:
        client.get(postings(job))
    assert len(after.captured_queries) == len(before.captured_queries)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_exclusion_reasons_render_inert(
    client, recruiter, active_job, post, feed_on, payload
):
    job = active_job()
    post(job)
    LinkedInPosting.objects.filter(job=job).update(
        excluded=True, exclusions=[{"rule": "x", "message": payload}]
    )
    client.force_login(recruiter)
    assert_inert(client.get(postings(job)).content.decode())
