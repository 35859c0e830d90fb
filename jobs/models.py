from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from jobs.choices import (
    ApprovalDecision,
    CloseReason,
    EmploymentType,
    Industry,
    JobFunction,
    JobStatus,
    SalaryPeriod,
    Seniority,
    StageKind,
    TeamRole,
    WorkplaceType,
)
from jobs.countries import validate_country_code


class ProcessTemplate(models.Model):
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    is_default = models.BooleanField(default=False)
    requires_approval = models.BooleanField(
        default=False, help_text="Jobs made from this template need approval before activation."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_template"
            )
        ]

    def __str__(self) -> str:
        return self.name


class StageBase(models.Model):
    name = models.CharField(max_length=80)
    kind = models.CharField(max_length=20, choices=StageKind.choices)
    position = models.PositiveSmallIntegerField()
    hiring_manager_can_add_prospects = models.BooleanField(
        default=False, help_text="Prospect stage only: hiring managers may add prospects."
    )

    class Meta:
        abstract = True
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name


class TemplateStage(StageBase):
    template = models.ForeignKey(ProcessTemplate, on_delete=models.CASCADE, related_name="stages")

    class Meta(StageBase.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["template", "position"], name="template_stage_position"
            ),
        ]


class Job(models.Model):
    number = models.CharField(max_length=16, unique=True, editable=False)
    title = models.CharField(max_length=200)
    description = models.TextField(help_text="Rich text; sanitised on save by the job services.")
    city = models.CharField(max_length=100)
    region = models.CharField(max_length=100, blank=True, help_text="State, county or province")
    country = models.CharField(
        max_length=2, validators=[validate_country_code], help_text="ISO 3166 alpha-2 code"
    )
    postal_code = models.CharField(max_length=20, blank=True)
    workplace_type = models.CharField(
        max_length=16, choices=WorkplaceType.choices, default=WorkplaceType.ON_SITE
    )
    employment_type = models.CharField(
        max_length=16, choices=EmploymentType.choices, default=EmploymentType.FULL_TIME
    )
    seniority = models.CharField(max_length=16, choices=Seniority.choices, blank=True)
    job_function = models.CharField(max_length=8, choices=JobFunction.choices, blank=True)
    industry = models.PositiveIntegerField(choices=Industry.choices, null=True, blank=True)
    openings = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    salary_min = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    salary_max = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    salary_currency = models.CharField(max_length=3, blank=True, help_text="ISO 4217 code")
    salary_period = models.CharField(max_length=10, choices=SalaryPeriod.choices, blank=True)
    publish_salary = models.BooleanField(default=False)
    expires_on = models.DateField(null=True, blank=True)
    internal_only = models.BooleanField(
        default=False, help_text="Internal jobs never appear on the career site or in feeds."
    )
    poster = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="posted_jobs",
        help_text="The job's owner; their email is the LinkedIn feed's posterEmail.",
    )
    template = models.ForeignKey(
        ProcessTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    requires_approval = models.BooleanField(default=False)
    hide_feedback_until_submitted = models.BooleanField(
        default=True,
        help_text="Interviewers see others' feedback only after submitting their own.",
    )
    status = models.CharField(max_length=20, choices=JobStatus.choices, default=JobStatus.DRAFT)
    close_reason = models.CharField(max_length=16, choices=CloseReason.choices, blank=True)
    approval_round = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "internal_only"], name="job_status_public_idx"),
            models.Index(fields=["country", "city"], name="job_location_idx"),
            # The career site's list: public jobs, newest first (a few index pages per page).
            models.Index(
                fields=["-activated_at", "-id"],
                name="job_public_list_idx",
                condition=Q(status=JobStatus.ACTIVE, internal_only=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(salary_min__isnull=True)
                | Q(salary_max__isnull=True)
                | Q(salary_min__lte=models.F("salary_max")),
                name="job_salary_range_ordered",
                violation_error_message="The minimum salary cannot exceed the maximum.",
            ),
            models.CheckConstraint(
                condition=Q(status=JobStatus.CLOSED) | Q(close_reason=""),
                name="job_close_reason_only_when_closed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_public(self) -> bool:
        return self.status == JobStatus.ACTIVE and not self.internal_only

    @property
    def location_display(self) -> str:
        parts = [self.city, self.region, self.country]
        return ", ".join(p for p in parts if p)


class JobStage(StageBase):
    """The job's own copy of its process: editing a template never rewrites running jobs."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="stages")

    class Meta(StageBase.Meta):
        constraints = [
            models.UniqueConstraint(fields=["job", "position"], name="job_stage_position"),
        ]


class HiringTeamMember(models.Model):
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_memberships"
    )
    role = models.CharField(max_length=20, choices=TeamRole.choices)
    delegate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="delegates",
        help_text="Set for a delegate: the recruiter or hiring manager they act for on this job.",
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["job", "user", "role"], name="team_member_unique"),
        ]
        indexes = [models.Index(fields=["user", "job"], name="team_user_job_idx")]

    def __str__(self) -> str:
        suffix = " (delegate)" if self.delegate_of_id else ""
        return f"{self.user} — {self.get_role_display()}{suffix}"


class JobApproval(models.Model):
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="approvals")
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="job_approvals"
    )
    round = models.PositiveIntegerField()
    decision = models.CharField(
        max_length=10, choices=ApprovalDecision.choices, default=ApprovalDecision.PENDING
    )
    comment = models.TextField(blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-round", "id"]
        constraints = [
            models.UniqueConstraint(fields=["job", "approver", "round"], name="approval_unique"),
        ]
        indexes = [models.Index(fields=["approver", "decision"], name="approval_inbox_idx")]

    def __str__(self) -> str:
        return f"{self.job.number} round {self.round}: {self.approver} {self.decision}"
