"""The demo's LinkedIn job posting: a company ID, the public jobs posted, one of them left out.

The feed needs https apply links, so the demo's public site URL becomes an https address: the
feed then names https://careers.nordlys.example/careers/<number>/ as each job's applyUrl, while
the laptop's own career site keeps answering on http://127.0.0.1:8000/careers/.
"""

from attract.demo.jobs import JobCast
from attract.models import User
from attract.services import organisation_update
from jobs.choices import WorkplaceType
from jobs.models import Job
from linkedin.models import BuildTrigger
from linkedin.selectors_feed import job_is_public
from linkedin.services_feed import linkedin_post, posting_settings_update
from linkedin.services_feed_build import feed_build

FEED_SITE_URL = "https://careers.nordlys.example"
# The LinkedIn sandbox's demo organisation (urn:li:organization:5551234).
COMPANY_ID = "5551234"


def post_jobs_to_linkedin(users: dict[str, User], casts: list[JobCast]) -> None:
    """Switch job posting on, post every public job and build the first feed."""
    admin = users["admin"]
    organisation_update(by=admin, public_site_url=FEED_SITE_URL)
    posting_settings_update(by=admin, company_name="", company_id=COMPANY_ID, enabled=True)
    public = [cast for cast in casts if job_is_public(cast.job)]
    _lose_a_city(public)
    for cast in public:
        linkedin_post(job=cast.job, by=cast.recruiter)
    feed_build(trigger=BuildTrigger.COMMAND)


def _lose_a_city(casts: list[JobCast]) -> None:
    """One remote job without a city, as imported jobs often are: LinkedIn needs a city and a
    country, so the admin tab's report shows it left out, with a link to fix it."""
    remote = next(c.job for c in casts if c.job.workplace_type == WorkplaceType.REMOTE)
    Job.objects.filter(pk=remote.pk).update(city="")
    remote.city = ""
