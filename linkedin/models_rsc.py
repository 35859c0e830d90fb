"""Recruiter System Connect: the organisation's connection, users' LinkedIn accounts, seats, pushes.

Secrets (client secrets, access tokens) live in EncryptedTextField columns: encrypted at rest with
attract.crypto, never rendered and never logged.
"""

import secrets

from django.conf import settings
from django.db import models

from attract.crypto import EncryptedTextField

__all__ = [
    "AccessLevel",
    "LinkedInAccount",
    "OAuthState",
    "RecruiterConnection",
    "RecruiterSeat",
    "RscStatus",
    "WebhookEvent",
]


def new_callback_token() -> str:
    return secrets.token_urlsafe(24)


class RscStatus(models.TextChoices):
    NOT_CONNECTED = "not_connected", "Not connected"
    CHOOSE_CONTRACT = "choose_contract", "Choose a contract"
    READY_TO_REQUEST = "ready_to_request", "Ready to request"
    NOTIFY_PARTNER = "notify_partner", "Notify partner"
    PARTNER_READY = "partner_ready", "Partner ready"
    ENABLED = "enabled", "Enabled"
    DISABLED = "disabled", "Turned off in LinkedIn Recruiter"
    DISCONNECTED = "disconnected", "Disconnected"


class AccessLevel(models.TextChoices):
    NONE = "", "None"
    COMPANY = "company", "Company level"
    CONTRACT = "contract", "Contract level"


class RecruiterConnection(models.Model):
    """The organisation's Recruiter System Connect integration (one row, pk=1)."""

    status = models.CharField(
        max_length=32, choices=RscStatus.choices, default=RscStatus.NOT_CONNECTED
    )
    access_level = models.CharField(
        max_length=16, choices=AccessLevel.choices, default=AccessLevel.NONE, blank=True
    )
    # Who signed in with LinkedIn, and what LinkedIn said about them.
    connected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    admin_member_urn = models.CharField(max_length=100, blank=True)
    admin_member_name = models.CharField(max_length=200, blank=True)
    admin_access_token = EncryptedTextField(blank=True, default="")
    contracts = models.JSONField(default=list, blank=True)  # [{"urn", "name", "organization"}]
    organization_urn = models.CharField(max_length=100, blank=True)
    organization_name = models.CharField(max_length=200, blank=True)
    contract_urn = models.CharField(max_length=100, blank=True)
    contract_name = models.CharField(max_length=200, blank=True)
    # The customer's child application, provisioned by the partner application.
    application_urn = models.CharField(max_length=100, blank=True)
    client_id = models.CharField(max_length=200, blank=True)
    client_secret = EncryptedTextField(blank=True, default="")
    # LinkedIn allows two active secrets while one is rotated: pushes signed with either pass.
    previous_client_secret = EncryptedTextField(blank=True, default="")
    callback_token = models.CharField(max_length=64, unique=True, default=new_callback_token)
    integration_statuses = models.JSONField(default=dict, blank=True)  # {type: status}
    # Every LinkedIn task checks this before it calls LinkedIn (Disconnect clears it).
    tasks_enabled = models.BooleanField(default=False)
    last_error = models.CharField(max_length=500, blank=True)
    requested_at = models.DateTimeField(null=True, blank=True)
    enabled_at = models.DateTimeField(null=True, blank=True)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    disconnected_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "Recruiter System Connect connection"

    def __str__(self) -> str:
        return f"Recruiter System Connect: {self.get_status_display()}"

    def save(self, *args, **kwargs) -> None:
        self.pk = 1
        super().save(*args, **kwargs)

    @property
    def has_application(self) -> bool:
        return bool(self.application_urn and self.client_id)


class LinkedInAccount(models.Model):
    """A user's own LinkedIn sign-in (3-legged) and the Recruiter seat it maps to."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="linkedin_account"
    )
    member_urn = models.CharField(max_length=100)
    member_name = models.CharField(max_length=200, blank=True)
    access_token = EncryptedTextField(blank=True, default="")
    token_expires_at = models.DateTimeField(null=True, blank=True)
    connected_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member_urn"], name="linkedin_account_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.member_urn}"


class RecruiterSeat(models.Model):
    """A Recruiter seat of the contract; InMails and notes of the seat belong to its user."""

    seat_urn = models.CharField(max_length=100, unique=True)
    contract_urn = models.CharField(max_length=100)
    holder_urn = models.CharField(max_length=100, blank=True)  # urn:li:person:…
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="linkedin_seats",
    )
    active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["seat_urn"]

    def __str__(self) -> str:
        return self.seat_urn


class OAuthState(models.Model):
    """One LinkedIn sign-in in progress: bound to a user and a session, usable once."""

    class Purpose(models.TextChoices):
        ADMIN = "admin", "Recruiter System Connect sign-in"
        PLUGIN = "plugin", "Recruiter System Connect request"
        USER = "user", "User connection"

    digest = models.CharField(max_length=64, unique=True)  # SHA-256 of the state
    purpose = models.CharField(max_length=16, choices=Purpose.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    session_digest = models.CharField(max_length=64)
    redirect_uri = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} sign-in of {self.user_id}"


class WebhookEvent(models.Model):
    """A signed push from LinkedIn, recorded once per request id."""

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        PROCESSED = "processed", "Processed"
        FAILED = "failed", "Failed"
        IGNORED = "ignored", "Ignored"

    request_id = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=64, db_index=True)
    payload = models.JSONField(default=dict)
    raw = models.TextField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RECEIVED)
    error = models.CharField(max_length=500, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["kind", "status"], name="webhook_kind_status_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.request_id}"
