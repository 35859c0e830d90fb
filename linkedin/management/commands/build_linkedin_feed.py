"""`manage.py build_linkedin_feed`: build the LinkedIn feed now and say what went in and out."""

from django.core.management.base import BaseCommand, CommandError

from linkedin import services_feed_build as feed
from linkedin.models import BuildTrigger


class Command(BaseCommand):
    help = (
        "Build and publish the LinkedIn limited-listings feed now; prints the feed URL path, "
        "the jobs included and the jobs excluded with the rule each breaks. Exits non-zero "
        "when the build fails (the previous feed then stays live)."
    )

    def handle(self, *args, **options):
        try:
            outcome = feed.feed_build(trigger=BuildTrigger.COMMAND)
        except feed.FeedBuildBusy as exc:
            raise CommandError(str(exc)) from exc
        except feed.FeedDisabled as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        except feed.FeedBuildFailed as exc:
            raise CommandError(f"{exc} The previous feed stays live.") from exc
        build = outcome.build
        self.stdout.write(f"Feed URL path: {outcome.feed_path}")
        self.stdout.write(
            f"Built in {build.duration_ms / 1000:.2f} s: {build.bytes} bytes "
            f"({build.gzip_bytes} gzipped)."
        )
        self._included(build.included, outcome.included_sample)
        self._excluded(build.report)
        self.stdout.write(self.style.SUCCESS("Feed published."))

    def _included(self, count: int, sample: list[str]) -> None:
        self.stdout.write(f"Included: {count} job{'s' if count != 1 else ''}")
        for number in sample:
            self.stdout.write(f"  {number}")
        if count > len(sample):
            self.stdout.write(f"  … and {count - len(sample)} more")

    def _excluded(self, report: list[dict]) -> None:
        self.stdout.write(f"Excluded: {len(report)} job{'s' if len(report) != 1 else ''}")
        for entry in report:
            reasons = "; ".join(f"{r['rule']}: {r['message']}" for r in entry["reasons"])
            self.stdout.write(f"  {entry['number']} — {reasons}")
