"""The LinkedIn feed build: stream every posted job through LinkedIn's rules into the feed,
parsed back and gzipped on the way, and publish it with the postings' bookkeeping in one
transaction (LINKEDIN.md 1, 4.2; SPEC 2.2). A failed build leaves the previous feed live."""

import logging
import time
from array import array
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from lxml import etree

from attract.access import require_admin
from attract.models import User
from jobs.choices import JobStatus
from jobs.public import public_q
from linkedin import feed_serve, feed_store
from linkedin.feed import (
    BodySink,
    Description,
    FeedContext,
    FeedJob,
    check_head,
    check_job,
    feed_head,
    linkedin_description,
    write_jobs,
)
from linkedin.locks import run_lock
from linkedin.models import (
    BuildStatus,
    FeedBuild,
    LinkedInJobPostingSettings,
    LinkedInPosting,
    PostingStatus,
    RemovedReason,
)
from linkedin.selectors_feed import (
    IN_FEED,
    feed_context,
    feed_rows,
    posting_settings,
)
from linkedin.services_feed import feed_path

log = logging.getLogger(__name__)

LOCK_KEY = "linkedin:feed-build"
LOCK_TIMEOUT = settings.CELERY_TASK_TIME_LIMIT + 60
SAMPLE = 100
BATCH = 1000


class FeedBuildBusy(Exception):
    """Another build holds the lock: builds never overlap."""


class FeedDisabled(ValidationError):
    pass


class FeedBuildFailed(Exception):
    def __init__(self, message: str, build: FeedBuild):
        super().__init__(message)
        self.build = build


@dataclass
class BuildOutcome:
    build: FeedBuild
    feed_path: str
    included_sample: list[str] = field(default_factory=list)


@contextmanager
def build_lock() -> Iterator[None]:
    """One build at a time across every worker; a killed worker's lock goes with it
    (`linkedin.locks.run_lock`)."""
    with run_lock(LOCK_KEY, LOCK_TIMEOUT) as held:
        if not held:
            raise FeedBuildBusy("A feed build is already running.")
        yield


def feed_build(*, trigger: str, by: User | None = None) -> BuildOutcome:
    """Build the feed and publish it; a failed build leaves the previous feed live."""
    if by is not None:
        require_admin(by)
    with build_lock():
        config = posting_settings()  # read under the lock: the live build is the current one
        if not config.enabled:
            raise FeedDisabled("LinkedIn job posting is switched off: no feed is built.")
        build = FeedBuild.objects.create(trigger=trigger, triggered_by=by)
        started = time.monotonic()
        collector = Collector()
        old = _old_builds(keep=config.live_build_id)
        try:
            with _staging(build) as staged:
                staged.write(feed_context(config), collector)
                _publish(build, collector, started, old, staged)
        except Exception as exc:
            log.exception("LinkedIn feed build %s failed", build.pk)
            _record_failure(build, exc, started)
            raise FeedBuildFailed(f"The feed build failed: {exc}", build) from exc
        feed_store.remove_stale_scratch()
    return BuildOutcome(build, feed_path(config.feed_token), collector.sample)


class Collector:
    """Follows the jobs streaming through a build: the report of excluded jobs, the postings
    entering the feed for the first time and the cached LinkedIn descriptions to refresh."""

    def __init__(self) -> None:
        self.included = 0
        self.sample: list[str] = []
        self.newcomers = array("q")  # posting ids: 8 bytes each, memory stays flat
        self.report: list[dict[str, Any]] = []
        self._stale: list[LinkedInPosting] = []

    def jobs(self, rows: Iterable[Any], ctx: FeedContext) -> Iterator[FeedJob]:
        for row in rows:
            verdict = check_job(row, ctx, self._description(row))
            if verdict.job is None:
                self.report.append(
                    {
                        "job_id": row.pk,
                        "posting_id": row.posting_id,
                        "number": row.number,
                        "title": row.title,
                        "reasons": [r.as_dict() for r in verdict.reasons],
                    }
                )
                continue
            self._include(row)
            yield verdict.job
        self._flush()

    def _include(self, row: Any) -> None:
        self.included += 1
        if len(self.sample) < SAMPLE:
            self.sample.append(row.number)
        if row.listed_on is None:
            self.newcomers.append(row.posting_id)

    def _description(self, row: Any) -> Description:
        if row.fresh:
            return Description(row.cached, row.cached_length)
        html, length = linkedin_description(row.raw)
        self._stale.append(
            LinkedInPosting(
                pk=row.posting_id,
                feed_description=html,
                feed_description_length=length,
                feed_description_of=row.raw_of,
            )
        )
        if len(self._stale) >= BATCH // 2:
            self._flush()
        return Description(html, length)

    def _flush(self) -> None:
        if self._stale:
            _save_descriptions(self._stale)
            self._stale = []


