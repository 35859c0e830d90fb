"""Celery tasks of the LinkedIn integration: thin, idempotent, with time limits (STYLE 5)."""

import logging

from celery import shared_task

log = logging.getLogger(__name__)

# --- The limited-listings feed (beat entry "build-linkedin-feed" in attract/settings.py)


@shared_task(name="linkedin.build_feed", time_limit=30 * 60, soft_time_limit=29 * 60)
def build_feed(trigger: str = "schedule", by_id: int | None = None) -> dict:
    """Build and publish the feed (daily, or "Build now"); prune the fetch log."""
    from attract.models import User
    from linkedin import services_feed_build as feed
    from linkedin.services_feed import feed_fetches_prune

    feed_fetches_prune()
    by = User.objects.filter(pk=by_id).first() if by_id else None
    try:
        outcome = feed.feed_build(trigger=trigger, by=by)
    except feed.FeedBuildBusy:
        log.info("LinkedIn feed build skipped: another build is running")
        return {"status": "busy"}
    except feed.FeedDisabled:
        log.info("LinkedIn feed build skipped: job posting is switched off")
        return {"status": "disabled"}
    except feed.FeedBuildFailed as exc:
        return {"status": "failed", "build": exc.build.pk, "error": exc.build.error}
    build = outcome.build
    return {
        "status": "ok",
        "build": build.pk,
        "included": build.included,
        "excluded": build.excluded,
    }


from linkedin.tasks_history import *  # noqa: E402,F403
from linkedin.tasks_prospects import *  # noqa: E402,F403
from linkedin.tasks_rsc import *  # noqa: E402,F403
from linkedin.tasks_sync import *  # noqa: E402,F403
