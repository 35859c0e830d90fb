"""LinkedIn limited listings end to end in a real browser: the admin sets the company ID and
switches posting on, a recruiter posts three jobs (one too short), the admin builds the feed,
the report names the left-out job, and LinkedIn's fetch gets the two good jobs, then a 304."""

import pytest
from lxml import etree

from attract.services import organisation_update
from linkedin.models import LinkedInPosting, PostingStatus
from linkedin.selectors_feed import posting_settings
from tests.linkedin.test_feed_support import *  # noqa: F403 - the shared fixtures
from tests.linkedin.test_feed_support import SITE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
GOOD = "<p>" + "You will build the data platform our customers rely on every day. " * 3 + "</p>"


def test_an_admin_and_a_recruiter_post_jobs_and_linkedin_fetches_the_feed(
    page, login, admin_user, recruiter, active_job
):
    # given an https career site and three active jobs, one with a too-short description
    organisation_update(by=admin_user, public_site_url=SITE)
    good = [active_job(title=t, description=GOOD) for t in ("Data engineer", "Designer")]
    short = active_job(title="Office help", description="<p>Short ad.</p>")

    # the administrator sets the company ID and switches job posting on
    login(admin_user)
    page.goto("/settings/admin/linkedin/")
    page.get_by_label("LinkedIn company ID").fill("1234567")
    switch = page.get_by_role("switch", name="Post jobs to LinkedIn")
    switch.check()
    assert "Jobs Terms & Conditions" in page.locator("#linkedin-terms").inner_text()
    page.get_by_role("button", name="Save job-posting settings").click()
    page.get_by_text("LinkedIn job-posting settings saved (posting is on).").wait_for()
    assert posting_settings().company_id == "1234567" and posting_settings().enabled

    # the recruiter posts the three jobs, confirming each apply link
    login(recruiter)
    for job in [*good, short]:
        page.goto(f"/jobs/{job.number}/postings/")
        page.get_by_role("link", name="Post now").click()
        assert page.locator("#linkedin-apply-url").inner_text() == (f"{SITE}/careers/{job.number}/")
        page.get_by_role("button", name="Submit for posting").click()
        page.wait_for_url(f"**/jobs/{job.number}/postings/")
        assert page.locator("#linkedin-status").inner_text() == "Pending"
    assert LinkedInPosting.objects.filter(status=PostingStatus.PENDING).count() == 3

    # the administrator presses Build now; the report names the left-out job and its rule
    login(admin_user)
    page.goto("/settings/admin/linkedin/")
    page.get_by_role("button", name="Build now").click()
    page.get_by_text("Feed build started").wait_for()
    page.reload()
    report = page.get_by_role("table", name="Jobs left out of the feed")
    row = report.get_by_role("row").filter(has_text=short.number)
    assert "description_too_short" in row.inner_text()
    assert row.get_by_role("link", name=f"Edit {short.number}").is_visible()
    assert page.locator("#linkedin-build-included").inner_text() == "2"

    # LinkedIn fetches the feed: the two good jobs; a second fetch is answered 304
    url = page.locator("#linkedin-feed-url").input_value()
    response = page.request.get(url, headers={"User-Agent": "LinkedInBot/1.0"})
    assert response.status == 200
    assert response.headers["content-type"] == "application/xml; charset=utf-8"
    root = etree.fromstring(response.body())
    assert sorted(root.xpath("job/partnerJobId/text()")) == sorted(j.number for j in good)
    again = page.request.get(url, headers={"If-None-Match": response.headers["etag"]})
    assert again.status == 304

    # the fetches show on the tab, and the recruiter now sees the jobs posted
    page.reload()
    assert (
        "LinkedInBot/1.0" in page.get_by_role("table", name="Last fetches of the feed").inner_text()
    )
    login(recruiter)
    page.goto(f"/jobs/{good[0].number}/postings/")
    assert page.locator("#linkedin-status").inner_text() == "Posted in feed"
    page.goto(f"/jobs/{short.number}/postings/")
    assert page.locator("#linkedin-status").inner_text() == "Excluded"
    assert page.console_errors == []