def _save_descriptions(postings: list[LinkedInPosting]) -> None:
    """Store the LinkedIn descriptions of a batch of postings in one statement."""
    if connection.vendor != "postgresql":
        fields = ["feed_description", "feed_description_length", "feed_description_of"]
        LinkedInPosting.objects.bulk_update(postings, fields)
        return
    from psycopg2.extras import execute_values

    # bulk_update's CASE per row grows quadratically with the batch; a VALUES join does not.
    table = LinkedInPosting._meta.db_table
    sql = (
        f'UPDATE "{table}" AS p SET feed_description = v.html, '  # noqa: S608 - no user input
        "feed_description_length = v.length, feed_description_of = v.source "
        "FROM (VALUES %s) AS v(id, html, length, source) WHERE p.id = v.id"
    )
    rows = [
        (p.pk, p.feed_description, p.feed_description_length, p.feed_description_of)
        for p in postings
    ]
    with connection.cursor() as cursor:
        execute_values(
            cursor.cursor, sql, rows, template="(%s, %s, %s, %s::timestamptz)", page_size=500
        )


@dataclass
class OldBuilds:
    """Builds whose files go with this build: all but the live one, which becomes the previous
    build and stays (a reader may be mid-download)."""

    ids: list[int]
    files: list[str]


def _old_builds(keep: int | None) -> OldBuilds:
    rows = FeedBuild.objects.exclude(storage_name="").exclude(pk=keep or 0)
    found = list(rows.values_list("pk", "storage_name", "gzip_storage_name"))
    return OldBuilds([pk for pk, *_ in found], [name for _pk, *names in found for name in names])


class Staged:
    """A build's files while it is made: streamed to scratch files (parsed back and gzipped on
    the way by the verifier), synced and moved into place in the background."""

    def __init__(self, build: FeedBuild, fh: IO[bytes], gz: IO[bytes], names: tuple[str, str]):
        self.build, self.fh, self.gz, self.names = build, fh, gz, names
        self.installing = feed_store.Installing()
        self.pipeline: feed_store.FeedPipeline | None = None
        self.count = 0

    def write(self, ctx: FeedContext, collector: Collector) -> None:
        """Stream every job; the feed file goes to disk while the verifier finishes."""
        self.pipeline = feed_store.FeedPipeline(self.fh, self.gz, feed_head(ctx, 0))
        count = write_jobs(BodySink(self.pipeline.write), collector.jobs(feed_rows(), ctx))
        head = feed_head(ctx, count)
        check_head(head, count)
        self.pipeline.put_head(head)
        self.installing.sync(self.fh)
        self.count = count

    def verify(self, replaced: list[str]) -> None:
        """Wait for the verifier's verdict (raising if the feed did not parse back whole), then
        move the files into place, and the `replaced` ones out, in the background."""
        if self.pipeline is None:
            raise RuntimeError("nothing was written")
        written = self.pipeline.finish()
        if written.jobs_parsed != self.count:
            raise etree.XMLSyntaxError(
                f"parsed {written.jobs_parsed} jobs back, wrote {self.count}", None, 0, 0, None
            )
        (name, gz_name), build = self.names, self.build
        self.installing.place([(self.fh, name), (self.gz, gz_name)], replaced)
        build.included, build.etag = self.count, written.etag
        build.bytes, build.gzip_bytes = written.bytes, written.gzip_bytes
        build.storage_name, build.gzip_storage_name = name, gz_name

    def cancel(self) -> None:
        self.installing.cancel()  # once it returns, placed files are where _record_failure looks
        if self.pipeline is not None:
            self.pipeline.abort()


