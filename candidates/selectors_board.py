"""Reads of a job's pipeline board: columns, their counts and one page of cards each.

The board costs the same number of queries whatever the number of applicants or stages: one for
the stages, one aggregate for the counts and one windowed query for every column's page of cards.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Case, Count, F, IntegerField, QuerySet, Value, When, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from attract.access import applications_visible_to
from attract.models import User
from candidates.models import Application, ApplicationStatus, RejectionReason
from jobs.choices import StageKind
from jobs.models import Job, JobStage

PAGE_SIZE = 50
# Statuses the filter can add to the default view of active applications.
OPTIONAL_STATUSES = (
    ApplicationStatus.REJECTED,
    ApplicationStatus.WITHDRAWN,
    ApplicationStatus.HIRED,
)
# Newest arrivals first: a card just moved lands on top of its column, on the first page.
CARD_ORDER = (F("stage_entered_at").desc(), F("id").desc())


@dataclass
class Column:
    stage: JobStage
    count: int = 0
    page: int = 1
    cards: list[Application] = field(default_factory=list)

    @property
    def first_index(self) -> int:
        return (self.page - 1) * PAGE_SIZE + 1

    @property
    def last_index(self) -> int:
        return self.first_index + len(self.cards) - 1

    @property
    def has_more(self) -> bool:
        return self.count > self.page * PAGE_SIZE

    @property
    def next_page(self) -> int:
        return self.page + 1


def board_statuses(shown: list[str] | tuple[str, ...] = ()) -> list[str]:
    """Active applications, plus the optional statuses the user asked to see."""
    return [ApplicationStatus.ACTIVE, *(s for s in OPTIONAL_STATUSES if s in shown)]


def board_cards(job: Job, statuses: list[str]) -> QuerySet[Application]:
    # The candidate's search text can be long and the board never shows it.
    return (
        Application.objects.filter(job=job, status__in=statuses)
        .select_related("candidate")
        .defer("candidate__search_document", "candidate__consent_text")
        .order_by(*CARD_ORDER)
    )


def board_columns(
    job: Job, *, statuses: list[str], paged_stage: int | None = None, page: int = 1
) -> list[Column]:
    """Every stage of the job in order with its count and its page of cards (page 1 by default)."""
    columns = {stage.pk: Column(stage=stage) for stage in job.stages.order_by("position")}
    counts = (
        Application.objects.filter(job=job, status__in=statuses)
        .values("stage")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in counts:
        if row["stage"] in columns:
            columns[row["stage"]].count = row["n"]
    if paged_stage in columns:
        columns[paged_stage].page = max(page, 1)
    now = timezone.now()
    for card in _first_pages(job, statuses, paged_stage, page):
        card.days_in_stage = days_since(card.stage_entered_at, now)  # type: ignore[attr-defined]
        columns[card.stage_id].cards.append(card)
    return list(columns.values())


def _first_pages(
    job: Job, statuses: list[str], paged_stage: int | None, page: int
) -> QuerySet[Application]:
    # One query for all columns: number each stage's applications in a subquery, keep one page
    # of each, and only then join the candidates. The bounds are per-row expressions so that
    # the filter on the window stays a conjunction (no OR against a window function).
    offset = (max(page, 1) - 1) * PAGE_SIZE
    low: Case | Value = Value(0)
    if paged_stage is not None and offset:
        low = Case(
            When(stage_id=paged_stage, then=Value(offset)),
            default=Value(0),
            output_field=IntegerField(),
        )
    numbered = (
        Application.objects.filter(job=job, status__in=statuses)
        .annotate(
            row=Window(RowNumber(), partition_by=[F("stage_id")], order_by=list(CARD_ORDER)),
            low=low,
        )
        .filter(row__gt=F("low"), row__lte=F("low") + PAGE_SIZE)
        .values("pk")
    )
    return board_cards(job, statuses).filter(pk__in=numbered).order_by("stage_id", *CARD_ORDER)


def board_column_page(job: Job, stage: JobStage, *, statuses: list[str], page: int) -> Column:
    """One more page of one column, for the "Show more" button."""
    offset = (max(page, 1) - 1) * PAGE_SIZE
    rows = list(board_cards(job, statuses).filter(stage=stage)[offset : offset + PAGE_SIZE + 1])
    now = timezone.now()
    for card in rows:
        card.days_in_stage = days_since(card.stage_entered_at, now)  # type: ignore[attr-defined]
    # One extra row tells whether a further page exists without counting the column.
    column = Column(stage=stage, page=max(page, 1), cards=rows[:PAGE_SIZE])
    column.count = offset + len(rows)
    return column


def board_applications(user: User, job: Job) -> QuerySet[Application]:
    """The job's applications the user may act on, for the bulk actions' selections."""
    return (
        applications_visible_to(user)
        .filter(job=job)
        .select_related("candidate", "stage", "job")
        .order_by("candidate__last_name", "candidate__first_name", "pk")
    )


def active_rejection_reasons() -> QuerySet[RejectionReason]:
    return RejectionReason.objects.filter(is_active=True)


def job_has_prospect_stage(job: Job) -> bool:
    return job.stages.filter(kind=StageKind.PROSPECT).exists()


def days_since(moment: datetime, now: datetime) -> int:
    return max((now - moment).days, 0)
