"""Pipeline analytics of one job, computed exactly from the stage history (SPEC 1 and 3).

Time in a stage runs from the event that put an application in the stage (created, moved,
reopened) to the application's next event (a move, a rejection, a withdrawal, a hire). A stay
that has not ended yet counts up to now. An application that enters a stage twice has its
stays added up, and the average is taken over the applications that entered the stage.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import groupby
from operator import itemgetter

from django.utils import timezone

from candidates.models import (
    ApplicationEvent,
    ApplicationEventKind,
    ApplicationStatus,
    CandidateSource,
)
from jobs.choices import StageKind
from jobs.models import Job, JobStage

ENTERING = {ApplicationEventKind.CREATED, ApplicationEventKind.MOVED, ApplicationEventKind.REOPENED}
# Geometry of the server-rendered SVG bar charts (viewBox units).
CHART_WIDTH, LABEL_WIDTH, BAR_SPACE, ROW_HEIGHT, BAR_HEIGHT = 640, 190, 330, 30, 20


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    display: str
    y: int = 0
    width: float = 0.0

    @property
    def text_y(self) -> float:
        return self.y + BAR_HEIGHT / 2 + 5

    @property
    def value_x(self) -> float:
        return LABEL_WIDTH + self.width + 6


@dataclass
class Chart:
    slug: str
    title: str
    column: str
    bars: list[Bar] = field(default_factory=list)
    scale: float | None = None  # the value of a full-length bar; the largest value by default

    def __post_init__(self) -> None:
        top = self.scale or max((b.value for b in self.bars), default=0) or 1
        self.bars = [
            Bar(b.label, b.value, b.display, y=i * ROW_HEIGHT + 4, width=BAR_SPACE * b.value / top)
            for i, b in enumerate(self.bars)
        ]

    @property
    def height(self) -> int:
        return len(self.bars) * ROW_HEIGHT + 8

    @property
    def width(self) -> int:
        return CHART_WIDTH

    @property
    def label_x(self) -> int:
        return LABEL_WIDTH - 8

    @property
    def bar_x(self) -> int:
        return LABEL_WIDTH

    @property
    def bar_height(self) -> int:
        return BAR_HEIGHT

    @property
    def is_empty(self) -> bool:
        return not any(b.value for b in self.bars)


@dataclass
class StageTime:
    """Time spent in one stage: the average over the applications that entered it."""

    stage: JobStage
    average: timedelta | None
    applications: int
    still_open: int

    @property
    def average_display(self) -> str:
        return duration_display(self.average)


@dataclass
class JobAnalytics:
    total: int
    by_stage: Chart
    by_source: Chart
    time_in_stage: Chart
    conversion: Chart
    stage_times: list[StageTime]
    now: datetime


def job_analytics(job: Job, *, now: datetime | None = None) -> JobAnalytics:
    """Applicants by stage and source, time in each stage and conversion, for one job."""
    now = now or timezone.now()
    stages = list(job.stages.order_by("position"))
    applications = list(job.applications.values_list("pk", "status", "stage_id", "source"))
    history = (
        ApplicationEvent.objects.filter(application__job=job)
        .order_by("application_id", "at", "id")
        .values_list("application_id", "kind", "to_stage_id", "at")
    )
    times, open_stays, entered = _stays(history, now)
    stage_times = [
        _stage_time(s, times.get(s.pk, {}), open_stays, len(entered.get(s.pk, ()))) for s in stages
    ]
    return JobAnalytics(
        total=len(applications),
        by_stage=_by_stage(stages, applications),
        by_source=_by_source(stages, applications),
        time_in_stage=_time_chart(stage_times),
        conversion=_conversion(stages, entered, len(applications)),
        stage_times=stage_times,
        now=now,
    )


def _stays(
    history: Iterable[tuple[int, str, int | None, datetime]], now: datetime
) -> tuple[dict[int, dict[int, timedelta]], Counter, dict[int, set[int]]]:
    """Per stage, the total time each application spent there; open stays; who entered it."""
    times: dict[int, dict[int, timedelta]] = defaultdict(lambda: defaultdict(timedelta))
    open_stays: Counter = Counter()
    entered: dict[int, set[int]] = defaultdict(set)
    for application_id, rows in groupby(history, key=itemgetter(0)):
        stage_id, since = None, now
        for _, kind, to_stage_id, at in rows:
            if stage_id is not None:
                times[stage_id][application_id] += at - since
            if to_stage_id is not None:
                entered[to_stage_id].add(application_id)
            stage_id, since = (to_stage_id, at) if kind in ENTERING else (None, at)
        if stage_id is not None:
            times[stage_id][application_id] += max(now - since, timedelta())
            open_stays[stage_id] += 1
    return times, open_stays, entered


def _stage_time(
    stage: JobStage, per_application: dict, open_stays: Counter, entered: int
) -> StageTime:
    # Hiring ends the stay at once, so Hired counts entries but has no time of its own.
    durations = list(per_application.values())
    average = sum(durations, timedelta()) / len(durations) if durations else None
    return StageTime(stage, average, entered, open_stays.get(stage.pk, 0))


def _by_stage(stages: list[JobStage], applications: list[tuple]) -> Chart:
    counts = Counter(
        stage_id for _, status, stage_id, _ in applications if status == ApplicationStatus.ACTIVE
    )
    bars = [Bar(s.name, counts[s.pk], str(counts[s.pk])) for s in stages]
    return Chart("by-stage", "Active applications by current stage", "Applications", bars)


def _by_source(stages: list[JobStage], applications: list[tuple]) -> Chart:
    prospect_stages = {s.pk for s in stages if s.kind == StageKind.PROSPECT}
    counts = Counter(
        source for _, _, stage_id, source in applications if stage_id not in prospect_stages
    )
    labels = dict(CandidateSource.choices)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], labels.get(item[0], item[0])))
    bars = [Bar(labels.get(source, source), n, str(n)) for source, n in ordered]
    return Chart("by-source", "Applicants by source", "Applicants", bars)


def _time_chart(stage_times: list[StageTime]) -> Chart:
    bars = [
        Bar(t.stage.name, t.average.total_seconds() / 86400, duration_display(t.average))
        for t in stage_times
        if t.average is not None and t.stage.kind != StageKind.HIRED
    ]
    return Chart("time-in-stage", "Average time in each stage", "Average time", bars)


def _conversion(stages: list[JobStage], entered: dict[int, set[int]], total: int) -> Chart:
    bars = []
    for s in stages:
        reached = len(entered.get(s.pk, ()))
        share = reached / total if total else 0.0
        bars.append(Bar(s.name, share, f"{share:.0%} ({reached} of {total})"))
    title = "Share of applications that reached each stage"
    return Chart("conversion", title, "Reached", bars, scale=1.0)


def duration_display(duration: timedelta | None) -> str:
    if duration is None:
        return "—"
    seconds = duration.total_seconds()
    if seconds >= 86400:
        return f"{seconds / 86400:.1f} days"
    if seconds >= 3600:
        return f"{seconds / 3600:.1f} hours"
    return f"{seconds / 60:.0f} minutes"