@contextmanager
def _staging(build: FeedBuild) -> Iterator[Staged]:
    name, gz_name = feed_store.feed_names(build.pk)
    with feed_store.scratch(name) as fh, feed_store.scratch(gz_name) as gz:
        staged = Staged(build, fh, gz, (name, gz_name))
        try:
            yield staged
        except BaseException:
            staged.cancel()
            raise


def _record_failure(build: FeedBuild, exc: Exception, started: float) -> None:
    """Record the error; the build's files, if any got written, go (nothing names them)."""
    feed_store.delete([n for n in (build.storage_name, build.gzip_storage_name) if n])
    build.storage_name = build.gzip_storage_name = ""
    build.status, build.error = BuildStatus.FAILED, f"{type(exc).__name__}: {exc}"[:4000]
    build.finished_at = timezone.now()
    build.duration_ms = int((time.monotonic() - started) * 1000)
    build.save()


@transaction.atomic
def _publish(
    build: FeedBuild, collector: Collector, started: float, old: OldBuilds, staged: Staged
) -> None:
    """Bring the postings up to date while the verifier finishes, then point the feed URL at
    the new build, all in one transaction, committed only once the feed parsed back whole and
    its files are on disk and in place (they go there meanwhile)."""
    now = timezone.now()
    _mark_included(collector.newcomers, now)
    _mark_excluded(collector.report)
    _mark_removed(now)
    if old.ids:
        FeedBuild.objects.filter(pk__in=old.ids).update(storage_name="", gzip_storage_name="")
    staged.verify(old.files)
    build.status, build.finished_at = BuildStatus.OK, now
    build.excluded, build.report = len(collector.report), collector.report
    build.duration_ms = int((time.monotonic() - started) * 1000)
    build.save()
    feed_serve.pointer_forget()
    LinkedInJobPostingSettings.objects.filter(pk=1).update(
        live_build=build,
        live_name=build.storage_name,
        live_gzip_name=build.gzip_storage_name,
        live_etag=build.etag,
        live_built_at=now,
        live_bytes=build.bytes,
        live_gzip_bytes=build.gzip_bytes,
    )
    staged.installing.wait()


def _mark_included(posting_ids: array, now: Any) -> None:
    for start in range(0, len(posting_ids), BATCH):
        LinkedInPosting.objects.filter(
            pk__in=posting_ids[start : start + BATCH].tolist(),
            status__in=IN_FEED,
            first_included_at__isnull=True,
        ).update(status=PostingStatus.POSTED, first_included_at=now)


def _mark_excluded(report: list[dict[str, Any]]) -> None:
    LinkedInPosting.objects.filter(excluded=True).update(excluded=False, exclusions=[])
    rows = [
        LinkedInPosting(pk=entry["posting_id"], excluded=True, exclusions=entry["reasons"])
        for entry in report
    ]
    LinkedInPosting.objects.bulk_update(rows, ["excluded", "exclusions"], batch_size=BATCH)


def _mark_removed(now: Any) -> None:
    """Postings of jobs that closed, expired or went internal: removed from LinkedIn (one
    query to find them, usually none; one update per reason found)."""
    gone = (
        LinkedInPosting.objects.filter(status__in=IN_FEED)
        .exclude(public_q("job__"))
        .values_list("pk", "job__status", "job__expires_on")
    )
    today = timezone.localdate()
    by_reason: dict[str, list[int]] = {}
    for pk, status, expires_on in gone:
        reason: str
        if status == JobStatus.CLOSED:
            reason = RemovedReason.CLOSED
        elif status == JobStatus.ACTIVE and expires_on is not None and expires_on < today:
            reason = RemovedReason.EXPIRED
        else:
            reason = RemovedReason.NOT_PUBLIC
        by_reason.setdefault(reason, []).append(pk)
    for reason, ids in by_reason.items():
        for start in range(0, len(ids), BATCH):
            LinkedInPosting.objects.filter(pk__in=ids[start : start + BATCH]).update(
                status=PostingStatus.REMOVED, removed_reason=reason, removed_at=now
            )
