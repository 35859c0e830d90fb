"""The job-posting section of the admin LinkedIn tab (templates/linkedin/admin_feed.html)."""

from typing import Any

from django.http import HttpRequest

from attract.selectors import organisation_get
from linkedin.forms_feed import PostingSettingsForm
from linkedin.models import BuildStatus
from linkedin.selectors_feed import (
    REPORT_SHOWN,
    last_build,
    last_fetches,
    last_ok_build,
    posting_settings,
)
from linkedin.services_feed import TERMS_SENTENCE, feed_path


def admin_context(request: HttpRequest, form: PostingSettingsForm | None = None) -> dict:
    """Settings form, feed URL, last build, last fetches and the report of excluded jobs."""
    config = posting_settings()
    organisation = organisation_get()
    if form is None:
        form = PostingSettingsForm(
            initial={
                "company_name": config.company_name,
                "company_id": config.company_id,
                "enabled": config.enabled,
            }
        )
    form.fields["company_name"].widget.attrs["placeholder"] = organisation.company_name
    build = last_build()
    report_build = build if build and build.status == BuildStatus.OK else last_ok_build()
    report: list[dict[str, Any]] = report_build.report if report_build else []
    return {
        "feed": {
            "config": config,
            "form": form,
            "terms": TERMS_SENTENCE,
            "url": request.build_absolute_uri(feed_path(config.feed_token)),
            "build": build,
            "report_build": report_build,
            "report": report[:REPORT_SHOWN],
            "report_more": max(0, len(report) - REPORT_SHOWN),
            "fetches": last_fetches(),
            "public_site_url": organisation.public_site_url,
            "site_is_https": organisation.public_site_url.startswith("https://"),
        }
    }
