from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from jobs.countries import validate_country_code


class CandidateSource(models.TextChoices):
    CAREER_SITE = "career_site", "Career site"
    LINKEDIN_EXPORT = "linkedin_export", "LinkedIn 1-click export"
    LINKEDIN_STUB = "linkedin_stub", "LinkedIn InMail stub"
    MANUAL = "manual", "Added by hand"
    IMPORT = "import", "Import"
    REFERRAL = "referral", "Referral"


class ApplicationStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"
    HIRED = "hired", "Hired"


class Tag(models.Model):
    name = models.CharField(max_length=50)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="tag_name_unique_ci")]

    def __str__(self) -> str:
        return self.name


class Candidate(models.Model):
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    phones = models.JSONField(default=list, blank=True)
    city = models.CharField(max_length=100, blank=True)
    region = models.CharField(max_length=100, blank=True)
    country = models.CharField(max_length=2, blank=True, validators=[validate_country_code])
    current_company = models.CharField(max_length=200, blank=True)
    current_title = models.CharField(max_length=200, blank=True)
    linkedin_url = models.URLField(max_length=300, blank=True)
    linkedin_member_urn = models.CharField(max_length=100, blank=True, db_index=True)
    source = models.CharField(
        max_length=20, choices=CandidateSource.choices, default=CandidateSource.MANUAL
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="candidates")
    consent_given_at = models.DateTimeField(null=True, blank=True)
    consent_text = models.TextField(blank=True)
    retention_until = models.DateField(null=True, blank=True, db_index=True)
    # Denormalised text of names, emails, titles, companies, tags and notes: the search input.
    search_document = models.TextField(blank=True, editable=False)
    search_refreshed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["linkedin_member_urn"],
                condition=~Q(linkedin_member_urn=""),
                name="candidate_member_urn_unique",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def primary_email(self) -> str:
        emails = list(self.emails.all())
        primary = next((e for e in emails if e.is_primary), emails[0] if emails else None)
        return primary.email if primary else ""


class CandidateEmail(models.Model):
    """Emails are stored normalised (trimmed, lower-case): one address belongs to one person."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="emails")
    email = models.EmailField(max_length=254, unique=True)
    is_primary = models.BooleanField(default=False)

    class Meta:
        ordering = ["-is_primary", "id"]

    def __str__(self) -> str:
        return self.email


class RejectionReason(models.Model):
    """Admin-managed list of reasons offered when rejecting an applicant."""

    name = models.CharField(max_length=120, unique=True)
    is_active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Application(models.Model):
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="applications")
    job = models.ForeignKey("jobs.Job", on_delete=models.CASCADE, related_name="applications")
    stage = models.ForeignKey(
        "jobs.JobStage", on_delete=models.PROTECT, related_name="applications"
    )
    status = models.CharField(
        max_length=12, choices=ApplicationStatus.choices, default=ApplicationStatus.ACTIVE
    )
    rejection_reason = models.ForeignKey(
        RejectionReason, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status_comment = models.TextField(blank=True)
    source = models.CharField(max_length=20, choices=CandidateSource.choices)
    stage_entered_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "job"], name="application_unique"),
        ]
        indexes = [
            models.Index(fields=["job", "stage", "status"], name="application_board_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} → {self.job}"


class ApplicationEventKind(models.TextChoices):
    CREATED = "created", "Created"
    MOVED = "moved", "Moved"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"
    HIRED = "hired", "Hired"
    REOPENED = "reopened", "Reopened"


class ApplicationEvent(models.Model):
    """Stage history: one row per move or status change; time in stage is the gap between rows."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="history")
    kind = models.CharField(max_length=12, choices=ApplicationEventKind.choices)
    from_stage = models.ForeignKey(
        "jobs.JobStage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_stage = models.ForeignKey(
        "jobs.JobStage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["application", "at"], name="app_event_history_idx")]

    def __str__(self) -> str:
        return f"{self.application_id} {self.kind} at {self.at:%Y-%m-%d %H:%M}"


class NoteVisibility(models.TextChoices):
    EVERYONE = "everyone", "Everyone who can see the candidate"
    HIRING_TEAM = "team", "Hiring team of the application's job"
    PRIVATE = "private", "Only me"


class Note(models.Model):
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="notes")
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(max_length=20_000)
    visibility = models.CharField(
        max_length=10, choices=NoteVisibility.choices, default=NoteVisibility.EVERYONE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Note by {self.author} on {self.candidate}"


class Recommendation(models.IntegerChoices):
    STRONG_NO = 1, "Strong no"
    NO = 2, "No"
    NEUTRAL = 3, "Neutral"
    YES = 4, "Yes"
    STRONG_YES = 5, "Strong yes"


class InterviewFeedback(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="feedback")
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feedback_given"
    )
    recommendation = models.PositiveSmallIntegerField(choices=Recommendation.choices)
    # {"Communication": 4, "Problem solving": 5}: each rating from 1 to 5.
    ratings = models.JSONField(default=dict, blank=True)
    strengths = models.TextField(blank=True, max_length=10_000)
    concerns = models.TextField(blank=True, max_length=10_000)
    comments = models.TextField(blank=True, max_length=10_000)
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "interviewer"], name="feedback_one_per_interviewer"
            ),
            models.CheckConstraint(
                condition=Q(recommendation__gte=1, recommendation__lte=5),
                name="feedback_recommendation_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.interviewer} on {self.application}: {self.get_recommendation_display()}"


class DocumentKind(models.TextChoices):
    RESUME = "resume", "Résumé"
    COVER_LETTER = "cover_letter", "Cover letter"
    OTHER = "other", "Other"


class Document(models.Model):
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="documents")
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.SET_NULL, related_name="documents"
    )
    kind = models.CharField(max_length=16, choices=DocumentKind.choices, default=DocumentKind.OTHER)
    # Stored under a random name; the original name is only shown and used for downloads.
    file = models.FileField(upload_to="documents/%Y/%m/", max_length=200)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(validators=[MinValueValidator(1), MaxValueValidator(2**31)])
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.original_name
