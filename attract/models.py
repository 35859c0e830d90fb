from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import Lower


class SecurityRole(models.TextChoices):
    ADMINISTRATOR = "administrator", "Administrator"
    RECRUITER = "recruiter", "Recruiter"
    HIRING_MANAGER = "hiring_manager", "Hiring manager"
    INTERVIEWER = "interviewer", "Interviewer"
    READ_ONLY = "read_only", "Read-only"


class AttractUserManager(UserManager):
    def with_role(self, role: str) -> models.QuerySet:
        return self.filter(is_active=True, security_roles__role=role)


class User(AbstractUser):
    """A person who signs in. Security roles are global; team roles live on each job."""

    email = models.EmailField("email address", blank=True)

    objects: ClassVar[AttractUserManager] = AttractUserManager()

    class Meta:
        ordering = ["first_name", "last_name", "username"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="user_email_unique_ci",
                violation_error_message="Another user already has this email address.",
            )
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def role_set(self) -> frozenset[str]:
        cached = getattr(self, "_role_set", None)
        if cached is None:
            cached = frozenset(r.role for r in self.security_roles.all())
            self._role_set = cached
        return cached

    def has_role(self, role: str) -> bool:
        return role in self.role_set

    @property
    def is_administrator(self) -> bool:
        return self.is_active and (self.is_superuser or self.has_role(SecurityRole.ADMINISTRATOR))

    def has_perm(self, perm, obj=None) -> bool:
        # Administrators hold every Django permission (the Django admin); others none by default.
        return self.is_administrator or super().has_perm(perm, obj)

    def has_module_perms(self, app_label) -> bool:
        return self.is_administrator or super().has_module_perms(app_label)


class UserRole(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="security_roles")
    role = models.CharField(max_length=32, choices=SecurityRole.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="user_role_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_role_display()}"


class Organisation(models.Model):
    """The one organisation this installation serves (a singleton row, pk=1)."""

    company_name = models.CharField(max_length=200, default="Attract demo company")
    logo = models.ImageField(upload_to="organisation/", blank=True)
    public_site_url = models.URLField(
        blank=True, help_text="Public base URL of the career site, e.g. https://jobs.example.com"
    )
    privacy_notice = models.TextField(
        blank=True,
        default=(
            "We keep your application and the documents you send us to assess it and to "
            "consider you for other roles. You may ask us to export or erase your data at any time."
        ),
    )
    retention_days = models.PositiveIntegerField(
        default=730, help_text="How long candidate data is kept after the last activity."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "organisation settings"
        verbose_name_plural = "organisation settings"

    def __str__(self) -> str:
        return self.company_name

    def save(self, *args, **kwargs) -> None:
        self.pk = 1
        super().save(*args, **kwargs)


class Counter(models.Model):
    """Monotonic counters for human numbers (job numbers): values are never reused."""

    name = models.CharField(max_length=50, primary_key=True)
    value = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


class Event(models.Model):
    """The audit log: every state change leaves one row, written by one function per type."""

    type = models.CharField(max_length=64, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    subject_id = models.CharField(max_length=64)
    subject = GenericForeignKey("subject_type", "subject_id")
    # The job an event concerns, when there is one: the dashboard's "recent activity on my jobs".
    job = models.ForeignKey(
        "jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    parameters = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id"], name="event_subject_idx"),
            models.Index(fields=["job", "-created_at"], name="event_job_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.type} by {self.actor or 'system'}"


class Notification(models.Model):
    """An in-app message to one user (e.g. a new application on a job they recruit for)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    verb = models.CharField(max_length=64)
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    job = models.ForeignKey(
        "jobs.Job", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.text}"


class ApiToken(models.Model):
    """A personal REST API token; only its SHA-256 digest is stored, the token is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, help_text="First characters, to recognise a token.")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
